import { checkKnownKeys, isPlainObject, optionError, optionalBoolean } from '../core/options-validation.js'

/** The bootstrap injected at the top of every entry. */
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
}

export interface ResolvedRuntimeOptions {
  compileCache: boolean
  profile: boolean
}

/** `runtime: false` leaves entries untouched; `true` (the default) enables everything. */
export function resolveRuntimeOptions(value: unknown): ResolvedRuntimeOptions | false {
  if (value === false) return false
  if (value === undefined || value === true) return { compileCache: true, profile: true }
  if (!isPlainObject(value)) throw optionError('runtime', 'a boolean or an object { compileCache?, profile? }', value)
  checkKnownKeys('runtime', value, ['compileCache', 'profile'])
  return {
    compileCache: optionalBoolean('runtime.compileCache', value.compileCache, true),
    profile: optionalBoolean('runtime.profile', value.profile, true),
  }
}
