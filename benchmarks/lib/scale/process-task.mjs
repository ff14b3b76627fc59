// The CPU-bound job of benchmarks/runtime-scale.mjs's queue batch, reporting which worker process
// ran it, so the benchmark can show that both processes got work.
import spin from './spin-task.mjs'

export default function task(input) {
  return { pid: process.pid, value: spin(input) }
}
