;; Imports "mul" from the explicitly linked module "math" (imports/math.wasm).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "math" "mul" (func $mul (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "mul(6, 7) = 42\n")
  (data (i32.const 48) "mul(6, 7) = ??\n")
  (func (export "_start")
    (i32.store (i32.const 0)
      (select (i32.const 16) (i32.const 48)
        (i32.eq (call $mul (i32.const 6) (i32.const 7)) (i32.const 42))))
    (i32.store (i32.const 4) (i32.const 15))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
