// The CPU-bound task of benchmarks/runtime-scale.mjs's pool batch, reporting which thread ran it,
// so the benchmark can show that both threads got work.
import { threadId } from 'node:worker_threads'
import spin from './spin-task.mjs'

export default function task(input) {
  return { threadId, value: spin(input) }
}
