import promClient from 'prom-client'
import type { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { CacheStats } from '../cache/cache.js'
import type { HttpRequestEvent, MetricsHooks, PoolStateEvent, PoolTaskEvent, QueueStateEvent } from './metrics-hooks.js'
import type { ResolvedMetricsOptions } from './metrics-options.js'

type Labels = Partial<Record<string, string | number>>

/** Options of a user metric. */
export interface MetricConfig<L extends string = string> {
  /** Full metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`); no prefix is added. */
  name: string
  help: string
  labelNames?: readonly L[]
}

export interface HistogramConfig<L extends string = string> extends MetricConfig<L> {
  /** Bucket upper bounds. @default prom-client's defaults */
  buckets?: number[]
}

export interface CounterHandle<L extends string = string> {
  inc(value?: number): void
  inc(labels: Partial<Record<L, string | number>>, value?: number): void
}

export interface GaugeHandle<L extends string = string> {
  set(value: number): void
  set(labels: Partial<Record<L, string | number>>, value: number): void
  inc(value?: number): void
  inc(labels: Partial<Record<L, string | number>>, value?: number): void
  dec(value?: number): void
  dec(labels: Partial<Record<L, string | number>>, value?: number): void
}

export interface HistogramHandle<L extends string = string> {
  observe(value: number): void
  observe(labels: Partial<Record<L, string | number>>, value: number): void
  /** Starts a timer; calling the result observes the elapsed seconds. */
  startTimer(labels?: Partial<Record<L, string | number>>): () => number
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const OTHER = 'other'
const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/**
 * Caps the label combinations of one metric: past `max`, a new combination is counted with every
 * label value `'other'`. File names, URLs or arguments used as labels then cost at most `max`
 * series, not one per value.
 */
class LabelBound {
  readonly #seen = new Set<string>()
  readonly #names: readonly string[]
  readonly #max: number
  readonly #onOverflow: () => void

  constructor(names: readonly string[], max: number, onOverflow: () => void) {
    this.#names = names
    this.#max = max
    this.#onOverflow = onOverflow
  }

  apply(labels: Labels): Labels {
    let key = ''
    for (const n of this.#names) key += `${labels[n] ?? ''}\u0000`
    if (this.#seen.has(key)) return labels
    if (this.#seen.size < this.#max) {
      this.#seen.add(key)
      return labels
    }
    this.#onOverflow()
    const folded: Labels = {}
    for (const n of Object.keys(labels)) folded[n] = OTHER
    return folded
  }
}

class BoundedCounter implements CounterHandle {
  readonly #c: Counter
  readonly #b: LabelBound
  constructor(c: Counter, b: LabelBound) {
    this.#c = c
    this.#b = b
  }
  inc(a?: number | Labels, v?: number): void {
    if (typeof a === 'object') this.#c.inc(this.#b.apply(a), v ?? 1)
    else this.#c.inc(a ?? 1)
  }
}

class BoundedGauge implements GaugeHandle {
  readonly #g: Gauge
  readonly #b: LabelBound
  constructor(g: Gauge, b: LabelBound) {
    this.#g = g
    this.#b = b
  }
  set(a: number | Labels, v?: number): void {
    if (typeof a === 'object') this.#g.set(this.#b.apply(a), v!)
    else this.#g.set(a)
  }
  inc(a?: number | Labels, v?: number): void {
    if (typeof a === 'object') this.#g.inc(this.#b.apply(a), v ?? 1)
    else this.#g.inc(a ?? 1)
  }
  dec(a?: number | Labels, v?: number): void {
    if (typeof a === 'object') this.#g.dec(this.#b.apply(a), v ?? 1)
    else this.#g.dec(a ?? 1)
  }
}

class BoundedHistogram implements HistogramHandle {
  readonly #h: Histogram
  readonly #b: LabelBound
  constructor(h: Histogram, b: LabelBound) {
    this.#h = h
    this.#b = b
  }
  observe(a: number | Labels, v?: number): void {
    if (typeof a === 'object') this.#h.observe(this.#b.apply(a), v!)
    else this.#h.observe(a)
  }
  startTimer(labels?: Labels): () => number {
    return this.#h.startTimer(labels && this.#b.apply(labels))
  }
}

function checkConfig(kind: string, config: MetricConfig): void {
  if (typeof config !== 'object' || config === null) throw new TypeError(`[cli-optimizer] ${kind}() options must be an object { name, help, labelNames? }`)
  if (typeof config.name !== 'string' || !METRIC_NAME.test(config.name)) throw new TypeError(`[cli-optimizer] ${kind}.name must be a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), got ${JSON.stringify(config.name)}`)
  if (typeof config.help !== 'string' || config.help === '') throw new TypeError(`[cli-optimizer] ${kind}.help must be a non-empty string`)
  if (config.labelNames !== undefined && (!Array.isArray(config.labelNames) || !config.labelNames.every((l) => typeof l === 'string' && /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l) && !l.startsWith('__')))) {
    throw new TypeError(`[cli-optimizer] ${kind}.labelNames must be an array of label names ([a-zA-Z_][a-zA-Z0-9_]*)`)
  }
}

function statusClass(status: number | undefined): string {
  return status === undefined ? 'none' : status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : OTHER
}

/**
 * One run's registry: the ready CLI metrics, the figures other services report through the
 * hooks, and the user's own metrics, all under one label-cardinality bound.
 */
export class CliMetrics implements MetricsHooks {
  readonly registry: Registry
  readonly command: string
  readonly #o: ResolvedMetricsOptions
  readonly #warn: (code: string, message: string) => void
  readonly #duration: Histogram
  readonly #exits: Counter
  readonly #caches = new Map<string, () => CacheStats>()
  readonly #lazy = new Map<string, BoundedCounter | BoundedGauge | BoundedHistogram>()

  constructor(options: ResolvedMetricsOptions, warn: (code: string, message: string) => void) {
    this.#o = options
    this.#warn = warn
    this.registry = new promClient.Registry()
    this.command = this.#commandLabel()
    const p = options.prefix
    const registers = [this.registry]
    this.#duration = new promClient.Histogram({ name: `${p}command_duration_seconds`, help: 'Wall time of the CLI run, from process start to exit.', labelNames: ['command'], buckets: options.durationBuckets, registers })
    this.#exits = new promClient.Counter({ name: `${p}exits_total`, help: 'CLI runs by exit code.', labelNames: ['command', 'code'], registers })
    const command = this.command
    new promClient.Gauge({
      name: `${p}peak_rss_bytes`,
      help: 'Peak resident set size of the process so far.',
      labelNames: ['command'],
      registers,
      collect() {
        this.set({ command }, process.resourceUsage().maxRSS * 1024)
      },
    })
    if (options.defaultMetrics) promClient.collectDefaultMetrics({ register: this.registry })
  }

  counter<L extends string>(config: MetricConfig<L>): CounterHandle<L> {
    checkConfig('counter', config)
    const c = new promClient.Counter({ name: config.name, help: config.help, labelNames: config.labelNames ?? [], registers: [this.registry] })
    // Without labels there is nothing to bound: the prom-client object itself, so inc() costs what prom-client's does.
    if (!config.labelNames?.length) return c as unknown as CounterHandle<L>
    return new BoundedCounter(c, this.#bound(config.name, config.labelNames))
  }

  gauge<L extends string>(config: MetricConfig<L>): GaugeHandle<L> {
    checkConfig('gauge', config)
    const g = new promClient.Gauge({ name: config.name, help: config.help, labelNames: config.labelNames ?? [], registers: [this.registry] })
    if (!config.labelNames?.length) return g as unknown as GaugeHandle<L>
    return new BoundedGauge(g, this.#bound(config.name, config.labelNames))
  }

  histogram<L extends string>(config: HistogramConfig<L>): HistogramHandle<L> {
    checkConfig('histogram', config)
    const h = new promClient.Histogram({ name: config.name, help: config.help, labelNames: config.labelNames ?? [], buckets: config.buckets, registers: [this.registry] })
    if (!config.labelNames?.length) return h as unknown as HistogramHandle<L>
    return new BoundedHistogram(h, this.#bound(config.name, config.labelNames))
  }

  /** Records the run's end: duration since process start and the exit code. Call once. */
  finish(exitCode: number): void {
    this.#duration.observe({ command: this.command }, process.uptime())
    this.#exits.inc({ command: this.command, code: String(exitCode) })
  }

  httpRequest(e: HttpRequestEvent): void {
    const method = HTTP_METHODS.has(e.method.toUpperCase()) ? e.method.toUpperCase() : OTHER
    const p = this.#o.prefix
    this.#lazyCounter(`${p}http_requests_total`, 'HTTP requests by method and final status class.', ['method', 'status']).inc({ method, status: e.error ? 'error' : statusClass(e.status) })
    this.#lazyHistogram(`${p}http_request_duration_seconds`, 'HTTP request latency, retries included.', ['method'], [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]).observe({ method }, e.durationMs / 1000)
    if (e.error) this.#lazyCounter(`${p}http_request_errors_total`, 'HTTP requests that failed without a response, by error code.', ['code']).inc({ code: /^[A-Z][A-Z0-9_]{0,47}$/.test(e.error) ? e.error : OTHER })
    if (e.retries) this.#lazyCounter(`${p}http_retries_total`, 'HTTP attempts after the first.', ['method']).inc({ method }, e.retries)
    if (e.reusedSocket) this.#lazyCounter(`${p}http_socket_reuses_total`, 'HTTP requests sent on a kept-alive socket.', []).inc()
  }

  poolTask(e: PoolTaskEvent): void {
    const p = this.#o.prefix
    this.#lazyCounter(`${p}pool_tasks_total`, 'Worker-pool tasks by outcome.', ['pool', 'outcome']).inc({ pool: e.pool, outcome: e.failed ? 'failed' : 'ok' })
    const buckets = [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30]
    this.#lazyHistogram(`${p}pool_task_wait_seconds`, 'Time tasks waited for a worker.', ['pool'], buckets).observe({ pool: e.pool }, e.waitMs / 1000)
    this.#lazyHistogram(`${p}pool_task_run_seconds`, 'Time tasks ran.', ['pool'], buckets).observe({ pool: e.pool }, e.runMs / 1000)
  }

  poolState(e: PoolStateEvent): void {
    const p = this.#o.prefix
    this.#lazyGauge(`${p}pool_threads`, 'Worker threads in the pool.', ['pool']).set({ pool: e.pool }, e.threads)
    this.#lazyGauge(`${p}pool_queued_tasks`, 'Tasks waiting for a worker.', ['pool']).set({ pool: e.pool }, e.queued)
    this.#lazyGauge(`${p}pool_utilization_ratio`, 'Share of worker time busy.', ['pool']).set({ pool: e.pool }, e.utilization)
  }

  queueState(e: QueueStateEvent): void {
    const g = this.#lazyGauge(`${this.#o.prefix}queue_jobs`, 'Jobs in the queue by state.', ['queue', 'state'])
    g.set({ queue: e.queue, state: 'waiting' }, e.waiting)
    g.set({ queue: e.queue, state: 'active' }, e.active)
    if (e.delayed !== undefined) g.set({ queue: e.queue, state: 'delayed' }, e.delayed)
    if (e.failed !== undefined) g.set({ queue: e.queue, state: 'failed' }, e.failed)
  }

  /** Reports a `createCache()` cache's hits, misses, sets and errors under `name`. */
  observeCache(name: string, cache: { stats(): CacheStats }): void {
    this.cache(name, () => cache.stats())
  }

  cache(name: string, stats: () => CacheStats): void {
    if (this.#caches.size === 0) this.#cacheMetrics()
    if (this.#caches.size < this.#o.maxSeriesPerMetric) this.#caches.set(name, stats)
  }

  #cacheMetrics(): void {
    const p = this.#o.prefix
    const caches = this.#caches
    const registers = [this.registry]
    const kinds = [
      ['hits', 'Cache lookups answered with a fresh value, by level (any: the cache as a whole).'],
      ['misses', 'Cache lookups no level could answer, by level.'],
      ['sets', 'Values written, by level.'],
      ['errors', 'Level errors answered from other levels.'],
    ] as const
    for (const [kind, help] of kinds) {
      new promClient.Gauge({
        // Gauges set from the cache's own cumulative counts at each collection.
        name: `${p}cache_${kind}`,
        help,
        labelNames: ['cache', 'level'],
        registers,
        collect() {
          for (const [name, read] of caches) {
            const s = read()
            if (kind === 'hits' || kind === 'misses') this.set({ cache: name, level: 'any' }, s[kind])
            for (const [level, ls] of Object.entries(s.levels)) if (ls) this.set({ cache: name, level }, ls[kind])
          }
        },
      })
    }
    new promClient.Gauge({
      name: `${p}cache_stale_hits`,
      help: 'wrap() calls answered with a stale value while reloading.',
      labelNames: ['cache'],
      registers,
      collect() {
        for (const [name, read] of caches) this.set({ cache: name }, read().staleHits)
      },
    })
  }

  #commandLabel(): string {
    const first = this.#o.command ?? process.argv[2]
    if (first === undefined || first.startsWith('-')) return ''
    if (this.#o.commands) return this.#o.commands.includes(first) ? first : OTHER
    return /^[A-Za-z][\w:-]{0,31}$/.test(first) ? first : OTHER
  }

  #bound(name: string, labelNames: readonly string[]): LabelBound {
    let warned = false
    return new LabelBound(labelNames, this.#o.maxSeriesPerMetric, () => {
      if (warned) return
      warned = true
      this.#warn('CLI_OPTIMIZER_METRICS_CARDINALITY', `${name} reached ${this.#o.maxSeriesPerMetric} label combinations (runtime.metrics.maxSeriesPerMetric); further ones are counted with label values "other"`)
    })
  }

  #lazyCounter(name: string, help: string, labelNames: string[]): BoundedCounter {
    let m = this.#lazy.get(name)
    if (!m) this.#lazy.set(name, (m = this.counter({ name, help, labelNames }) as BoundedCounter))
    return m as BoundedCounter
  }

  #lazyGauge(name: string, help: string, labelNames: string[]): BoundedGauge {
    let m = this.#lazy.get(name)
    if (!m) this.#lazy.set(name, (m = this.gauge({ name, help, labelNames }) as BoundedGauge))
    return m as BoundedGauge
  }

  #lazyHistogram(name: string, help: string, labelNames: string[], buckets: number[]): BoundedHistogram {
    let m = this.#lazy.get(name)
    if (!m) this.#lazy.set(name, (m = this.histogram({ name, help, labelNames, buckets }) as BoundedHistogram))
    return m as BoundedHistogram
  }
}
