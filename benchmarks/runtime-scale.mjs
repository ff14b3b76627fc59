// Benchmarks of @cli-optimizer/runtime/scale against the libraries it wraps, every ratio measured
// in this one run (interleaved where it compares two things) so it holds on any machine.
//
//   npm run build -w packages/runtime && node benchmarks/runtime-scale.mjs [--quick]
//
// Writes benchmarks/results/runtime-scale.json and runtime-scale.md. Needs redis-server for the
// queue part (--no-queue skips it); 2 worker processes vs 1 is not measured yet.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Piscina } from 'piscina'
import { createPool, limit } from '@cli-optimizer/runtime/scale'

const here = path.dirname(fileURLToPath(import.meta.url))
const quick = process.argv.includes('--quick')
const TASK = pathToFileURL(path.join(here, 'lib/scale/spin-task.mjs'))
const log = (...args) => console.error('[runtime-scale]', ...args)
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1]
const results = {}
const targets = []
function target(name, value, limitValue, direction, unit) {
  const met = direction === '<=' ? value <= limitValue : value >= limitValue
  targets.push({ name, value: Number(value.toFixed(3)), target: `${direction} ${limitValue}${unit}`, met })
  log(`${met ? 'met ' : 'MISS'} ${name}: ${value.toFixed(3)}${unit} (target ${direction} ${limitValue}${unit})`)
}

// 1. 10,000 in-flight async tasks through limit(): event-loop delay and RSS over the idle process.
{
  global.gc?.()
  await sleep(50)
  const idleRss = process.memoryUsage().rss
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  histogram.enable()
  const run = limit(100)
  let peakRss = idleRss
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5)
  const started = performance.now()
  await Promise.all(Array.from({ length: 10_000 }, (_, i) => run(() => sleep(1 + (i % 5)))))
  const ms = performance.now() - started
  clearInterval(sampler)
  histogram.disable()
  const p99 = histogram.percentile(99) / 1e6
  const rssMiB = (peakRss - idleRss) / 2 ** 20
  results.limit = { tasks: 10_000, concurrency: 100, ms, eventLoopDelayP99Ms: p99, rssOverIdleMiB: rssMiB }
  target('limit: event-loop delay p99, 10,000 in flight', p99, 20, '<=', ' ms')
  target('limit: RSS over idle, 10,000 in flight', rssMiB, 50, '<=', ' MiB')
}

// 2. CPU-bound batch: 2 threads vs 1 (both warmed up, interleaved rounds).
{
  const work = Array.from({ length: quick ? 16 : 32 }, () => 4_000_000)
  const one = createPool({ task: TASK, minThreads: 1, maxThreads: 1 })
  const two = createPool({ task: TASK, minThreads: 2, maxThreads: 2 })
  await Promise.all([one.map([1, 1]), two.map([1, 1, 1, 1])])
  const times = { one: [], two: [] }
  for (let round = 0; round < (quick ? 2 : 4); round++) {
    for (const [name, pool] of round % 2 ? [['two', two], ['one', one]] : [['one', one], ['two', two]]) {
      const t = performance.now()
      await pool.map(work)
      times[name].push(performance.now() - t)
    }
  }
  await Promise.all([one.close(), two.close()])
  const speedup = median(times.one) / median(times.two)
  results.cpuBatch = { tasks: work.length, oneThreadMs: median(times.one), twoThreadsMs: median(times.two), speedup }
  target('pool: CPU-bound batch, 2 threads over 1', speedup, 1.8, '>=', 'x')
}

// 3. Dispatch of tiny tasks: createPool vs raw piscina, same thread count, interleaved.
{
  const n = quick ? 5_000 : 20_000
  const ours = createPool({ task: TASK, minThreads: 2, maxThreads: 2, idleTimeout: Infinity })
  const raw = new Piscina({ filename: TASK.href, minThreads: 2, maxThreads: 2, idleTimeout: Infinity })
  const batch = (run) => Promise.all(Array.from({ length: n }, () => run(0)))
  await batch((x) => ours.run(x))
  await batch((x) => raw.run(x))
  const times = { ours: [], raw: [] }
  for (let round = 0; round < (quick ? 3 : 5); round++) {
    const order = round % 2 ? ['raw', 'ours'] : ['ours', 'raw']
    for (const name of order) {
      const t = performance.now()
      await batch(name === 'ours' ? (x) => ours.run(x) : (x) => raw.run(x))
      times[name].push(performance.now() - t)
    }
  }
  await Promise.all([ours.close(), raw.close()])
  const ratio = median(times.ours) / median(times.raw)
  results.dispatch = { tasks: n, oursMs: median(times.ours), piscinaMs: median(times.raw), ratio }
  target('pool: tiny-task dispatch cost over raw piscina', ratio, 1.2, '<=', 'x')
}

