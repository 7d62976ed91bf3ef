;; The smallest useful guest: exports memory and a _start that returns at once.
;; Measures the fixed cost of an invocation (instantiate, call, tear down).
(module
  (memory (export "memory") 1)
  (func (export "_start")))
