;; Imports fd_write with one i64 parameter instead of preview 1's four i32s: the call traps with a message naming
;; the function, instead of reading garbage or failing with a host exception.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $f (param i64) (result i64)))
  (memory (export "memory") 1)
  (func (export "_start") (drop (call $f (i64.const 1)))))
