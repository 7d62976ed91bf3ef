;; Has a valid _start, but the invocation asks for "run", which is not exported.
(module
  (memory (export "memory") 1)
  (func (export "_start")))
