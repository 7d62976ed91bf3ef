;; Exports two functions that print different lines: with entrypoint=run only "run" may execute.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "entrypoint run\n")
  (data (i32.const 32) "_start ran but must not\n")
  ;; Writes len bytes at ptr to stdout; the iovec lives at 0..7, the written count at 8.
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "run") (call $print (i32.const 16) (i32.const 15)))
  (func (export "_start") (call $print (i32.const 32) (i32.const 24))))
