// One worker process of benchmarks/runtime-scale.mjs's queue batch: runs the CPU-bound task for
// the queue named on the command line until SIGTERM (work() then finishes the job in hand).
//   node queue-worker.mjs <queue name> <redis url>
import { work } from '@cli-optimizer/runtime/scale'

const [name, redis] = process.argv.slice(2)
await work(name, new URL('./process-task.mjs', import.meta.url), { redis, concurrency: 1 })
process.stdout.write('ready\n')
