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
 * (`runtime.monitor`) merged under `options`. The bootstrap calls this when the service is on.
 */
export function startMonitor(options?: MonitorOptions): Monitor {
  started ??= new Monitor(resolveMonitorOptions({ ...injectedOptions<MonitorOptions>('monitor'), ...options })).start()
  return started
}
