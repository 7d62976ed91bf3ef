(module (import "x" "f" (func)) (func (export "f")))
