;; The requested entrypoint takes a parameter, which an invocation cannot supply.
(module
  (memory (export "memory") 1)
  (func (export "run") (param i32))
  (func (export "_start")))
