;; Writes to stdout, raw, what a guest can observe that is not its input: the realtime and monotonic clocks (8 bytes
;; each) and 16 random bytes. Two live runs differ; two deterministic runs print the same 32 bytes.
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $clock (i32.const 0) (i64.const 1) (i32.const 16)))
    (drop (call $clock (i32.const 1) (i64.const 1) (i32.const 24)))
    (drop (call $random (i32.const 32) (i32.const 16)))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 32))
    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
