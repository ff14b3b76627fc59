/**
 * `@cli-optimizer/runtime/scale`: scaling hooks for CLIs.
 *
 * - `limit` / `map`: bounded concurrency for async work (p-limit, p-map).
 * - `createPool`: CPU-bound work on worker threads (piscina, loaded on the first task), with
 *   backpressure, timeouts, crash recovery and autoscale between `minThreads` and `maxThreads`.
 * - `createQueue` / `work`: jobs spread over processes and machines that share a Redis (BullMQ,
 *   loaded on first use; an optional dependency).
 *
 * Importing this module loads p-limit and p-map (a few kB) and nothing else.
 */
import { WorkerPool, type Pool } from './pool.js'
import { resolvePoolOptions, type PoolOptions } from './pool-options.js'
import { BullJobQueue, type JobQueue } from './queue.js'
import { resolveQueueOptions, taskModuleUrl, type QueueOptions } from './queue-options.js'
import type { QueueWorker } from './work.js'

export { limit, map, type Limit, type MapOptions } from './limit.js'
export { AutoscalePolicy, type AutoscaleSettings, type PoolLoad } from './autoscale-policy.js'
export { ScaleError, ScaleAbortError, type ScaleErrorCode } from './scale-errors.js'
export type { Pool, PoolStats, RunOptions } from './pool.js'
export type { PoolOptions, ScaleEvent } from './pool-options.js'
export type { AddOptions, JobHandle, JobQueue } from './queue.js'
export type { QueueOptions } from './queue-options.js'
export type { QueueWorker, TaskContext } from './work.js'

/**
 * Creates a pool of worker threads running `task`'s default export. A bad option throws a
 * `TypeError` naming it; no thread starts before the first task.
 *
 * @example
 * const pool = createPool({ task: new URL('./hash-task.js', import.meta.url) })
 * const digests = await pool.map(files)
 * await pool.close()
 */
export function createPool<I = unknown, O = unknown>(options: PoolOptions): Pool<I, O> {
  return new WorkerPool<I, O>(resolvePoolOptions(options))
}

/**
 * A job queue on BullMQ: the producer side. Jobs run in `work()` consumers, in this process or
 * any other on any machine that shares the Redis. Nothing connects before the first operation;
 * BullMQ and ioredis (optional dependencies) load then. A bad option throws a `TypeError`.
 *
 * @example
 * const queue = createQueue({ name: 'hash', redis: 'redis://build-box:6379' })
 * const digests = await queue.map(files)
 * await queue.close()
 */
export function createQueue<I = unknown, O = unknown>(options: QueueOptions): JobQueue<I, O> {
  return new BullJobQueue<I, O>(resolveQueueOptions('createQueue()', options))
}

/**
 * Runs the jobs of queue `name` with `taskModule`'s default export (`(data, { id, attempt,
 * progress }) => result`, the same module a pool can run) until SIGINT/SIGTERM or `close()`.
 * Rejects with `ERR_SCALE_REDIS_UNREACHABLE` when Redis does not answer at start.
 */
export async function work(name: string, taskModule: string | URL, options: Omit<QueueOptions, 'name'> = {}): Promise<QueueWorker> {
  const resolved = resolveQueueOptions('work()', { ...options, name })
  const url = taskModuleUrl('work() taskModule', taskModule)
  const { BullQueueWorker } = await import('./work.js')
  return BullQueueWorker.start(resolved, url)
}
