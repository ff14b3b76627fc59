import { checkKnownKeys, isPlainObject, optionError, optionalBoolean } from '../core/options-validation.js'
import { runtimeServices } from './runtime-services.js'

/** The bootstrap injected at the top of every entry, and the runtime services it sets up. */
export interface RuntimeOptions {
  /**
   * Enable Node's module compile cache (`module.enableCompileCache()`, Node 22.8+; a no-op on
   * older Node). The entry then loads the program with a dynamic import, so the cache covers it.
   * @default true
   */
  compileCache?: boolean
  /**
   * Support `CLI_OPTIMIZER_PROFILE=1`: at exit, print to stderr the time to the first command
   * code, the time in the command, the chunks loaded with their bytes, peak RSS and heap. Costs
   * nothing unless the variable is set (the profiler is a separate chunk).
   * @default true
   */
  profile?: boolean
  /**
   * Runtime services (`http`, `monitor`, `metrics`, `scale`): `true` or an options object turns
   * one on; each is loaded on first use, so a run that never needs it loads nothing more.
   * Off by default. See each service's documentation under `docs/runtime-*.md`.
   */
  [service: string]: unknown
}

export interface ResolvedRuntimeOptions {
  compileCache: boolean
  profile: boolean
  /** Resolved options of each enabled service, by key, in `runtimeServices` order. */
  services: Record<string, unknown>
}

/** `runtime: false` leaves entries untouched; `true` (the default) enables the bootstrap. */
export function resolveRuntimeOptions(value: unknown): ResolvedRuntimeOptions | false {
  if (value === false) return false
  if (value === undefined || value === true) return { compileCache: true, profile: true, services: {} }
  const serviceKeys = runtimeServices.map((s) => s.key)
  if (!isPlainObject(value)) {
    throw optionError('runtime', `a boolean or an object { ${['compileCache', 'profile', ...serviceKeys].map((k) => `${k}?`).join(', ')} }`, value)
  }
  checkKnownKeys('runtime', value, ['compileCache', 'profile', ...serviceKeys])
  const services: Record<string, unknown> = {}
  for (const service of runtimeServices) {
    const raw = value[service.key]
    if (raw === undefined || raw === false) continue
    services[service.key] = service.resolve(`runtime.${service.key}`, raw === true ? {} : raw)
  }
  return {
    compileCache: optionalBoolean('runtime.compileCache', value.compileCache, true),
    profile: optionalBoolean('runtime.profile', value.profile, true),
    services,
  }
}
