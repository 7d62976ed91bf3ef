;; Imports `add` from a module named by CID (the CID of the empty file: tests map it to lib.wasm), and WASI.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku" "add" (func $add (param i32 i32) (result i32)))
  (memory (export "memory") 2)
  (func (export "_start") (call $exit (call $add (i32.const 1) (i32.const 2))))
  (func (export "run") (param i32)))
