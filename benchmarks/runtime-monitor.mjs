// Benchmarks of @cli-optimizer/runtime/monitor and /metrics: counter inc() through the runtime
// against raw prom-client (interleaved rounds of tinybench), leak-verdict accuracy over seeded
// series, and the Pushgateway push on loopback, up and down.
//
//   npm run build -w packages/runtime && node benchmarks/runtime-monitor.mjs [--quick]
//
// Writes benchmarks/results/runtime-monitor.json and runtime-monitor.md.
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import promClient from 'prom-client'
import { Bench } from 'tinybench'
import { LeakDetector } from '@cli-optimizer/runtime/monitor'
import { getMetrics, resolveMetricsOptions } from '@cli-optimizer/runtime/metrics'

const here = path.dirname(fileURLToPath(import.meta.url))
const runtimeDist = path.join(here, '../packages/runtime/dist')
const { push, pushRequest, pushSync, PushSender } = await import(path.join(runtimeDist, 'metrics/pushgateway.js'))
const quick = process.argv.includes('--quick')
const results = {}
const targets = []
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1]
const log = (...args) => console.error('[runtime-monitor]', ...args)

function target(name, value, limit, direction, unit = '') {
  const met = direction === 'max' ? value <= limit : value >= limit
  targets.push({ name, value: Number(value.toFixed(3)), target: `${direction === 'max' ? '<=' : '>='} ${limit}${unit}`, met })
}

// 1. Counter inc(): the runtime's bounded handle against a raw prom-client Counter.
{
  const metrics = await getMetrics({ job: 'bench' })
  const ours = metrics.counter({ name: 'bench_ours_total', help: 'ours' })
  const raw = new promClient.Counter({ name: 'bench_raw_total', help: 'raw', registers: [] })
  const rounds = quick ? 3 : 7
  const ns = { runtime: [], raw: [] }
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: quick ? 150 : 400, warmupTime: 50 })
    // Order alternates each round so neither side always runs warm.
    const tasks = round % 2 ? [['raw', () => raw.inc()], ['runtime', () => ours.inc()]] : [['runtime', () => ours.inc()], ['raw', () => raw.inc()]]
    for (const [name, fn] of tasks) bench.add(name, fn)
    await bench.run()
    for (const task of bench.tasks) ns[task.name].push(task.result.latency?.mean ?? task.result.mean)
  }
  const runtimeNs = median(ns.runtime) * 1e6
  const rawNs = median(ns.raw) * 1e6
  results.inc = { runtimeNs, rawNs, ratio: runtimeNs / rawNs, rounds }
  target('counter inc() through the runtime / raw prom-client', runtimeNs / rawNs, 1.1, 'max', 'x')
  target('counter inc() through the runtime', runtimeNs, 100, 'max', ' ns')
  log(`inc(): runtime ${runtimeNs.toFixed(1)} ns, raw ${rawNs.toFixed(1)} ns`)
}

// 2. Leak verdict over seeded series (heap after major GCs every 2-6 s, up to 2 MiB of noise).
{
  const MiB = 1048576
  const random = (seed) => () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const settings = { windowMs: 60_000, minSamples: 4, minSpanMs: 8000, minSlopeBytesPerSecond: 64 * 1024, confidence: 0.99 }
  const judge = (seed, seconds, leakBps) => {
    const rnd = random(seed)
    const d = new LeakDetector(settings)
    for (let t = 1000 + rnd() * 2000; t < seconds * 1000; t += 2000 + rnd() * 4000) d.add(t, 30 * MiB + (leakBps * t) / 1000 + rnd() * 2 * MiB)
    return d.verdict().status
  }
  const runs = 20
  let leaks = 0
  let steady = 0
  for (let seed = 1000; seed < 1000 + runs; seed++) {
    if (judge(seed, 30, 1e6) === 'leak') leaks++
    if (judge(seed, 60, 0) === 'no-leak') steady++
  }
  results.leak = { runs, leaksFoundWithin30s: leaks, steadyJudgedNoLeak: steady, model: 'synthetic heap-after-major-GC series, seeds 1000-1019' }
  target('1 MB/s leak found within 30 s (synthetic, of 20)', leaks, 20, 'min')
  target('steady 60 s judged "no leak" (synthetic, of 20)', steady, 19, 'min')
  log(`leak: ${leaks}/20 found, ${steady}/20 steady judged no leak`)
}

