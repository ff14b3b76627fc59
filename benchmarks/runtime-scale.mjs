// Benchmarks of @cli-optimizer/runtime/scale against the libraries it wraps, every ratio measured
// in this one run (interleaved where it compares two things) so it holds on any machine.
//
//   npm run build -w packages/runtime && node benchmarks/runtime-scale.mjs [--quick]
//
// Writes benchmarks/results/runtime-scale.json and runtime-scale.md. Needs redis-server for the
// queue parts (--no-queue skips them).
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

// 2. CPU-bound batch: 2 threads vs 1 (both warmed up, interleaved rounds). Each arm also records
// how many cores the process got (its CPU time over the wall time) and how the tasks spread over
// the threads: on a machine shared with other work the ratio says little without them.
{
  const THREAD_TASK = pathToFileURL(path.join(here, 'lib/scale/thread-task.mjs'))
  const work = Array.from({ length: quick ? 16 : 32 }, () => 4_000_000)
  const one = createPool({ task: THREAD_TASK, minThreads: 1, maxThreads: 1 })
  const two = createPool({ task: THREAD_TASK, minThreads: 2, maxThreads: 2 })
  await Promise.all([one.map([1, 1]), two.map([1, 1, 1, 1])])
  const times = { one: [], two: [] }
  const cores = { one: [], two: [] }
  const spread = { one: [], two: [] }
  for (let round = 0; round < (quick ? 3 : 7); round++) {
    for (const [name, pool] of round % 2 ? [['two', two], ['one', one]] : [['one', one], ['two', two]]) {
      const cpu = process.cpuUsage()
      const t = performance.now()
      const out = await pool.map(work)
      const ms = performance.now() - t
      const used = process.cpuUsage(cpu)
      times[name].push(ms)
      cores[name].push((used.user + used.system) / 1000 / ms)
      const perThread = {}
      for (const r of out) perThread[r.threadId] = (perThread[r.threadId] ?? 0) + 1
      spread[name].push(Object.values(perThread).sort((a, b) => b - a))
    }
  }
  await Promise.all([one.close(), two.close()])
  const speedup = median(times.one) / median(times.two)
  results.cpuBatch = {
    tasks: work.length,
    oneThreadMs: median(times.one),
    twoThreadsMs: median(times.two),
    speedup,
    coresUsed: { one: median(cores.one), two: median(cores.two) },
    tasksPerThreadTwo: spread.two,
    roundsMs: times,
  }
  log(`pool batch: cores used ${median(cores.one).toFixed(2)} (1 thread) vs ${median(cores.two).toFixed(2)} (2 threads); tasks per thread with 2: ${JSON.stringify(spread.two)}`)
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
  const ratio = median(times.raw) / median(times.ours)
  results.queueNoop = { jobs: n, concurrency: 8, oursMs: median(times.ours), bullmqMs: median(times.raw), throughputRatio: ratio }
  target('queue: no-op job throughput over raw BullMQ', ratio, 0.9, '>=', 'x')

  // 6. Queue: a CPU-bound batch on 2 worker processes vs 1 (concurrency 1 each, so a process is a
  // core), interleaved rounds. The workers are started and connected before the clock starts; the
  // producer (this process) and redis-server share the same 2 cores.
  const WORKER = path.join(here, 'lib/scale/queue-worker.mjs')
  const startWorkers = async (count, name) => {
    const children = Array.from({ length: count }, () => spawn(process.execPath, [WORKER, name, url], { stdio: ['ignore', 'pipe', 'inherit'] }))
    await Promise.all(children.map((child) => new Promise((resolve, reject) => {
      let out = ''
      child.stdout.setEncoding('utf8').on('data', (d) => { out += d; if (out.includes('ready')) resolve() })
      child.on('exit', (code) => reject(new Error(`queue worker exited with ${code} before it was ready`)))
    })))
    return children
  }
  const stopWorkers = (children) => Promise.all(children.map((child) => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.removeAllListeners('exit')
    child.on('exit', resolve)
    child.kill('SIGTERM')
  })))
  // CPU seconds a process has used (Linux /proc; utime + stime in clock ticks of 10 ms).
  const { readFileSync } = await import('node:fs')
  const cpuMs = (pid) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
      return (Number(fields[11]) + Number(fields[12])) * 10
    } catch {
      return NaN
    }
  }
  const jobs = Array.from({ length: quick ? 24 : 48 }, () => 10_000_000)
  const batch = { one: [], two: [] }
  const workerCores = { one: [], two: [] }
  const jobsPerProcess = { one: [], two: [] }
  for (let round = 0; round < (quick ? 2 : 4); round++) {
    for (const name of round % 2 ? ['two', 'one'] : ['one', 'two']) {
      const queueName = `bench-cpu-${name}-${round}`
      const children = await startWorkers(name === 'one' ? 1 : 2, queueName)
      const q = createQueue({ name: queueName, redis: url })
      const cpuBefore = children.map((c) => cpuMs(c.pid))
      const t = performance.now()
      const out = await q.map(jobs)
      const ms = performance.now() - t
      const cpuUsed = children.reduce((sum, c, i) => sum + cpuMs(c.pid) - cpuBefore[i], 0)
      batch[name].push(ms)
      workerCores[name].push(cpuUsed / ms)
      const perProcess = {}
      for (const r of out) perProcess[r.pid] = (perProcess[r.pid] ?? 0) + 1
      jobsPerProcess[name].push(Object.values(perProcess).sort((a, b) => b - a))
      await q.close()
      await stopWorkers(children)
    }
  }
  server.kill('SIGKILL')
  const queueSpeedup = median(batch.one) / median(batch.two)
  results.queueCpuBatch = {
    jobs: jobs.length,
    iterationsPerJob: jobs[0],
    oneProcessMs: median(batch.one),
    twoProcessesMs: median(batch.two),
    speedup: queueSpeedup,
    workerCoresUsed: { one: median(workerCores.one), two: median(workerCores.two) },
    jobsPerProcessTwo: jobsPerProcess.two,
    roundsMs: batch,
  }
  log(`queue batch: worker processes used ${median(workerCores.one).toFixed(2)} cores (1) vs ${median(workerCores.two).toFixed(2)} (2); jobs per process with 2: ${JSON.stringify(jobsPerProcess.two)}`)
  target('queue: CPU-bound batch, 2 worker processes over 1', queueSpeedup, 1.7, '>=', 'x')
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
  // A 2-over-1 ratio only means something next to the cores the run could get.
  ...(results.cpuBatch ? [`Pool batch: the process used ${results.cpuBatch.coresUsed.one.toFixed(2)} cores with 1 thread, ${results.cpuBatch.coresUsed.two.toFixed(2)} with 2 (CPU time over wall time, median); tasks per thread with 2, per round: ${JSON.stringify(results.cpuBatch.tasksPerThreadTwo)}.`, ''] : []),
  ...(results.queueCpuBatch ? [`Queue batch: the worker processes used ${results.queueCpuBatch.workerCoresUsed.one.toFixed(2)} cores with 1 process, ${results.queueCpuBatch.workerCoresUsed.two.toFixed(2)} with 2; jobs per process with 2, per round: ${JSON.stringify(results.queueCpuBatch.jobsPerProcessTwo)}.`, ''] : []),
  `Load average at the end: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(', ')} (other work on the machine takes cores from both arms).`,
  '',
]
writeFileSync(path.join(resultsDir, 'runtime-scale.md'), md.join('\n'))
console.log(md.join('\n'))
