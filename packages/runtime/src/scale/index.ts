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

export { limit, map, type Limit, type MapOptions } from './limit.js'
export { AutoscalePolicy, type AutoscaleSettings, type PoolLoad } from './autoscale-policy.js'
export { ScaleError, ScaleAbortError, type ScaleErrorCode } from './scale-errors.js'
export type { Pool, PoolStats, RunOptions } from './pool.js'
export type { PoolOptions, ScaleEvent } from './pool-options.js'

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
