import { isAbsolute } from 'node:path'
import { pathToFileURL } from 'node:url'
import { scaleDefaults } from './scale-defaults.js'
import { duration, fail, nonNegativeInteger, objectOption, oneOf, positiveInteger } from './scale-validation.js'

/** Options of {@link createQueue} and {@link work}. */
export interface QueueOptions {
  /** Queue name; producers and workers that share it (and the Redis) share the jobs. */
  name: string
  /**
   * Redis URL (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS).
   * @default the injected `runtime.scale.redis`, else 'redis://127.0.0.1:6379'
   */
  redis?: string
  /**
   * Prefix of the queue's Redis keys.
   * @default the injected `runtime.scale.prefix`, else 'cli-optimizer'
   */
  prefix?: string
  /**
   * Jobs one `work()` process runs at once (each on the event loop of that process: for CPU-bound
   * tasks run one process per core, or call a pool from the task).
   * @default 1
   */
  concurrency?: number
  /**
   * Times a job runs before it counts as failed (1 = no retry).
   * @default 3
   */
  attempts?: number
  /**
   * Wait between attempts: `exponential` waits `delay`, 2x`delay`, 4x`delay`...
   * @default { type: 'exponential', delay: 1000 }
   */
  backoff?: { type: 'exponential' | 'fixed'; delay: number }
  /**
   * At most `max` jobs start per `duration` milliseconds, across every worker of the queue.
   * @default undefined (no limit)
   */
  limiter?: { max: number; duration: number }
  /**
   * Milliseconds a worker holds a job's lock between renewals; a worker that dies (SIGKILL, power
   * loss) holds it at most this long before another worker may take the job again.
   * @default 30000
   */
  lockDuration?: number
  /**
   * Milliseconds between checks for jobs whose worker died; such a job goes back to the queue.
   * @default 30000
   */
  stalledInterval?: number
  /**
   * Longest wait for the first connection to Redis; past it the first operation rejects with
   * `ERR_SCALE_REDIS_UNREACHABLE`. Once connected, a lost connection is retried without end.
   * @default 2000
   */
  connectTimeout?: number
  /**
   * On SIGINT or SIGTERM, `work()` stops taking jobs and lets running jobs finish for this many
   * milliseconds; jobs still running then go back to the queue (their lock is released), and the
   * signal's default action (exit) follows. 0 returns them at once.
   * @default 10000
   */
  shutdownTimeout?: number
  /**
   * Let `work()` handle SIGINT and SIGTERM as above. Turn off to call `worker.close()` yourself.
   * @default true
   */
  handleSignals?: boolean
}

export interface ResolvedQueueOptions {
  name: string
  redis: string
  prefix: string
  concurrency: number
  attempts: number
  backoff: { type: 'exponential' | 'fixed'; delay: number }
  limiter: { max: number; duration: number } | undefined
  lockDuration: number
  stalledInterval: number
  connectTimeout: number
  shutdownTimeout: number
  handleSignals: boolean
}

const KNOWN = ['name', 'redis', 'prefix', 'concurrency', 'attempts', 'backoff', 'limiter', 'lockDuration', 'stalledInterval', 'connectTimeout', 'shutdownTimeout', 'handleSignals']

/** Validates queue options and fills the defaults; a bad option throws a `TypeError` naming it. */
export function resolveQueueOptions(where: string, options: unknown): ResolvedQueueOptions {
  if (options === undefined) fail(`${where} options`, 'an object with a name', options)
  const o = objectOption(`${where} options`, options, KNOWN)
  if (typeof o.name !== 'string' || !/^[\w.-]+$/.test(o.name)) fail(`${where} options.name`, 'a non-empty string of letters, digits, _ . -', o.name)
  const injected = scaleDefaults()
  const redis = o.redis ?? injected.redis ?? 'redis://127.0.0.1:6379'
  if (typeof redis !== 'string' || !/^rediss?:\/\//.test(redis)) fail(`${where} options.redis`, "a redis:// or rediss:// URL", redis)
  const prefix = o.prefix ?? injected.prefix ?? 'cli-optimizer'
  if (typeof prefix !== 'string' || prefix === '') fail(`${where} options.prefix`, 'a non-empty string', prefix)
  const backoffRaw = objectOption(`${where} options.backoff`, o.backoff, ['type', 'delay'])
  const limiterRaw = o.limiter === undefined ? undefined : objectOption(`${where} options.limiter`, o.limiter, ['max', 'duration'])
  return {
    name: o.name,
    redis,
    prefix,
    concurrency: positiveInteger(`${where} options.concurrency`, o.concurrency, 1),
    attempts: positiveInteger(`${where} options.attempts`, o.attempts, 3),
    backoff: {
      type: oneOf(`${where} options.backoff.type`, backoffRaw.type, ['exponential', 'fixed'], 'exponential'),
      delay: nonNegativeInteger(`${where} options.backoff.delay`, backoffRaw.delay, 1000),
    },
    limiter: limiterRaw && {
      max: positiveInteger(`${where} options.limiter.max`, limiterRaw.max ?? null, 0),
      duration: positiveInteger(`${where} options.limiter.duration`, limiterRaw.duration ?? null, 0),
    },
    lockDuration: positiveInteger(`${where} options.lockDuration`, o.lockDuration, 30_000),
    stalledInterval: positiveInteger(`${where} options.stalledInterval`, o.stalledInterval, 30_000),
    connectTimeout: positiveInteger(`${where} options.connectTimeout`, o.connectTimeout, 2000),
    shutdownTimeout: duration(`${where} options.shutdownTimeout`, o.shutdownTimeout, 10_000),
    handleSignals: o.handleSignals === undefined ? true : typeof o.handleSignals === 'boolean' ? o.handleSignals : fail(`${where} options.handleSignals`, 'a boolean', o.handleSignals),
  }
}

/** The task module of `work()`: an absolute path, a `file:` URL string or a `URL`. */
export function taskModuleUrl(where: string, value: unknown): string {
  if (value instanceof URL && value.protocol === 'file:') return value.href
  if (typeof value === 'string' && value.startsWith('file:')) return new URL(value).href
  if (typeof value === 'string' && isAbsolute(value)) return pathToFileURL(value).href
  return fail(where, "an absolute path, a file: URL string or a URL (new URL('./task.js', import.meta.url))", value instanceof URL ? value.href : value)
}

/** The URL without its password, for error messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.href
  } catch {
    return url
  }
}
