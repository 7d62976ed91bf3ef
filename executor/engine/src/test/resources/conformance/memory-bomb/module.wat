;; Grows memory one page at a time until memory.grow refuses, then prints
;; "grow refused at <memory.size> pages\n" and returns normally. Declares no maximum, so only the
;; invocation's memory limit stops it (16 MiB = 256 pages).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "grow refused at ")
  (data (i32.const 48) " pages\n")
  ;; Writes len bytes at ptr to stdout; the iovec lives at 0..7, the written count at 8.
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  ;; Prints n in decimal, formatting right-aligned into 64..79.
  (func $print_u32 (param $n i32) (local $pos i32)
    (local.set $pos (i32.const 80))
    (loop $digit
      (local.set $pos (i32.sub (local.get $pos) (i32.const 1)))
      (i32.store8 (local.get $pos)
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (call $print (local.get $pos) (i32.sub (i32.const 80) (local.get $pos))))
  (func (export "_start")
    (block $refused
      (loop $grow
        (br_if $refused (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $grow)))
    (call $print (i32.const 16) (i32.const 16))
    (call $print_u32 (memory.size))
    (call $print (i32.const 48) (i32.const 7))))
