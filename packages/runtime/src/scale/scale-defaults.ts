import { availableParallelism } from 'node:os'
import { injectedOptions } from '../injected-config.js'

/**
 * Defaults the build injected with `runtime: { scale: {...} }` (validated by the plugin), read on
 * first use. Each explicit option of `limit`, `map`, `createPool` or `createQueue` wins over them.
 */
export interface InjectedScaleDefaults {
  concurrency?: number
  minThreads?: number
  maxThreads?: number
  idleTimeout?: number
  maxQueue?: number
  redis?: string
  prefix?: string
}

export function scaleDefaults(): InjectedScaleDefaults {
  return injectedOptions<InjectedScaleDefaults>('scale') ?? {}
}

/** Threads a pool may use when neither the call nor the build says: one per core the process may use. */
export function defaultThreadCount(): number {
  return scaleDefaults().maxThreads ?? availableParallelism()
}
