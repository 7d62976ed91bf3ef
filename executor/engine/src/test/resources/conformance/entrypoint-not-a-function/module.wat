;; Exports "run", but as a global rather than a function.
(module
  (memory (export "memory") 1)
  (global (export "run") i32 (i32.const 7))
  (func (export "_start")))
