/**
 * `@cli-optimizer/runtime/metrics`: Prometheus metrics for a CLI run through prom-client, loaded
 * on first use; exporters for short runs (Pushgateway push and OpenMetrics file at exit) and
 * long ones (a `/metrics` endpoint).
 *
 * Importing this module loads no prom-client: `startMetrics()` installs the exit hooks and
 * starts loading prom-client in the background only when an exporter is configured.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import path from 'node:path'
import { injectedOptions } from '../injected-config.js'
import type { CliMetrics } from './cli-metrics.js'
import { BufferedHooks, METRICS_HOOKS_KEY } from './metrics-hooks.js'
import { resolveMetricsOptions, type MetricsOptions, type ResolvedMetricsOptions } from './metrics-options.js'
import { push, pushRequest, pushSync, PushSender, type PushResult } from './pushgateway.js'
import { redactUrl } from './redact.js'
import { exposition } from './exposition.js'

export type { CliMetrics, CounterHandle, GaugeHandle, HistogramConfig, HistogramHandle, MetricConfig } from './cli-metrics.js'
export type { HttpRequestEvent, MetricsHooks, PoolStateEvent, PoolTaskEvent, QueueStateEvent } from './metrics-hooks.js'
export type { MetricsOptions, MetricsWarning, PushOptions, ServeOptions } from './metrics-options.js'
export { METRICS_HOOKS_KEY } from './metrics-hooks.js'
export { resolveMetricsOptions } from './metrics-options.js'
export { redactUrl } from './redact.js'

interface State {
  options: ResolvedMetricsOptions
  hooks: BufferedHooks
  metrics: CliMetrics | undefined
  loading: Promise<CliMetrics> | undefined
  server: Server | undefined
  /** The thread that pushes if the program calls `process.exit()`, started with the exporters. */
  sender: PushSender | undefined
  finished: boolean
  exiting: boolean
  warned: Set<string>
}

let state: State | undefined

function setup(options: MetricsOptions | undefined): State {
  if (state) return state
  const resolved = resolveMetricsOptions({ ...injectedOptions<MetricsOptions>('metrics'), ...options })
  const hooks = new BufferedHooks()
  ;(globalThis as Record<symbol, unknown>)[Symbol.for(METRICS_HOOKS_KEY)] = hooks
  state = { options: resolved, hooks, metrics: undefined, loading: undefined, server: undefined, sender: undefined, finished: false, exiting: false, warned: new Set() }
  return state
}

function warn(code: string, message: string): void {
  const s = state!
  if (s.warned.has(code)) return
  s.warned.add(code)
  if (s.options.onWarning) s.options.onWarning({ code, message })
  // At exit, process.emitWarning would print on a tick that never comes.
  else if (s.exiting) process.stderr.write(`(node:${process.pid}) [${code}] CliOptimizerMetricsWarning: ${message}\n`)
  else process.emitWarning(message, 'CliOptimizerMetricsWarning', code)
}

function load(s: State): Promise<CliMetrics> {
  s.loading ??= import('./cli-metrics.js').then(({ CliMetrics }) => {
    const m = new CliMetrics(s.options, warn)
    s.metrics = m
    s.hooks.attach(m)
    return m
  })
  return s.loading
}

/**
 * The run's metrics (loads prom-client on first call): user counters, gauges and histograms, the
 * registry, and `observeCache()`. Options apply on the first call of this or `startMetrics()`.
 *
 * @example
 * const metrics = await getMetrics()
 * const files = metrics.counter({ name: 'mycli_files_total', help: 'Files processed.' })
 * files.inc()
 */
export function getMetrics(options?: MetricsOptions): Promise<CliMetrics> {
  return load(setup(options))
}

/** The bound address of the `/metrics` endpoint, once it listens. */
export function metricsEndpoint(): { host: string; port: number } | undefined {
  const address = state?.server?.address()
  return address && typeof address === 'object' ? { host: address.address, port: address.port } : undefined
}

