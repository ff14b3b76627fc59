import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import promClient from 'prom-client'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CliMetrics } from '../src/metrics/cli-metrics.js'
import { exposition } from '../src/metrics/exposition.js'
import { redactUrl, resolveMetricsOptions } from '../src/metrics/index.js'
import { runScript } from './helpers/child-script.js'
import { freePort } from './helpers/pushgateway.js'
import { removeServiceBundles, serviceModuleForChildren } from './helpers/runtime-bundle.js'

const work = mkdtempSync(path.join(tmpdir(), 'metrics-endpoint-'))
let metricsModule: string
beforeAll(async () => {
  metricsModule = await serviceModuleForChildren('metrics')
})
afterAll(() => {
  removeServiceBundles()
  rmSync(work, { recursive: true, force: true })
})

/** A long-running command serving /metrics; prints the bound address, then waits for `stopAfterMs`. */
function server(options: object): string {
  return `
    import { startMetrics, getMetrics, metricsEndpoint } from ${JSON.stringify(metricsModule)}
    startMetrics(${JSON.stringify(options)})
    const metrics = await getMetrics()
    const ticks = metrics.counter({ name: 'watch_ticks_total', help: 'Ticks.' })
    const until = Date.now() + 20000
    const timer = setInterval(() => {
      ticks.inc()
      const address = metricsEndpoint()
      if (address && !globalThis.printed) { globalThis.printed = true; console.log(JSON.stringify(address)) }
      if (Date.now() > until) clearInterval(timer)
    }, 20)
    process.stdin.on('data', () => process.exit(0))
  `
}

async function scrapeWhileRunning(options: object, host: string, port: number): Promise<{ text: string; address: unknown; stderr: string }> {
  const { spawn } = await import('node:child_process')
  const { writeFileSync } = await import('node:fs')
  const file = path.join(work, `serve-${port}.mjs`)
  writeFileSync(file, server(options))
  const child = spawn(process.execPath, [file, 'watch'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const address = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
      if (stdout.includes('\n')) resolve(JSON.parse(stdout.split('\n')[0]!))
    })
    child.on('exit', () => reject(new Error(`child exited: ${stderr}`)))
  })
  const response = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`)
  const text = await response.text()
  const notFound = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/other`)
  expect(notFound.status).toBe(404)
  const exited = new Promise((resolve) => child.on('exit', resolve))
  child.stdin.write('stop\n')
  await exited
  return { text, address, stderr }
}

