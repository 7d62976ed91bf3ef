;; Declares exactly 1024 pages (64 MiB) of initial memory, equal to the invocation's limit: it must run.
;; It then checks that one more page is refused and prints the outcome.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1024)
  (data (i32.const 16) "1024 pages, grow refused\n")
  (data (i32.const 48) "1024 pages, grow ALLOWED\n")
  (func (export "_start")
    (i32.store (i32.const 0)
      (select (i32.const 16) (i32.const 48)
        (i32.eq (memory.grow (i32.const 1)) (i32.const -1))))
    (i32.store (i32.const 4) (i32.const 25))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
