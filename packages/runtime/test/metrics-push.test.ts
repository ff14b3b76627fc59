import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runScript } from './helpers/child-script.js'
import { startPushgateway, samples, type Pushgateway } from './helpers/pushgateway.js'
import { removeServiceBundles, serviceModuleForChildren } from './helpers/runtime-bundle.js'

const work = mkdtempSync(path.join(tmpdir(), 'metrics-push-'))
let gateway: Pushgateway
let metricsModule: string

beforeAll(async () => {
  ;[gateway, metricsModule] = await Promise.all([startPushgateway(), serviceModuleForChildren('metrics')])
})
afterAll(async () => {
  await gateway?.stop()
  removeServiceBundles()
  rmSync(work, { recursive: true, force: true })
})

/** A CLI run: starts metrics, does its work, then ends by `ending` (normal end or process.exit). */
function cli(options: object, body: string, ending: string): string {
  return `
    import { startMetrics, getMetrics } from ${JSON.stringify(metricsModule)}
    startMetrics(${JSON.stringify(options)})
    const metrics = await getMetrics()
    ${body}
    ${ending}
  `
}

function listen(handler: (headers: IncomingHttpHeaders, respond: (status: number) => void) => void): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      req.resume()
      req.on('end', () => handler(req.headers, (status) => res.writeHead(status).end('gateway broke\n')))
    })
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` }))
  })
}

describe('metrics push to a real Pushgateway (#14)', () => {
  it('pushes the ready metrics, hook figures and user metrics at a normal end, grouped by job and instance', async () => {
    const body = `
      globalThis[Symbol.for('cli-optimizer.metrics')].httpRequest({ method: 'get', status: 503, durationMs: 40, retries: 2, reusedSocket: true })
      metrics.counter({ name: 'mycli_files_total', help: 'Files read.', labelNames: ['kind'] }).inc({ kind: 'json' }, 3)
      metrics.observeCache('tags', { stats: () => ({ hits: 5, misses: 2, staleHits: 1, levels: { memory: { hits: 5, misses: 2, sets: 2, errors: 0, entries: 2 } } }) })
    `
    const run = await runScript(work, cli({ job: 'push-normal', push: { url: gateway.url, instance: 'ci-1' } }, body, 'process.exitCode = 3'), ['build', 'x.json'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(3)
    const text = await gateway.scrape()
    expect(samples(text, 'cli_exits_total')).toEqual(['{code="3",command="build",instance="ci-1",job="push-normal"} 1'])
    expect(samples(text, 'cli_command_duration_seconds_count')).toEqual(['{command="build",instance="ci-1",job="push-normal"} 1'])
    expect(samples(text, 'cli_peak_rss_bytes')[0]).toMatch(/^\{command="build",instance="ci-1",job="push-normal"\} [\d.]+e\+0[789]$/)
    expect(samples(text, 'mycli_files_total')).toEqual(['{instance="ci-1",job="push-normal",kind="json"} 3'])
    expect(samples(text, 'cli_http_requests_total')).toEqual(['{instance="ci-1",job="push-normal",method="GET",status="5xx"} 1'])
    expect(samples(text, 'cli_http_retries_total')).toEqual(['{instance="ci-1",job="push-normal",method="GET"} 2'])
    expect(samples(text, 'cli_http_socket_reuses_total')).toEqual(['{instance="ci-1",job="push-normal"} 1'])
    expect(samples(text, 'cli_cache_hits')).toEqual(['{cache="tags",instance="ci-1",job="push-normal",level="any"} 5', '{cache="tags",instance="ci-1",job="push-normal",level="memory"} 5'])
  })

  it('pushes from process.exit() (no event loop left) with that exit code', async () => {
    const run = await runScript(work, cli({ job: 'push-exit', push: gateway.url }, '', 'process.exit(4)'), ['deploy'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(4)
    expect(samples(await gateway.scrape(), 'cli_exits_total').filter((s) => s.includes('push-exit'))).toEqual([`{code="4",command="deploy",instance="${hostname()}",job="push-exit"} 1`])
  })

  it('a second run with the same job and instance replaces the group (PUT), never mixes it', async () => {
    const user = (id: number) => `metrics.gauge({ name: 'mycli_run', help: 'Run id.' }).set(${id}); metrics.counter({ name: 'mycli_items_total', help: 'Items.' }).inc(${id * 10})`
    await runScript(work, cli({ job: 'replace', push: { url: gateway.url, instance: 'one' } }, user(1) + "; metrics.gauge({ name: 'mycli_only_first', help: 'x' }).set(1)", ''), ['a'])
    await runScript(work, cli({ job: 'replace', push: { url: gateway.url, instance: 'one' } }, user(2), ''), ['b'])
    const text = await gateway.scrape()
    expect(samples(text, 'mycli_run')).toEqual(['{instance="one",job="replace"} 2'])
    expect(samples(text, 'mycli_items_total')).toEqual(['{instance="one",job="replace"} 20'])
    expect(samples(text, 'mycli_only_first')).toEqual([])
  })

  it('two concurrent runs with the same job lose and mix no series when their instances differ ({pid})', async () => {
    const user = (id: number) => `metrics.gauge({ name: 'mycli_concurrent_run', help: 'Run id.' }).set(${id}); metrics.counter({ name: 'mycli_concurrent_items_total', help: 'Items.' }).inc(${id * 10}); await new Promise((r) => setTimeout(r, 300))`
    const options = { job: 'concurrent', push: { url: gateway.url, instance: '{hostname}-{pid}' } }
    const runs = await Promise.all([1, 2].map((id) => runScript(work, cli(options, user(id), `console.log(process.pid)`), ['sync'])))
    const text = await gateway.scrape()
    const pids = runs.map((r) => r.stdout.trim())
    for (const [i, pid] of pids.entries()) {
      const labels = `{instance="${hostname()}-${pid}",job="concurrent"}`
      expect(samples(text, 'mycli_concurrent_run')).toContain(`${labels} ${i + 1}`)
      expect(samples(text, 'mycli_concurrent_items_total')).toContain(`${labels} ${(i + 1) * 10}`)
    }
    expect(samples(text, 'mycli_concurrent_run')).toHaveLength(2)
  })

  it('the gateway killed before exit: exit code unchanged, one warning, bounded delay', async () => {
    const doomed = await startPushgateway()
    const script = cli({ job: 'killed', push: { url: doomed.url, timeoutMs: 500 } }, `metrics.counter({ name: 'a_total', help: 'a' }).inc(); await new Promise((r) => setTimeout(r, 200))`, 'process.exitCode = 2')
    const pending = runScript(work, script, ['build'])
    await doomed.kill()
    const run = await pending
    expect(run.code).toBe(2)
    const warnings = run.stderr.match(/CLI_OPTIMIZER_METRICS_PUSH_FAILED/g) ?? []
    expect(warnings).toHaveLength(1)
    expect(run.stderr).toContain(`metrics not pushed to ${doomed.url}/: ECONNREFUSED (the exit code is unchanged)`)
    expect(run.ms).toBeLessThan(15_000)
  })

  it('an answer of 500, from the exit path: warning with the status, credentials never shown but sent as Basic auth', async () => {
    const seen: IncomingHttpHeaders[] = []
    const { server, url } = await listen((headers, respond) => {
      seen.push(headers)
      respond(500)
    })
    try {
      const secretUrl = url.replace('http://', 'http://robot:s3cret-pw@') + '/?token=t0ken'
      const run = await runScript(work, cli({ job: 'five-hundred', push: secretUrl }, '', 'process.exit(0)'), ['build'])
      expect(run.code).toBe(0)
      expect(run.stderr).toContain('metrics not pushed to http://***@127.0.0.1:')
      expect(run.stderr).toContain('/?token=*** : HTTP 500: gateway broke'.replace(' :', ':'))
      expect(run.stderr).not.toMatch(/s3cret|t0ken|robot/)
      expect(seen).toHaveLength(1)
      expect(seen[0]!.authorization).toBe(`Basic ${Buffer.from('robot:s3cret-pw').toString('base64')}`)
    } finally {
      server.close()
    }
  })

  it('a sender started ahead of the exit takes each push\'s own answer, never a late one to an earlier push', async () => {
    // The first push stalls: the main thread gives up after 100 ms, the sender thread writes its own
    // "no answer" later, while the main thread waits for the second push (answered after 600 ms).
    let requests = 0
    const { server, url } = await listen((_headers, respond) => {
      if (requests++ > 0) setTimeout(() => respond(200), 600)
    })
    try {
      const module = await serviceModuleForChildren('metrics/pushgateway')
      const run = await runScript(work, `
        import { PushSender, pushRequest } from ${JSON.stringify(module)}
        const sender = new PushSender()
        const request = (timeoutMs) => pushRequest({ url: ${JSON.stringify(url)}, instance: 'x', groupingLabels: {}, method: 'put', timeoutMs }, 'seq', 'a 1\\n')
        console.log(JSON.stringify(sender.push(request(100))))
        console.log(JSON.stringify(sender.push(request(10_000))))
      `)
      expect(run.stderr).toBe('')
      expect(run.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([{ ok: false, reason: 'no answer within 100 ms' }, { ok: true, status: 200 }])
      expect(requests).toBe(2)
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })

  it.each(['normal end', 'process.exit'])('a stalling gateway (%s): the push gives up after timeoutMs, exit code unchanged', async (ending) => {
    const { server, url } = await listen(() => {})
    try {
      const script = cli({ job: 'stall', push: { url, timeoutMs: 400 } }, '', ending === 'normal end' ? 'process.exitCode = 5' : 'process.exit(5)')
      const run = await runScript(work, script, ['build'])
      expect(run.code).toBe(5)
      expect(run.stderr).toContain('no answer within 400 ms (the exit code is unchanged)')
      expect(run.stderr.match(/CLI_OPTIMIZER_METRICS_PUSH_FAILED/g)).toHaveLength(1)
      expect(run.ms).toBeLessThan(15_000)
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })

  it('writes the OpenMetrics file atomically at exit, next to no temp file', async () => {
    const file = path.join(work, 'out', 'run.om')
    const run = await runScript(work, cli({ job: 'file', file }, `metrics.counter({ name: 'mycli_done_total', help: 'Done.' }).inc()`, 'process.exit(0)'), ['report'])
    expect(run.stderr).toBe('')
    const text = readFileSync(file, 'utf8')
    expect(text.endsWith('# EOF\n')).toBe(true)
    expect(text).toContain('# TYPE cli_exits counter\ncli_exits_total{command="report",code="0"} 1')
    expect(text).toContain('mycli_done_total 1')
    expect(readdirSync(path.dirname(file))).toEqual(['run.om'])
  })
})
