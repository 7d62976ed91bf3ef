;; Host calls given pointers outside linear memory answer EFAULT (21) instead of failing the run: fd_write with an
;; iovec array past the end, random_get into a buffer past the end, path_open with a path past the end. Exit 21
;; when all three said EFAULT, else 1, 2 or 3 for the first that did not.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (if (i32.ne (call $fd_write (i32.const 1) (i32.const 0xFFFFFFF0) (i32.const 1) (i32.const 0)) (i32.const 21))
      (then (call $proc_exit (i32.const 1))))
    (if (i32.ne (call $random_get (i32.const 65000) (i32.const 4096)) (i32.const 21))
      (then (call $proc_exit (i32.const 2))))
    (if (i32.ne (call $path_open (i32.const 3) (i32.const 0) (i32.const 0x7FFFFFF0) (i32.const 64)
                  (i32.const 0) (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 0)) (i32.const 21))
      (then (call $proc_exit (i32.const 3))))
    (call $proc_exit (i32.const 21))))
