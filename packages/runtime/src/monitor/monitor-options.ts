import { checkKeys, fail, isPlainObject } from '../option-checks.js'
/** Limits checked at every sample; each is reported once per run. */
export interface MonitorThresholds {
  /** Resident set size, in MiB. @default undefined (no limit) */
  maxRssMiB?: number
  /** V8 heap used, in MiB. @default undefined (no limit) */
  maxHeapMiB?: number
  /** Longest event-loop delay seen so far, in milliseconds. @default undefined (no limit) */
  maxEventLoopDelayMs?: number
}

export type ThresholdName = keyof MonitorThresholds

/** What happens when a threshold is crossed (the `onThreshold` hook is called first in every case). */
export type ThresholdPolicy = 'hook' | 'warn' | 'stop'

/** Passed to `onThreshold`. */
export interface ThresholdEvent {
  threshold: ThresholdName
  /** The measured value, in the threshold's unit (MiB or milliseconds). */
  value: number
  limit: number
  command: string | undefined
  /** Milliseconds since the monitor started. */
  elapsedMs: number
  /** Path of the heap snapshot written for this crossing, when `heapSnapshotDir` is set. */
  heapSnapshot: string | undefined
}

/** Settings of the leak verdict. */
export interface LeakOptions {
  /** Only heap-after-GC samples this recent count, in milliseconds. @default 60000 */
  windowMs?: number
  /** Fewer samples than this give no verdict. @default 4 */
  minSamples?: number
  /** The samples must span at least this long for a verdict, in milliseconds. @default 8000 */
  minSpanMs?: number
  /** Growth below this rate is never called a leak, in KiB per second. @default 64 */
  minSlopeKiBps?: number
  /** Confidence needed to call it a leak, between 0 and 1 (exclusive). @default 0.99 */
  confidence?: number
  /**
   * Milliseconds before the GC observer starts: start-up growth (JIT code, caches) is not a leak,
   * and short commands never pay for the observer.
   * @default 2000
   */
  startAfterMs?: number
}

/** A memory reading (the fields of `process.memoryUsage()` the monitor uses). */
export interface MemoryReading {
  rss: number
  heapUsed: number
  heapTotal: number
  external: number
  arrayBuffers: number
}

/** Options of `createMonitor()` and of `runtime.monitor` in the plugin. */
export interface MonitorOptions {
  /**
   * Whether `startMonitor()` starts it on every run; `false` starts it only when
   * `CLI_OPTIMIZER_MONITOR=1`. `CLI_OPTIMIZER_MONITOR=0` turns it off either way.
   * @default true
   */
  enabled?: boolean
  /** Milliseconds between samples (on an unref'd timer: it never keeps the process alive). @default 1000 */
  intervalMs?: number
  /** Limits for every command. @default {} */
  thresholds?: MonitorThresholds
  /** Limits per command name, merged over `thresholds`. @default {} */
  commands?: Record<string, MonitorThresholds>
  /** The running command's name. @default `process.argv[2]` when it does not start with `-` */
  command?: string
  /**
   * `'hook'`: only call `onThreshold`; `'warn'`: also print one warning per threshold;
   * `'stop'`: also print why and exit with `exitCode`.
   * @default 'warn'
   */
  policy?: ThresholdPolicy
  /** Exit code of a command stopped by the `'stop'` policy. @default 70 (EX_SOFTWARE) */
  exitCode?: number
  /** Called once per crossed threshold, before the policy applies. @default undefined */
  onThreshold?: (event: ThresholdEvent) => void
  /** Write a heap snapshot (`v8.writeHeapSnapshot`) to this folder at the first crossing. @default undefined */
  heapSnapshotDir?: string
  /** Leak verdict from the heap after major GCs; `false` turns it off. @default {} (on) */
  leak?: LeakOptions | boolean
  /** Print the summary to stderr at exit. @default true when `CLI_OPTIMIZER_MONITOR=1` */
  summary?: boolean
  /** Resolution of `perf_hooks.monitorEventLoopDelay`, in milliseconds. @default 20 */
  eventLoopResolutionMs?: number
  /** Milliseconds clock, for tests and simulations. @default performance.now */
  clock?: () => number
  /** Memory reader, for tests and simulations. @default process.memoryUsage */
  readMemory?: () => MemoryReading
}

export interface ResolvedLeakOptions {
  windowMs: number
  minSamples: number
  minSpanMs: number
  minSlopeKiBps: number
  confidence: number
  startAfterMs: number
}

export interface ResolvedMonitorOptions {
  enabled: boolean
  intervalMs: number
  thresholds: MonitorThresholds
  commands: Record<string, MonitorThresholds>
  command: string | undefined
  policy: ThresholdPolicy
  exitCode: number
  onThreshold: ((event: ThresholdEvent) => void) | undefined
  heapSnapshotDir: string | undefined
  leak: ResolvedLeakOptions | undefined
  summary: boolean
  eventLoopResolutionMs: number
  clock: () => number
  readMemory: () => MemoryReading
}

const KNOWN = ['enabled', 'intervalMs', 'thresholds', 'commands', 'command', 'policy', 'exitCode', 'onThreshold', 'heapSnapshotDir', 'leak', 'summary', 'eventLoopResolutionMs', 'clock', 'readMemory']
const THRESHOLDS: readonly ThresholdName[] = ['maxRssMiB', 'maxHeapMiB', 'maxEventLoopDelayMs']
const LEAK = ['windowMs', 'minSamples', 'minSpanMs', 'minSlopeKiBps', 'confidence', 'startAfterMs']

