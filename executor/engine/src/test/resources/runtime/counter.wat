;; Increments a mutable global and a memory cell, then prints both as digits ("gm\n").
;; In a fresh instance both start at 0, so every run must print "11\n".
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $count (mut i32) (i32.const 0))
  (func (export "_start")
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (i32.store (i32.const 100) (i32.add (i32.load (i32.const 100)) (i32.const 1)))
    (i32.store8 (i32.const 16) (i32.add (i32.const 48) (global.get $count)))
    (i32.store8 (i32.const 17) (i32.add (i32.const 48) (i32.load (i32.const 100))))
    (i32.store8 (i32.const 18) (i32.const 10))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