// 4. Autoscale under a step load: time to maxThreads, and back to minThreads after idleTimeout.
{
  const idleTimeout = 500
  const events = []
  const pool = createPool({ task: TASK, minThreads: 1, maxThreads: 4, idleTimeout, onScale: (e) => events.push(e) })
  await pool.run(1)
  const stepAt = performance.now()
  const step = Promise.all(Array.from({ length: 16 }, () => pool.run(20_000_000)))
  let reachedMax
  while (reachedMax === undefined && performance.now() - stepAt < 10_000) {
    if (pool.stats().threads === 4) reachedMax = performance.now() - stepAt
    await sleep(1)
  }
  await step
  const doneAt = performance.now()
  let backToMin
  while (backToMin === undefined && performance.now() - doneAt < 10_000) {
    if (pool.stats().threads === 1) backToMin = performance.now() - doneAt
    await sleep(5)
  }
  await pool.close()
  results.autoscale = { maxThreads: 4, minThreads: 1, idleTimeout, toMaxMs: reachedMax, toMinAfterLoadMs: backToMin, scaleEvents: events.length }
  target('autoscale: step load reaches maxThreads', (reachedMax ?? Infinity) / 1000, 1, '<=', ' s')
  target('autoscale: back to minThreads after the load (idleTimeout 0.5 s)', (backToMin ?? Infinity) / 1000, idleTimeout / 1000 + 1, '<=', ' s')
}

// 5. Queue: no-op job throughput through createQueue/work vs raw BullMQ, same settings, one
// redis-server started here on a free port.
if (!process.argv.includes('--no-queue')) {
  const { spawn } = await import('node:child_process')
  const { createServer } = await import('node:net')
  const { Queue, Worker, QueueEvents } = await import('bullmq')
  const { Redis } = await import('ioredis')
  const { createQueue, work } = await import('@cli-optimizer/runtime/scale')
  const port = await new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  const url = `redis://127.0.0.1:${port}`
  for (let i = 0; i < 200; i++) {
    try {
      const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null })
      probe.on('error', () => {})
      await probe.connect()
      probe.disconnect()
      break
    } catch {
      await sleep(25)
    }
  }
  const n = quick ? 500 : 2000
  const NOOP = pathToFileURL(path.join(here, 'lib/scale/spin-task.mjs'))
  const ours = async (name) => {
    const w = await work(name, NOOP, { redis: url, concurrency: 8, handleSignals: false })
    const q = createQueue({ name, redis: url })
    const t = performance.now()
    await q.map(Array.from({ length: n }, () => 0))
    const ms = performance.now() - t
    await q.close()
    await w.close(0)
    return ms
  }
  const raw = async (name) => {
    const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null }
    const worker = new Worker(name, async (job) => (await import(NOOP.href)).default(job.data), { connection, prefix: 'cli-optimizer', concurrency: 8 })
    const queue = new Queue(name, { connection, prefix: 'cli-optimizer' })
    const events = new QueueEvents(name, { connection, prefix: 'cli-optimizer' })
    await Promise.all([worker.waitUntilReady(), events.waitUntilReady()])
    const t = performance.now()
    const jobs = await queue.addBulk(Array.from({ length: n }, () => ({ name: 'task', data: 0, opts: { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 3600 } } })))
    await Promise.all(jobs.map((j) => j.waitUntilFinished(events)))
    const ms = performance.now() - t
    await Promise.all([worker.close(), queue.close(), events.close()])
    return ms
  }
  const times = { ours: [], raw: [] }
  for (let round = 0; round < (quick ? 2 : 3); round++) {
    for (const name of round % 2 ? ['raw', 'ours'] : ['ours', 'raw']) times[name].push(await (name === 'ours' ? ours : raw)(`bench-${name}-${round}`))
  }
  server.kill('SIGKILL')
  const ratio = median(times.raw) / median(times.ours)
  results.queueNoop = { jobs: n, concurrency: 8, oursMs: median(times.ours), bullmqMs: median(times.raw), throughputRatio: ratio }
  target('queue: no-op job throughput over raw BullMQ', ratio, 0.9, '>=', 'x')
}

const out = { node: process.version, cpus: (await import('node:os')).availableParallelism(), quick, results, targets }
const resultsDir = path.join(here, 'results')
writeFileSync(path.join(resultsDir, 'runtime-scale.json'), `${JSON.stringify(out, null, 2)}\n`)
const md = [
  '# runtime-scale',
  '',
  `Node ${process.version}, ${out.cpus} cores${quick ? ', --quick' : ''}. Command: \`npm run build -w packages/runtime && node benchmarks/runtime-scale.mjs\`.`,
  '',
  '| target | measured | goal | met |',
  '| --- | --- | --- | --- |',
  ...targets.map((t) => `| ${t.name} | ${t.value} | ${t.target} | ${t.met ? 'yes' : 'no'} |`),
  '',
]
writeFileSync(path.join(resultsDir, 'runtime-scale.md'), md.join('\n'))
console.log(md.join('\n'))
