;; A memory and a table with no declared maximum.
(module (memory 2) (table 4 funcref))
