;; counter.wat with a start function: instantiating it runs guest code (it bumps the memory cell), so the runtime never
;; pools its contexts. Every run must print "12\n": the start function and _start each add one to the memory cell.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $count (mut i32) (i32.const 0))
  (func $init
    (i32.store (i32.const 100) (i32.add (i32.load (i32.const 100)) (i32.const 1))))
  (start $init)
  (func (export "_start")
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (i32.store (i32.const 100) (i32.add (i32.load (i32.const 100)) (i32.const 1)))
    (i32.store8 (i32.const 16) (i32.add (i32.const 48) (global.get $count)))
    (i32.store8 (i32.const 17) (i32.add (i32.const 48) (i32.load (i32.const 100))))
    (i32.store8 (i32.const 18) (i32.const 10))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
