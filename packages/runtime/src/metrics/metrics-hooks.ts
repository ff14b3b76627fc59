import type { CacheStats } from '../cache/cache.js'

/**
 * Where other runtime services report their figures. The metrics service puts a
 * {@link MetricsHooks} object at `globalThis[Symbol.for('cli-optimizer.metrics')]` when it
 * starts; a service calls it only if it is there, so it needs no import of this module and
 * costs one property read when metrics are off:
 *
 * ```ts
 * const hooks = (globalThis as any)[Symbol.for('cli-optimizer.metrics')] as MetricsHooks | undefined
 * hooks?.httpRequest({ method: 'GET', status: 200, durationMs: 12.5, retries: 0, reusedSocket: true })
 * ```
 *
 * Events reported before prom-client has loaded are buffered (up to 10,000) and replayed.
 * Every string here becomes a label value, bounded by `maxSeriesPerMetric`.
 */
export const METRICS_HOOKS_KEY = 'cli-optimizer.metrics'

/** One finished HTTP request (after its retries). */
export interface HttpRequestEvent {
  method: string
  /** Final status, or undefined when no response came. */
  status?: number
  /** From the first attempt to the end of the final response's body (or the error), in milliseconds. */
  durationMs: number
  /** Attempts after the first. @default 0 */
  retries?: number
  /** The final attempt ran on a kept-alive socket. */
  reusedSocket?: boolean
  /** Error code when the request failed (`UND_ERR_CONNECT_TIMEOUT`, `ECONNREFUSED`...). */
  error?: string
}

/** One task run by a worker pool. */
export interface PoolTaskEvent {
  pool: string
  /** Time queued before a worker took it, in milliseconds. */
  waitMs: number
  /** Time running, in milliseconds. */
  runMs: number
  failed?: boolean
}

/** A worker pool's state now (report it when it changes or periodically). */
export interface PoolStateEvent {
  pool: string
  threads: number
  queued: number
  /** Share of worker time busy, 0..1. */
  utilization: number
}

/** A job queue's state now. */
export interface QueueStateEvent {
  queue: string
  waiting: number
  active: number
  delayed?: number
  failed?: number
}

export interface MetricsHooks {
  httpRequest(event: HttpRequestEvent): void
  poolTask(event: PoolTaskEvent): void
  poolState(event: PoolStateEvent): void
  queueState(event: QueueStateEvent): void
  /** Registers a cache whose `stats()` are read at each scrape and at exit. */
  cache(name: string, stats: () => CacheStats): void
}

type Call = { [K in keyof MetricsHooks]: [K, Parameters<MetricsHooks[K]>] }[keyof MetricsHooks]

const MAX_BUFFERED = 10_000

/** Hooks that queue their calls until `target` is set, then forward every call to it. */
export class BufferedHooks implements MetricsHooks {
  #target: MetricsHooks | undefined
  #queue: Call[] = []

  attach(target: MetricsHooks): void {
    this.#target = target
    for (const [name, args] of this.#queue) (target[name] as (...a: unknown[]) => void)(...args)
    this.#queue = []
  }

  #call(call: Call): void {
    if (this.#target) (this.#target[call[0]] as (...a: unknown[]) => void)(...call[1])
    else if (this.#queue.length < MAX_BUFFERED) this.#queue.push(call)
  }

  httpRequest(event: HttpRequestEvent): void {
    this.#call(['httpRequest', [event]])
  }
  poolTask(event: PoolTaskEvent): void {
    this.#call(['poolTask', [event]])
  }
  poolState(event: PoolStateEvent): void {
    this.#call(['poolState', [event]])
  }
  queueState(event: QueueStateEvent): void {
    this.#call(['queueState', [event]])
  }
  cache(name: string, stats: () => CacheStats): void {
    this.#call(['cache', [name, stats]])
  }
}
