;; Imports from "env": neither WASI, a CID, nor (unless a test links one) an explicit module.
(module (import "env" "f" (func)))
