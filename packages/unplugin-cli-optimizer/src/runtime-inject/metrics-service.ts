import { createRequire } from 'node:module'
import { stableJson, withoutDefaults } from './prune-defaults.js'
import type { RuntimeService } from './runtime-services.js'

/** The environments `resolveMetricsOptions` tells apart: none, and every exporter named by a variable. */
const ENVS = [{}, { CLI_OPTIMIZER_PUSHGATEWAY_URL: 'http://127.0.0.1:9091', CLI_OPTIMIZER_METRICS_FILE: 'metrics.prom', CLI_OPTIMIZER_METRICS_PORT: '9464' }]

/**
 * `runtime.metrics`: the options of `@cli-optimizer/runtime/metrics` (JSON only: they are
 * injected into the bundle). With an exporter (`push`, `file`, `serve`) in the options every run
 * starts the service, unless `CLI_OPTIMIZER_METRICS=0`; without one, a run starts it only when
 * the environment names an exporter (`CLI_OPTIMIZER_PUSHGATEWAY_URL`, `CLI_OPTIMIZER_METRICS_FILE`,
 * `CLI_OPTIMIZER_METRICS_PORT`).
 */
export const metricsService: RuntimeService<Record<string, unknown>> = {
  key: 'metrics',
  resolve(path, value) {
    if ((value as Record<string, unknown> | null)?.onWarning !== undefined) {
      throw new TypeError(`[cli-optimizer] ${path}.onWarning cannot be set in the plugin options (a function cannot be injected); pass it to startMetrics() in the program`)
    }
    const { resolveMetricsOptions } = createRequire(import.meta.url)('@cli-optimizer/runtime/metrics') as { resolveMetricsOptions(o: unknown, path: string, env: object): unknown }
    resolveMetricsOptions(value, path, {})
    // Only what differs from the defaults under every environment the resolver reads. `job`
    // defaults to the name of the script that runs, which only the run knows: it always stays.
    return withoutDefaults(value as Record<string, unknown>, (o) => ENVS.map((env) => stableJson(resolveMetricsOptions(o, path, env))).join('\n'), ['job'])
  },
  bootstrapLines(options, runtimeModule) {
    // Awaited: the exit hooks and prom-client must be in place before the program can call process.exit().
    const start = `await import(${JSON.stringify(runtimeModule('metrics'))}).then(m=>m.startMetrics());`
    if (options.push !== undefined || options.file !== undefined || options.serve !== undefined) return [`process.env.CLI_OPTIMIZER_METRICS!=='0'&&${start}`]
    return [`(e=>e.CLI_OPTIMIZER_PUSHGATEWAY_URL||e.CLI_OPTIMIZER_METRICS_FILE||e.CLI_OPTIMIZER_METRICS_PORT)(process.env)&&${start}`]
  },
}
