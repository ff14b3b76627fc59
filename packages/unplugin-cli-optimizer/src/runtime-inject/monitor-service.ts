import { createRequire } from 'node:module'
import { stableJson, withoutDefaults } from './prune-defaults.js'
import type { RuntimeService } from './runtime-services.js'

/** Options that are functions cannot be injected; the program passes them to `startMonitor()`. */
const FUNCTIONS = ['onThreshold', 'clock', 'readMemory']

/** The environments `resolveMonitorOptions` tells apart (`summary` defaults to `CLI_OPTIMIZER_MONITOR === '1'`). */
const ENVS = [{}, { CLI_OPTIMIZER_MONITOR: '1' }]

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
    // Only what differs from the defaults, with and without the variable the resolver reads.
    return withoutDefaults(value as Record<string, unknown>, (o) => ENVS.map((env) => stableJson(resolveMonitorOptions(o, path, env))).join('\n'))
  },
  bootstrapLines(options, runtimeModule) {
    const start = `import(${JSON.stringify(runtimeModule('monitor'))}).then(m=>m.startMonitor());`
    return [`process.env.CLI_OPTIMIZER_MONITOR${options.enabled === false ? "==='1'" : "!=='0'"}&&${start}`]
  },
}
