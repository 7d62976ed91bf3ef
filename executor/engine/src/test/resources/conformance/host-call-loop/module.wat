;; Loops around a host call that returns at once (sched_yield) forever. timeout=500ms must stop it.
(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $forever
      (drop (call $yield))
      (br $forever))))