function positive(path: string, value: unknown, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) fail(path, max === Number.MAX_SAFE_INTEGER ? 'a positive number' : `a positive number up to ${max}`, value)
  return value
}

function thresholds(path: string, value: unknown): MonitorThresholds {
  if (value === undefined) return {}
  if (!isPlainObject(value)) fail(path, 'an object { maxRssMiB?, maxHeapMiB?, maxEventLoopDelayMs? }', value)
  checkKeys(path, value, THRESHOLDS)
  const out: MonitorThresholds = {}
  for (const name of THRESHOLDS) if (value[name] !== undefined) out[name] = positive(`${path}.${name}`, value[name], 0)
  return out
}

function fn<T>(path: string, value: unknown): T | undefined {
  if (value !== undefined && typeof value !== 'function') fail(path, 'a function', value)
  return value as T | undefined
}

/**
 * Validates monitor options and fills the defaults. `path` prefixes option names in errors
 * (`runtime.monitor` when the plugin validates them at build time).
 */
export function resolveMonitorOptions(options: unknown, path = 'monitor', env: NodeJS.ProcessEnv = process.env): ResolvedMonitorOptions {
  if (options === undefined) options = {}
  if (!isPlainObject(options)) fail(path, 'an object', options)
  checkKeys(path, options, KNOWN)

  const commands: Record<string, MonitorThresholds> = {}
  if (options.commands !== undefined) {
    if (!isPlainObject(options.commands)) fail(`${path}.commands`, 'an object of command name to thresholds', options.commands)
    for (const [name, value] of Object.entries(options.commands)) commands[name] = thresholds(`${path}.commands.${name}`, value)
  }
  const command = options.command
  if (command !== undefined && (typeof command !== 'string' || command === '')) fail(`${path}.command`, 'a non-empty string', command)
  const policy = options.policy ?? 'warn'
  if (policy !== 'hook' && policy !== 'warn' && policy !== 'stop') fail(`${path}.policy`, "'hook', 'warn' or 'stop'", policy)
  const exitCode = options.exitCode ?? 70
  if (typeof exitCode !== 'number' || !Number.isInteger(exitCode) || exitCode < 1 || exitCode > 255) fail(`${path}.exitCode`, 'an integer from 1 to 255', exitCode)
  const dir = options.heapSnapshotDir
  if (dir !== undefined && (typeof dir !== 'string' || dir === '')) fail(`${path}.heapSnapshotDir`, 'a folder path', dir)
  if (options.summary !== undefined && typeof options.summary !== 'boolean') fail(`${path}.summary`, 'a boolean', options.summary)
  if (options.enabled !== undefined && typeof options.enabled !== 'boolean') fail(`${path}.enabled`, 'a boolean', options.enabled)

  let leak: ResolvedLeakOptions | undefined
  const rawLeak = options.leak ?? true
  if (rawLeak !== false) {
    if (rawLeak !== true && !isPlainObject(rawLeak)) fail(`${path}.leak`, 'a boolean or an object', rawLeak)
    const l = rawLeak === true ? {} : rawLeak
    checkKeys(`${path}.leak`, l, LEAK)
    const minSamples = l.minSamples ?? 4
    if (typeof minSamples !== 'number' || !Number.isInteger(minSamples) || minSamples < 3) fail(`${path}.leak.minSamples`, 'an integer of at least 3', minSamples)
    const confidence = l.confidence ?? 0.99
    if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) fail(`${path}.leak.confidence`, 'a number between 0 and 1 (exclusive)', confidence)
    const startAfterMs = l.startAfterMs ?? 2000
    if (typeof startAfterMs !== 'number' || !Number.isFinite(startAfterMs) || startAfterMs < 0) fail(`${path}.leak.startAfterMs`, 'a non-negative number of milliseconds', startAfterMs)
    leak = {
      windowMs: positive(`${path}.leak.windowMs`, l.windowMs, 60_000),
      minSamples,
      minSpanMs: positive(`${path}.leak.minSpanMs`, l.minSpanMs, 8000),
      minSlopeKiBps: positive(`${path}.leak.minSlopeKiBps`, l.minSlopeKiBps, 64),
      confidence,
      startAfterMs,
    }
  }

  return {
    enabled: (options.enabled as boolean | undefined) ?? true,
    intervalMs: positive(`${path}.intervalMs`, options.intervalMs, 1000),
    thresholds: thresholds(`${path}.thresholds`, options.thresholds),
    commands,
    command: command as string | undefined,
    policy,
    exitCode,
    onThreshold: fn(`${path}.onThreshold`, options.onThreshold),
    heapSnapshotDir: dir as string | undefined,
    leak,
    summary: (options.summary as boolean | undefined) ?? env.CLI_OPTIMIZER_MONITOR === '1',
    eventLoopResolutionMs: positive(`${path}.eventLoopResolutionMs`, options.eventLoopResolutionMs, 20, 1000),
    clock: fn<() => number>(`${path}.clock`, options.clock) ?? (() => performance.now()),
    readMemory: fn<() => MemoryReading>(`${path}.readMemory`, options.readMemory) ?? (() => process.memoryUsage()),
  }
}
