;; An imported memory without a maximum: the cap applies to it too.
(module (import "lib" "mem" (memory 1)))
