;; Imports a function lib.wasm does not export.
(module (import "lib" "sub" (func (param i32 i32) (result i32))))
