;; A memory whose declared maximum (8 pages) is below usual caps.
(module (memory 1 8))
