;; Declares 2048 pages (128 MiB) of initial memory, above the invocation's 64 MiB limit.
(module
  (memory (export "memory") 2048)
  (func (export "_start")))
