;; A reactor-style module without _start; the invocation names no entrypoint, so the default _start is missing.
(module
  (memory (export "memory") 1)
  (func (export "run")))
