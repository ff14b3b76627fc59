import { createRequire } from 'node:module'
import { httpService } from './http-service.js'
import { metricsService } from './metrics-service.js'
import { monitorService } from './monitor-service.js'
import { scaleService } from './scale-service.js'

/**
 * A service of `@cli-optimizer/runtime` that the bootstrap sets up (`runtime: { http: {...} }`).
 *
 * The bootstrap runs on every start, so a service contributes at most a few bytes of inline code
 * there (a lazy `globalThis.fetch`, a check of an environment variable) and loads its module with a
 * dynamic import on first use. Its resolved options reach that module through
 * {@link RUNTIME_CONFIG_KEY}, which the bootstrap sets before anything else runs.
 */
export interface RuntimeService<T = unknown> {
  /** Key under `runtime` in the plugin options, and under the injected config object. */
  readonly key: string
  /**
   * Validates the user's value at plugin creation and fills defaults. `undefined` and `false` mean
   * "off" and never reach this function. Throws a `TypeError` naming the option path
   * (`runtime.http.retry`, say) on bad input. The result must survive `JSON.stringify`.
   */
  resolve(path: string, value: unknown): T
  /**
   * Statements the bootstrap runs at start, after the config is set. `runtimeModule('http/install')`
   * is the absolute path of `@cli-optimizer/runtime/http/install`, for a dynamic `import()` the
   * bundler turns into a chunk of its own.
   */
  bootstrapLines(options: T, runtimeModule: (subpath: string) => string): string[]
}

/** `globalThis[Symbol.for(RUNTIME_CONFIG_KEY)]` holds `{ [service.key]: resolvedOptions }`. */
export const RUNTIME_CONFIG_KEY = 'cli-optimizer.runtime'

/**
 * Every service the `runtime` option knows, in the order the bootstrap sets them up. A new service
 * adds one entry here and one file beside this one.
 */
export const runtimeServices: readonly RuntimeService<any>[] = [
  httpService,
  monitorService,
  metricsService,
  scaleService,
]

/** Resolves a subpath of the runtime package from this plugin, so the user need not depend on it. */
export function runtimeModulePath(subpath: string): string {
  return createRequire(import.meta.url).resolve(`@cli-optimizer/runtime/${subpath}`)
}
