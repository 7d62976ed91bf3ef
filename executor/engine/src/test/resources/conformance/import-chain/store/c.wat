;; The bottom of the chain: module -> b -> c.
(module
  (func (export "base") (result i32) (i32.const 40)))