// 3. Push on loopback to a real Pushgateway, and to a closed port.
{
  const freePort = () => new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) }) })
  const port = await freePort()
  const gateway = spawn('prometheus-pushgateway', [`--web.listen-address=127.0.0.1:${port}`, '--log.level=error'], { stdio: 'ignore' })
  for (let i = 0; i < 200; i++) {
    if (await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.ok, () => false)) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const metrics = await getMetrics()
  const body = (await metrics.registry.metrics())
  const options = resolveMetricsOptions({ push: `http://127.0.0.1:${port}` }, 'metrics', {}).push
  const n = quick ? 10 : 30
  const asyncMs = []
  const syncMs = []
  const warmMs = []
  for (let i = 0; i < n; i++) {
    let t = performance.now()
    const a = await push(pushRequest(options, 'bench', body))
    asyncMs.push(performance.now() - t)
    t = performance.now()
    const s = pushSync(pushRequest(options, 'bench', body))
    syncMs.push(performance.now() - t)
    // What startMetrics() does: the sender thread starts with the program and boots while it runs
    // (here 300 ms, a short command), so the exit only waits for the request. A new sender each
    // round, as each CLI run has its own.
    const sender = new PushSender()
    await new Promise((resolve) => setTimeout(resolve, 300))
    t = performance.now()
    const w = pushSync(pushRequest(options, 'bench', body), sender)
    warmMs.push(performance.now() - t)
    await sender.close()
    if (!a.ok || !s.ok || !w.ok) throw new Error(`push failed: ${JSON.stringify([a, s, w])}`)
  }
  gateway.kill('SIGKILL')
  const downPort = await freePort()
  const down = resolveMetricsOptions({ push: `http://127.0.0.1:${downPort}` }, 'metrics', {}).push
  const downMs = []
  for (let i = 0; i < 5; i++) {
    const t = performance.now()
    const r = pushSync(pushRequest(down, 'bench', body))
    downMs.push(performance.now() - t)
    if (r.ok) throw new Error('push to a closed port succeeded')
  }
  results.push = { bytes: body.length, normalEndMedianMs: median(asyncMs), processExitMedianMs: median(warmMs), processExitColdWorkerMedianMs: median(syncMs), gatewayDownMedianMs: median(downMs), gatewayDownMaxMs: Math.max(...downMs), runs: n }
  target('push at a normal end, loopback (median)', median(asyncMs), 50, 'max', ' ms')
  target('push from process.exit() (sender started with the program), loopback (median)', median(warmMs), 50, 'max', ' ms')
  log(`push from process.exit() with a thread started at the exit (the fallback): ${median(syncMs).toFixed(1)} ms median`)
  target('gateway down: added time (max of 5)', Math.max(...downMs), 1000, 'max', ' ms')
  log(`push: ${median(asyncMs).toFixed(1)} ms async, ${median(warmMs).toFixed(1)} ms via the started sender, ${median(syncMs).toFixed(1)} ms via a new worker, down ${Math.max(...downMs).toFixed(1)} ms`)
}

const out = { date: new Date().toISOString(), node: process.version, quick, results, targets }
writeFileSync(path.join(here, 'results/runtime-monitor.json'), `${JSON.stringify(out, null, 2)}\n`)
const md = [
  '# runtime-monitor benchmark',
  '',
  `Node ${process.version}, ${out.date}${quick ? ' (quick)' : ''}. Reproduce: \`npm run build -w packages/runtime && node benchmarks/runtime-monitor.mjs\`.`,
  '',
  '| target | measured | goal | met |',
  '|---|---|---|---|',
  ...targets.map((t) => `| ${t.name} | ${t.value} | ${t.target} | ${t.met ? 'yes' : 'no'} |`),
  '',
  'Not measured here: the startup A/B of the playground\'s `--version` and the sampling CPU overhead.',
  '',
]
writeFileSync(path.join(here, 'results/runtime-monitor.md'), md.join('\n'))
process.exit(0)
