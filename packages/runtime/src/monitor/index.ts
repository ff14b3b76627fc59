/**
 * `@cli-optimizer/runtime/monitor`: memory and event-loop monitoring for a CLI run, thresholds
 * with a policy, a leak verdict and bottleneck hints. Imports only Node built-ins.
 */
import { injectedOptions } from '../injected-config.js'
import { Monitor } from './monitor.js'
import { resolveMonitorOptions, type MonitorOptions } from './monitor-options.js'

export { Monitor, type MemoryPeaks, type MonitorReport } from './monitor.js'
export { LeakDetector, type LeakDetectorSettings, type LeakVerdict } from './leak-detector.js'
export { bottleneckHints, type BottleneckHint, type RunFigures } from './bottleneck.js'
export { resolveMonitorOptions } from './monitor-options.js'
export type { LeakOptions, MemoryReading, MonitorOptions, MonitorThresholds, ThresholdEvent, ThresholdName, ThresholdPolicy } from './monitor-options.js'

/** Creates a monitor (not started). A bad option throws a TypeError naming it. */
export function createMonitor(options?: MonitorOptions): Monitor {
  return new Monitor(resolveMonitorOptions(options))
}

let started: Monitor | undefined

/**
 * Starts the process-wide monitor once, with the options the cli-optimizer bootstrap injected
 * (`runtime.monitor`) merged under `options`, and returns it; `undefined` when it is off
 * (`enabled: false` without `CLI_OPTIMIZER_MONITOR=1`, or `CLI_OPTIMIZER_MONITOR=0`).
 */
export function startMonitor(options?: MonitorOptions): Monitor | undefined {
  if (started) return started
  const resolved = resolveMonitorOptions({ ...injectedOptions<MonitorOptions>('monitor'), ...options })
  const flag = process.env.CLI_OPTIMIZER_MONITOR
  if (flag === '0' || (!resolved.enabled && flag !== '1')) return undefined
  started = new Monitor(resolved).start()
  return started
}
