;; A library: exports a function and a memory, imports nothing.
(module
  (memory (export "mem") 1)
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))
