;; Never returns: only the invocation timeout can stop it.
(module
  (memory (export "memory") 1)
  (func (export "_start") (loop $forever (br $forever))))
