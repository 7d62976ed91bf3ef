;; Imports from a CID that no store holds: the CIDv1 (raw) of the 45 bytes
;; "cidra conformance: no module has these bytes\n".
(module
  (import "bafkreibubva5srfvkltu7tk4a7kdvyggiv4cpq6cki3avibvsncy65it34" "add"
    (func $add (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $add (i32.const 1) (i32.const 2)))))
