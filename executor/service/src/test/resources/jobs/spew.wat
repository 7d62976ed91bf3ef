;; Writes argv[1] bytes 'o' to stdout, then argv[2] bytes 'e' to stderr (decimal counts), in chunks of up to 64 KiB;
;; stops writing a stream early if a write fails or takes nothing. For outputs near and past the executor's caps.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  ;; 0: argc, 4: argv bytes, 16: argv pointers, 1024: argv strings, 4096: iovec, 4104: bytes written,
  ;; 65536-131071: the chunk
  (memory (export "memory") 2)
  (func $count (param $at i32) (result i32) (local $n i32) (local $digit i32)
    (block $end
      (loop $next
        (local.set $digit (i32.sub (i32.load8_u (local.get $at)) (i32.const 48)))
        (br_if $end (i32.ge_u (local.get $digit) (i32.const 10)))
        (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10)) (local.get $digit)))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (local.get $n))
  (func $spew (param $fd i32) (param $byte i32) (param $n i32) (local $chunk i32)
    (memory.fill (i32.const 65536) (local.get $byte) (i32.const 65536))
    (block $end
      (loop $more
        (br_if $end (i32.eqz (local.get $n)))
        (local.set $chunk
          (select (local.get $n) (i32.const 65536) (i32.lt_u (local.get $n) (i32.const 65536))))
        (i32.store (i32.const 4096) (i32.const 65536))
        (i32.store (i32.const 4100) (local.get $chunk))
        (br_if $end (call $write (local.get $fd) (i32.const 4096) (i32.const 1) (i32.const 4104)))
        (br_if $end (i32.eqz (i32.load (i32.const 4104))))
        (local.set $n (i32.sub (local.get $n) (i32.load (i32.const 4104))))
        (br $more))))
  (func (export "_start")
    (drop (call $args_sizes (i32.const 0) (i32.const 4)))
    (drop (call $args (i32.const 16) (i32.const 1024)))
    (call $spew (i32.const 1) (i32.const 111) (call $count (i32.load (i32.const 20))))
    (call $spew (i32.const 2) (i32.const 101) (call $count (i32.load (i32.const 24))))))
