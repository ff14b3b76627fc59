import { createRequire } from 'node:module'
import type { RuntimeService } from './runtime-services.js'

/** Options that are functions cannot be injected; the program passes them to `startMonitor()`. */
const FUNCTIONS = ['onThreshold', 'clock', 'readMemory']

/**
 * `runtime.monitor`: the options of `@cli-optimizer/runtime/monitor` (JSON only: they are
 * injected into the bundle). With `enabled: false` the bootstrap loads the monitor only when
 * `CLI_OPTIMIZER_MONITOR=1`; otherwise on every run unless `CLI_OPTIMIZER_MONITOR=0`.
 */
export const monitorService: RuntimeService<Record<string, unknown>> = {
  key: 'monitor',
  resolve(path, value) {
    for (const name of FUNCTIONS) {
      if ((value as Record<string, unknown> | null)?.[name] !== undefined) {
        throw new TypeError(`[cli-optimizer] ${path}.${name} cannot be set in the plugin options (a function cannot be injected); pass it to startMonitor() in the program`)
      }
    }
    // The runtime's own validation (require(esm)), so build and run reject exactly the same values.
    const { resolveMonitorOptions } = createRequire(import.meta.url)('@cli-optimizer/runtime/monitor') as { resolveMonitorOptions(o: unknown, path: string, env: object): unknown }
    resolveMonitorOptions(value, path, {})
    return value as Record<string, unknown>
  },
  bootstrapLines(options, runtimeModule) {
    const start = `import(${JSON.stringify(runtimeModule('monitor'))}).then((m) => m.startMonitor());`
    return [options.enabled === false ? `process.env.CLI_OPTIMIZER_MONITOR === '1' && ${start}` : `process.env.CLI_OPTIMIZER_MONITOR !== '0' && ${start}`]
  },
}
