import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { constants, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks'
import { writeHeapSnapshot } from 'node:v8'
import { bottleneckHints, type BottleneckHint } from './bottleneck.js'
import { LeakDetector, type LeakVerdict } from './leak-detector.js'
import type { MemoryReading, MonitorThresholds, ResolvedMonitorOptions, ThresholdEvent, ThresholdName } from './monitor-options.js'

const MiB = 1048576

/** Peak values over the run, in bytes. */
export type MemoryPeaks = MemoryReading

export interface MonitorReport {
  command: string | undefined
  wallMs: number
  cpuMs: number
  samples: number
  peak: MemoryPeaks
  eventLoop: { p50Ms: number; p99Ms: number; maxMs: number }
  leak: LeakVerdict | undefined
  crossed: ThresholdEvent[]
  hints: BottleneckHint[]
}

const UNITS: Record<ThresholdName, string> = { maxRssMiB: 'MiB', maxHeapMiB: 'MiB', maxEventLoopDelayMs: 'ms' }
const LABELS: Record<ThresholdName, string> = { maxRssMiB: 'RSS', maxHeapMiB: 'heap used', maxEventLoopDelayMs: 'event-loop delay' }

function commandFromArgv(): string | undefined {
  const first = process.argv[2]
  return first !== undefined && !first.startsWith('-') ? first : undefined
}

function fmtMiB(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`
}

function fmtRate(bytesPerSecond: number): string {
  return `${bytesPerSecond >= 0 ? '+' : ''}${(bytesPerSecond / 1024).toFixed(1)} KiB/s`
}

/**
 * Samples memory and event-loop delay on an unref'd timer, applies the thresholds' policy, keeps
 * the peaks and the leak verdict, and prints a summary at exit when asked. `sample()` and
 * `addHeapAfterGc()` are public so tests drive it with injected readings and clock.
 */
export class Monitor {
  readonly #o: ResolvedMonitorOptions
  readonly #limits: MonitorThresholds
  readonly #command: string | undefined
  readonly #leak: LeakDetector | undefined
  readonly #crossed = new Map<ThresholdName, ThresholdEvent>()
  readonly #startMs: number
  readonly #startCpu = process.cpuUsage()
  #peak: MemoryPeaks = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 }
  #samples = 0
  #timer: NodeJS.Timeout | undefined
  #delay: IntervalHistogram | undefined
  #gcObserver: PerformanceObserver | undefined
  #gcTimer: NodeJS.Timeout | undefined
  #snapshotTaken = false
  #onExit: (() => void) | undefined

  constructor(options: ResolvedMonitorOptions) {
    this.#o = options
    this.#command = options.command ?? commandFromArgv()
    this.#limits = { ...options.thresholds, ...(this.#command !== undefined ? options.commands[this.#command] : undefined) }
    const leak = options.leak
    this.#leak = leak && new LeakDetector({ windowMs: leak.windowMs, minSamples: leak.minSamples, minSpanMs: leak.minSpanMs, minSlopeBytesPerSecond: leak.minSlopeKiBps * 1024, confidence: leak.confidence })
    this.#startMs = options.clock()
  }

  /** The thresholds in force for this command (`thresholds` merged with `commands[command]`). */
  get limits(): Readonly<MonitorThresholds> {
    return this.#limits
  }

  get command(): string | undefined {
    return this.#command
  }

  /** Starts the sampling timer, the event-loop delay histogram, the GC observer and the exit hook. */
  start(): this {
    if (this.#timer) return this
    this.#delay = monitorEventLoopDelay({ resolution: this.#o.eventLoopResolutionMs })
    this.#delay.enable()
    this.#timer = setInterval(() => this.sample(), this.#o.intervalMs).unref()
    if (this.#leak) {
      this.#gcTimer = setTimeout(() => this.#observeGc(), this.#o.leak!.startAfterMs).unref()
    }
    this.#onExit = () => {
      this.sample()
      if (this.#o.summary) process.stderr.write(this.formatSummary())
      this.stop()
    }
    process.once('exit', this.#onExit)
    return this
  }

  /** Stops sampling; the report keeps what was measured. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer)
    if (this.#gcTimer) clearTimeout(this.#gcTimer)
    this.#gcObserver?.disconnect()
    this.#delay?.disable()
    if (this.#onExit) process.removeListener('exit', this.#onExit)
    this.#timer = this.#gcTimer = this.#gcObserver = this.#onExit = undefined
  }

  /** Takes one sample now: updates the peaks and checks the thresholds. */
  sample(): MemoryReading {
    const m = this.#o.readMemory()
    this.#samples++
    const p = this.#peak
    if (m.rss > p.rss) p.rss = m.rss
    if (m.heapUsed > p.heapUsed) p.heapUsed = m.heapUsed
    if (m.heapTotal > p.heapTotal) p.heapTotal = m.heapTotal
    if (m.external > p.external) p.external = m.external
    if (m.arrayBuffers > p.arrayBuffers) p.arrayBuffers = m.arrayBuffers
    const l = this.#limits
    if (l.maxRssMiB !== undefined) this.#check('maxRssMiB', m.rss / MiB, l.maxRssMiB)
    if (l.maxHeapMiB !== undefined) this.#check('maxHeapMiB', m.heapUsed / MiB, l.maxHeapMiB)
    if (l.maxEventLoopDelayMs !== undefined && this.#delay) this.#check('maxEventLoopDelayMs', this.#delay.max / 1e6, l.maxEventLoopDelayMs)
    return m
  }

  /** Feeds the leak verdict the heap used right after a GC (the monitor's GC observer calls it). */
  addHeapAfterGc(timeMs: number, heapBytes: number): void {
    this.#leak?.add(timeMs, heapBytes)
  }

  leakVerdict(): LeakVerdict | undefined {
    return this.#leak?.verdict()
  }

  report(): MonitorReport {
    const wallMs = this.#o.clock() - this.#startMs
    const cpu = process.cpuUsage(this.#startCpu)
    const cpuMs = (cpu.user + cpu.system) / 1000
    const d = this.#delay
    const eventLoop = d && d.count > 0 ? { p50Ms: d.percentile(50) / 1e6, p99Ms: d.percentile(99) / 1e6, maxMs: d.max / 1e6 } : { p50Ms: 0, p99Ms: 0, maxMs: 0 }
    return {
      command: this.#command,
      wallMs,
      cpuMs,
      samples: this.#samples,
      peak: { ...this.#peak },
      eventLoop,
      leak: this.leakVerdict(),
      crossed: [...this.#crossed.values()],
      hints: bottleneckHints({ wallMs, cpuMs, eventLoopMaxMs: eventLoop.maxMs, eventLoopP99Ms: eventLoop.p99Ms }),
    }
  }

  formatSummary(report: MonitorReport = this.report()): string {
    const r = report
    const lines = [`[cli-optimizer monitor] ${r.command ?? '(no command)'}: ${(r.wallMs / 1000).toFixed(2)} s, ${r.samples} samples`]
    lines.push(`  peak RSS ${fmtMiB(r.peak.rss)}, heap used ${fmtMiB(r.peak.heapUsed)} of ${fmtMiB(r.peak.heapTotal)}, external ${fmtMiB(r.peak.external)}, array buffers ${fmtMiB(r.peak.arrayBuffers)}`)
    lines.push(`  event-loop delay p50 ${r.eventLoop.p50Ms.toFixed(1)} ms, p99 ${r.eventLoop.p99Ms.toFixed(1)} ms, max ${r.eventLoop.maxMs.toFixed(1)} ms`)
    if (r.leak) {
      const v = r.leak
      const basis = `${v.samples} heap-after-GC samples over ${(v.spanMs / 1000).toFixed(1)} s`
      if (v.status === 'leak') lines.push(`  memory: leaking ~${(v.slopeBytesPerSecond / 1024).toFixed(0)} KiB/s (confidence ${(v.confidence * 100).toFixed(1)}%, ${basis})`)
      else if (v.status === 'no-leak') lines.push(`  memory: no leak (heap after GC ${fmtRate(v.slopeBytesPerSecond)}, ${basis})`)
      else lines.push(`  memory: no leak verdict (${basis}; needs a longer run)`)
    }
    for (const e of r.crossed) lines.push(`  threshold ${e.threshold} ${e.limit} crossed at ${(e.elapsedMs / 1000).toFixed(1)} s: ${e.value.toFixed(1)} ${UNITS[e.threshold]}`)
    for (const h of r.hints) lines.push(`  ${h.message}`)
    return `${lines.join('\n')}\n`
  }

  #observeGc(): void {
    this.#gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        // Only major GCs: after a scavenge the old generation still holds its garbage.
        if (((entry as { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
          this.addHeapAfterGc(this.#o.clock(), this.#o.readMemory().heapUsed)
        }
      }
    })
    this.#gcObserver.observe({ entryTypes: ['gc'] })
  }

  #check(name: ThresholdName, value: number, limit: number): void {
    if (value <= limit || this.#crossed.has(name)) return
    let heapSnapshot: string | undefined
    if (this.#o.heapSnapshotDir && !this.#snapshotTaken) {
      this.#snapshotTaken = true
      mkdirSync(this.#o.heapSnapshotDir, { recursive: true })
      heapSnapshot = writeHeapSnapshot(path.join(this.#o.heapSnapshotDir, `${this.#command ?? 'run'}-${process.pid}-${Date.now()}.heapsnapshot`))
    }
    const event: ThresholdEvent = { threshold: name, value, limit, command: this.#command, elapsedMs: this.#o.clock() - this.#startMs, heapSnapshot }
    this.#crossed.set(name, event)
    this.#o.onThreshold?.(event)
    const where = this.#command !== undefined ? ` in command "${this.#command}"` : ''
    const what = `${LABELS[name]} ${value.toFixed(1)} ${UNITS[name]} exceeded ${name} ${limit}${where}${heapSnapshot ? `; heap snapshot: ${heapSnapshot}` : ''}`
    if (this.#o.policy === 'warn') {
      process.emitWarning(what, 'CliOptimizerMonitorWarning', 'CLI_OPTIMIZER_MONITOR_THRESHOLD')
    } else if (this.#o.policy === 'stop') {
      process.stderr.write(`[cli-optimizer monitor] stopped: ${what} (exit code ${this.#o.exitCode}; set runtime.monitor.policy to 'warn' to continue)\n`)
      process.exit(this.#o.exitCode)
    }
  }
}