describe('metrics endpoint (#14)', () => {
  it('a long-running command serves /metrics on 127.0.0.1 by default, scraped while it runs', async () => {
    const port = await freePort()
    const { text, address } = await scrapeWhileRunning({ serve: port }, '127.0.0.1', port)
    expect(address).toEqual({ host: '127.0.0.1', port })
    expect(text).toMatch(/^watch_ticks_total [1-9]\d*$/m)
    expect(text).toMatch(/^cli_peak_rss_bytes\{command="watch"\} \d+$/m)
  })

  it('binds another address only when given explicitly', async () => {
    const port = await freePort()
    const { address } = await scrapeWhileRunning({ serve: { port, host: '127.0.0.2' } }, '127.0.0.2', port)
    expect(address).toEqual({ host: '127.0.0.2', port })
  })

  it('a port in use: one warning, the command goes on', async () => {
    const { createServer } = await import('node:net')
    const blocker = createServer().listen(0, '127.0.0.1')
    await new Promise((resolve) => blocker.once('listening', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const run = await runScript(work, `import { startMetrics } from ${JSON.stringify(metricsModule)}; startMetrics({ serve: ${port} }); setTimeout(() => console.log('done'), 300)`, [])
      expect(run.code).toBe(0)
      expect(run.stdout).toBe('done\n')
      expect(run.stderr).toContain(`[CLI_OPTIMIZER_METRICS_SERVE_FAILED] CliOptimizerMetricsWarning: could not serve /metrics on 127.0.0.1:${port}: EADDRINUSE`)
    } finally {
      blocker.close()
    }
  })
})

describe('metrics registry (#14)', () => {
  const options = resolveMetricsOptions({ job: 'unit', command: 'build' }, 'metrics', {})

  it('the synchronous exposition equals prom-client’s own, in both formats', async () => {
    const m = new CliMetrics(options, () => {})
    m.counter({ name: 'u_items_total', help: 'Items\nwith "quotes" \\ and newlines.', labelNames: ['kind'] }).inc({ kind: 'a"b\\c\nd' }, 2)
    m.counter({ name: 'u_plain_total', help: 'Plain.' }).inc()
    m.gauge({ name: 'u_gauge', help: 'Gauge.', labelNames: ['x', 'y'] }).set({ y: 'two', x: 'one' }, -1.5)
    const h = m.histogram({ name: 'u_seconds', help: 'Histogram.', labelNames: ['op'], buckets: [0.1, 1] })
    h.observe({ op: 'read' }, 0.05)
    h.observe({ op: 'read' }, 5)
    h.observe({ op: 'write' }, 0.5)
    m.httpRequest({ method: 'POST', durationMs: 3, error: 'ECONNRESET' })
    m.finish(0)
    const rss = /^(cli_peak_rss_bytes\{command="build"\}) \d+(\.\d+)?(e\+\d+)?$/gm
    expect(exposition(m.registry, false).replace(rss, '$1 RSS')).toBe((await m.registry.metrics()).replace(rss, '$1 RSS'))
    m.registry.setContentType(promClient.Registry.OPENMETRICS_CONTENT_TYPE)
    expect(exposition(m.registry, true).replace(rss, '$1 RSS')).toBe((await m.registry.metrics()).replace(rss, '$1 RSS'))
  })

  it('bounds label cardinality: file names as labels cost at most maxSeriesPerMetric series, one warning', async () => {
    const warnings: string[] = []
    const m = new CliMetrics({ ...options, maxSeriesPerMetric: 10 }, (code) => warnings.push(code))
    const c = m.counter({ name: 'u_files_total', help: 'Files.', labelNames: ['file'] })
    for (let i = 0; i < 500; i++) c.inc({ file: `src/file-${i}.ts` })
    const lines = exposition(m.registry, false).split('\n').filter((l) => l.startsWith('u_files_total{'))
    expect(lines).toHaveLength(11)
    expect(lines).toContain('u_files_total{file="other"} 490')
    expect(warnings).toEqual(['CLI_OPTIMIZER_METRICS_CARDINALITY'])
  })

  it('bounds the command label: unknown commands become "other"', () => {
    const argv = process.argv
    try {
      process.argv = [argv[0]!, 'cli.js', 'buidl']
      expect(new CliMetrics(resolveMetricsOptions({ commands: ['build', 'test'] }, 'metrics', {}), () => {}).command).toBe('other')
      process.argv = [argv[0]!, 'cli.js', './some/file with spaces.json']
      expect(new CliMetrics(resolveMetricsOptions({}, 'metrics', {}), () => {}).command).toBe('other')
      process.argv = [argv[0]!, 'cli.js', '--version']
      expect(new CliMetrics(resolveMetricsOptions({}, 'metrics', {}), () => {}).command).toBe('')
    } finally {
      process.argv = argv
    }
  })

  it('user metrics validate their options', () => {
    const m = new CliMetrics(options, () => {})
    expect(() => m.counter({ name: 'bad name', help: 'x' })).toThrow(new TypeError('[cli-optimizer] counter.name must be a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), got "bad name"'))
    expect(() => m.histogram({ name: 'h', help: '' })).toThrow('histogram.help must be a non-empty string')
    expect(() => m.gauge({ name: 'g', help: 'g', labelNames: ['__x'] })).toThrow('gauge.labelNames must be an array of label names')
  })
})

describe('metrics options (#14)', () => {
  it('fills defaults and reads the environment', () => {
    const o = resolveMetricsOptions({ job: 'j' }, 'metrics', {})
    expect(o).toMatchObject({ prefix: 'cli_', job: 'j', maxSeriesPerMetric: 100, defaultMetrics: false, push: undefined, serve: undefined, file: undefined })
    const env = { CLI_OPTIMIZER_PUSHGATEWAY_URL: 'http://127.0.0.1:9091', CLI_OPTIMIZER_METRICS_PORT: '9464', CLI_OPTIMIZER_METRICS_FILE: '/tmp/m.om' }
    expect(resolveMetricsOptions({}, 'metrics', env)).toMatchObject({
      push: { url: 'http://127.0.0.1:9091', instance: '{hostname}', method: 'put', timeoutMs: 1000, groupingLabels: {} },
      serve: { port: 9464, host: '127.0.0.1' },
      file: '/tmp/m.om',
    })
    expect(resolveMetricsOptions({ push: 'http://127.0.0.1:1' }, 'metrics', { ...env, CLI_OPTIMIZER_METRICS: '0' })).toMatchObject({ push: undefined, serve: undefined, file: undefined })
  })

  it.each([
    [{ push: 'ftp://x' }, 'runtime.metrics.push.url must be an http:// or https:// URL, got a string that is not one'],
    [{ push: { url: 'http://127.0.0.1:1', timeoutMs: 0 } }, 'runtime.metrics.push.timeoutMs must be a positive number of milliseconds up to 10000, got number 0'],
    [{ push: { url: 'http://127.0.0.1:1', method: 'delete' } }, `runtime.metrics.push.method must be 'put' or 'post', got string "delete"`],
    [{ push: { url: 'http://127.0.0.1:1', groupingLabels: { job: 'x' } } }, 'runtime.metrics.push.groupingLabels must be label names'],
    [{ push: { url: 'http://127.0.0.1:1', instance: '' } }, 'runtime.metrics.push.instance must be a non-empty string, got string ""'],
    [{ serve: 70000 }, 'runtime.metrics.serve.port must be a port number from 0 to 65535, got number 70000'],
    [{ serve: { port: 1, host: 3 } }, 'runtime.metrics.serve.host must be a host name or IP address, got number 3'],
    [{ maxSeriesPerMetric: 0 }, 'runtime.metrics.maxSeriesPerMetric must be a positive integer, got number 0'],
    [{ durationBuckets: [1, 0.5] }, 'runtime.metrics.durationBuckets must be a non-empty increasing array of positive numbers'],
    [{ prefix: 'my-cli' }, 'runtime.metrics.prefix must be a metric-name prefix'],
    [{ commands: 'build' }, 'runtime.metrics.commands must be an array of command names, got string "build"'],
    [{ pushUrl: 'x' }, 'unknown option runtime.metrics.pushUrl'],
  ])('rejects %j with a TypeError naming the option', (value, message) => {
    expect(() => resolveMetricsOptions(value, 'runtime.metrics', {})).toThrow(TypeError)
    expect(() => resolveMetricsOptions(value, 'runtime.metrics', {})).toThrow(message)
  })

  it('never echoes a URL with credentials, in errors or messages', () => {
    const secret = 'https://robot:hunter2@push.example:9091/base?token=abc&x=1'
    expect(() => resolveMetricsOptions({ push: secret.replace('https', 'gopher') }, 'metrics', {})).toThrow(/^(?!.*hunter2).*$/)
    expect(redactUrl(secret)).toBe('https://***@push.example:9091/base?token=***&x=***')
    expect(redactUrl('not a url hunter2')).toBe('(invalid URL)')
    vi.restoreAllMocks()
  })
})