/**
 * Starts the configured exporters (the bootstrap awaits this when `runtime.metrics` has an
 * exporter): the endpoint now, the file and the push at exit. Never changes the exit code. The
 * promise settles once prom-client is loaded: a program that calls `process.exit()` leaves no
 * time to load it then, so the bootstrap waits for it before the program starts.
 */
export async function startMetrics(options?: MetricsOptions): Promise<void> {
  const s = setup(options)
  if (s.finished || process.listeners('beforeExit').includes(onBeforeExit)) return
  const { push: pushOptions, file, serve } = s.options
  if (!pushOptions && !file && !serve) return
  if (pushOptions || file) {
    process.on('beforeExit', onBeforeExit)
    process.on('exit', onExit)
  }
  const loading = load(s)
  // Booting the sender thread is most of what a push from process.exit() costs (~100 ms against
  // ~20 ms, benchmarks/runtime-monitor.mjs): do it now, while prom-client's files are read and
  // beside the program, rather than at the exit. It costs a thread and its memory for the run.
  // Where threads cannot start, the exit tries again itself.
  if (pushOptions) {
    try {
      s.sender = new PushSender()
    } catch {}
  }
  const m = await loading
  if (serve) await startServer(m, serve.host, serve.port)
}

function startServer(m: CliMetrics, host: string, port: number): Promise<void> {
  return import('node:http').then(({ createServer }) => {
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
        return
      }
      m.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': m.registry.contentType }).end(text),
        (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
      )
    })
    server.on('error', (error: NodeJS.ErrnoException) => warn('CLI_OPTIMIZER_METRICS_SERVE_FAILED', `could not serve /metrics on ${host}:${port}: ${error.code ?? error.message}`))
    server.listen(port, host)
    // A long-running command decides when the process ends, never the endpoint.
    server.unref()
    state!.server = server
  })
}

function exitCodeNow(code?: number): number {
  const c = code ?? process.exitCode
  const n = typeof c === 'string' ? Number(c) : c
  return typeof n === 'number' && Number.isInteger(n) ? n : 0
}

async function onBeforeExit(): Promise<void> {
  const s = state!
  if (s.finished) return
  s.finished = true
  const code = exitCodeNow()
  const m = await load(s)
  s.exiting = true
  const request = prepare(m, code)
  if (request) report(await push(request))
  cleanup()
}

function onExit(code: number): void {
  const s = state!
  if (s.finished) return
  s.finished = true
  s.exiting = true
  if (!s.metrics) {
    warn('CLI_OPTIMIZER_METRICS_NOT_READY', `metrics not exported: the program exited ${Math.round(process.uptime() * 1000)} ms after start, before prom-client had loaded`)
    return
  }
  const request = prepare(s.metrics, exitCodeNow(code))
  if (request) report(pushSync(request, s.sender))
}

/** Records the end of the run, writes the file, and returns the push to send, if any. */
function prepare(m: CliMetrics, code: number): ReturnType<typeof pushRequest> | undefined {
  const { options } = state!
  m.finish(code)
  if (options.file) writeAtomically(options.file, m)
  return options.push && pushRequest(options.push, options.job, exposition(m.registry, false))
}

function report(result: PushResult): void {
  if (!result.ok) warn('CLI_OPTIMIZER_METRICS_PUSH_FAILED', `metrics not pushed to ${redactUrl(state!.options.push!.url)}: ${result.reason} (the exit code is unchanged)`)
}

function writeAtomically(file: string, m: CliMetrics): void {
  const temp = `${file}.${process.pid}.tmp`
  try {
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(temp, exposition(m.registry, true))
    renameSync(temp, file)
  } catch (error) {
    rmSync(temp, { force: true })
    warn('CLI_OPTIMIZER_METRICS_FILE_FAILED', `metrics file ${file} not written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
}

function cleanup(): void {
  void state?.sender?.close()
  process.removeListener('beforeExit', onBeforeExit)
  process.removeListener('exit', onExit)
}
