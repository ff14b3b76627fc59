import { checkKnownKeys, isPlainObject, optionError, optionalString } from '../core/options-validation.js'
import type { RuntimeService } from './runtime-services.js'

/**
 * `runtime: { scale: {...} }`: build-time defaults of `@cli-optimizer/runtime/scale`. Every call's
 * own option wins over them. Unset numbers keep the runtime's defaults, computed on the machine
 * the CLI runs on (`os.availableParallelism()` threads), never the build machine's.
 */
export interface ScaleServiceOptions {
  /**
   * Default concurrency of `limit()` and `map()`.
   * @default 10
   */
  concurrency?: number
  /**
   * Default `minThreads` of `createPool()`.
   * @default 1
   */
  minThreads?: number
  /**
   * Default `maxThreads` of `createPool()`.
   * @default os.availableParallelism() where the CLI runs
   */
  maxThreads?: number
  /**
   * Default `idleTimeout` of `createPool()`, in milliseconds.
   * @default 1000
   */
  idleTimeout?: number
  /**
   * Default `maxQueue` of `createPool()`.
   * @default Infinity
   */
  maxQueue?: number
  /**
   * Default Redis URL of `createQueue()` and `work()`.
   * @default 'redis://127.0.0.1:6379'
   */
  redis?: string
  /**
   * Default Redis key prefix of `createQueue()` and `work()`.
   * @default 'cli-optimizer'
   */
  prefix?: string
}

/**
 * The runtime's defaults that do not depend on the machine (`maxThreads` does; `maxQueue`'s,
 * Infinity, cannot be written), as its `limit`, `createPool` and `createQueue` apply them.
 */
const RUNTIME_DEFAULTS: ScaleServiceOptions = { concurrency: 10, minThreads: 1, idleTimeout: 1000, redis: 'redis://127.0.0.1:6379', prefix: 'cli-optimizer' }

const KNOWN = ['concurrency', 'minThreads', 'maxThreads', 'idleTimeout', 'maxQueue', 'redis', 'prefix'] as const

function positiveInteger(path: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw optionError(path, 'a positive integer', value)
  return value
}

/**
 * Nothing runs at start: the config object the bootstrap already sets carries these defaults, and
 * the scale module reads them when the program first imports it.
 */
export const scaleService: RuntimeService<ScaleServiceOptions> = {
  key: 'scale',
  resolve(path, value) {
    if (!isPlainObject(value)) throw optionError(path, `true or an object { ${KNOWN.map((k) => `${k}?`).join(', ')} }`, value)
    checkKnownKeys(path, value, KNOWN)
    const resolved: ScaleServiceOptions = {
      concurrency: positiveInteger(`${path}.concurrency`, value.concurrency),
      minThreads: value.minThreads === 0 ? 0 : positiveInteger(`${path}.minThreads`, value.minThreads),
      maxThreads: positiveInteger(`${path}.maxThreads`, value.maxThreads),
      idleTimeout: positiveInteger(`${path}.idleTimeout`, value.idleTimeout),
      maxQueue: positiveInteger(`${path}.maxQueue`, value.maxQueue),
      redis: optionalString(`${path}.redis`, value.redis),
      prefix: optionalString(`${path}.prefix`, value.prefix),
    }
    if (resolved.redis !== undefined && !/^rediss?:\/\//.test(resolved.redis)) throw optionError(`${path}.redis`, 'a redis:// or rediss:// URL', resolved.redis)
    if (resolved.minThreads !== undefined && resolved.maxThreads !== undefined && resolved.minThreads > resolved.maxThreads) {
      throw optionError(`${path}.minThreads`, `at most ${path}.maxThreads (${resolved.maxThreads})`, resolved.minThreads)
    }
    // Only what was set and differs from the runtime's default: these bytes load on every start.
    return Object.fromEntries(Object.entries(resolved).filter(([k, v]) => v !== undefined && v !== RUNTIME_DEFAULTS[k as keyof ScaleServiceOptions])) as ScaleServiceOptions
  },
  bootstrapLines() {
    return []
  },
}
