;; x imports from y, and y (cycle-y.wat) from x: a cycle only explicit import names can form.
(module (import "y" "f" (func)) (func (export "f")))
