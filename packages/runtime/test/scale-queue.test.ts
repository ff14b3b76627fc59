import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createQueue, work, type JobQueue, type QueueWorker } from '../src/scale/index.js'
import { WORKERS_DIR } from './helpers/cache-bundle.js'
import { freePort, startRedisServer, type RedisServer } from './helpers/redis-server.js'
import { removeScaleBundle, scaleModuleForChildren } from './helpers/scale-bundle.js'

const TASK = path.join(WORKERS_DIR, 'scale', 'queue-task.mjs')
const WORKER_SCRIPT = path.join(WORKERS_DIR, 'scale', 'queue-worker.mjs')
// Seconds, not the production half-minute: a dead worker's job is back in the queue in ~1.5 s.
const FAST_RECOVERY = { lockDuration: 1000, stalledInterval: 500 }

type Data = { kind: string; value: number; ms?: number; log?: string }
type Result = { value: number; attempt: number; pid: number }
type LogLine = { event: 'start' | 'end'; id: string; attempt: number; pid: number; value: number }

let redis: RedisServer
let scaleModule: string
let dir: string
let queueNumber = 0
const queues: JobQueue[] = []
const workers: QueueWorker[] = []
const children: ChildProcess[] = []

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'scale-queue-'))
  ;[redis, scaleModule] = await Promise.all([startRedisServer({ persistDir: dir }), scaleModuleForChildren()])
})
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await Promise.all([...queues.splice(0).map((q) => q.close()), ...workers.splice(0).map((w) => w.close(0))])
})
afterAll(async () => {
  await redis?.stop()
  removeScaleBundle()
  rmSync(dir, { recursive: true, force: true })
})

function names(): { name: string; log: string } {
  queueNumber++
  const log = path.join(dir, `log-${queueNumber}.jsonl`)
  writeFileSync(log, '')
  return { name: `q${queueNumber}`, log }
}
function queue(name: string, options: Record<string, unknown> = {}): JobQueue<Data, Result> {
  const q = createQueue<Data, Result>({ name, redis: redis.url, ...options })
  queues.push(q as JobQueue)
  return q
}
async function inProcessWorker(name: string, options: Record<string, unknown> = {}): Promise<QueueWorker> {
  const w = await work(name, TASK, { redis: redis.url, handleSignals: false, ...options })
  workers.push(w)
  return w
}
function readLog(file: string): LogLine[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine)
}

interface WorkerProcess {
  child: ChildProcess
  output: () => string
  ready: Promise<void>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>
}
function workerProcess(name: string, options: Record<string, unknown> = {}): WorkerProcess {
  const child = spawn(process.execPath, [WORKER_SCRIPT, scaleModule, name, JSON.stringify({ redis: redis.url, ...FAST_RECOVERY, ...options })], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let output = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d))
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => output.includes('ready\n') && resolve())
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${output}`)))
  })
  let killedAt = 0
  const kill = child.kill.bind(child)
  child.kill = (signal?: NodeJS.Signals | number) => ((killedAt = performance.now()), kill(signal))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, ms: performance.now() - killedAt })),
  )
  return { child, output: () => output, ready, exited }
}

/** Polls until `check` holds; the bound is far beyond what a healthy run needs. */
async function eventually(check: () => boolean, what: string, boundMs = 20_000): Promise<void> {
  const deadline = Date.now() + boundMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('scale: createQueue / work (real redis-server)', () => {
  it('a producer gets results and progress from a worker; addBulk and map keep order', async () => {
    const { name } = names()
    const q = queue(name)
    await inProcessWorker(name, { concurrency: 4 })
    const progress: unknown[] = []
    const job = await q.add({ kind: 'progress', value: 5 }, { onProgress: (p) => progress.push(p) })
    expect(await job.result).toMatchObject({ value: 10, attempt: 1 })
    expect(progress).toEqual([25, 50, 100])
    const handles = await q.addBulk([1, 2, 3].map((value) => ({ kind: 'double', value })))
    expect((await Promise.all(handles.map((h) => h.result))).map((r) => r.value)).toEqual([2, 4, 6])
    expect((await q.map([7, 8].map((value) => ({ kind: 'double', value })))).map((r) => r.value)).toEqual([14, 16])
  })

  it('retries a failed attempt with backoff; a job failing every attempt rejects with ERR_SCALE_JOB_FAILED', async () => {
    const { name } = names()
    const q = queue(name, { attempts: 2, backoff: { type: 'fixed', delay: 50 } })
    await inProcessWorker(name)
    const retried = await q.add({ kind: 'fail-once', value: 1 })
    expect(await retried.result).toMatchObject({ value: 2, attempt: 2 })
    const failing = await q.add({ kind: 'fail', value: 2 })
    await expect(failing.result).rejects.toMatchObject({ code: 'ERR_SCALE_JOB_FAILED', message: expect.stringContaining('always fails (2)') })
  })

  it('the limiter holds job starts to max per duration across workers', async () => {
    const { name, log } = names()
    const q = queue(name)
    await Promise.all([inProcessWorker(name, { concurrency: 4, limiter: { max: 2, duration: 400 } }), inProcessWorker(name, { concurrency: 4, limiter: { max: 2, duration: 400 } })])
    const started = performance.now()
    await q.map([1, 2, 3, 4, 5, 6].map((value) => ({ kind: 'double', value, log })))
    // Six jobs at two per 400 ms need at least two full windows: a lower bound a slow machine cannot break.
    expect(performance.now() - started).toBeGreaterThanOrEqual(750)
    expect(readLog(log).filter((l) => l.event === 'end')).toHaveLength(6)
  })

  it('a worker process SIGKILLed mid-job: another worker runs the job again; the producer gets exactly one result', async () => {
    const { name, log } = names()
    const [a, b] = [workerProcess(name), workerProcess(name)]
    await Promise.all([a.ready, b.ready])
    const q = queue(name)
    const job = await q.add({ kind: 'slow', value: 21, ms: 1500, log })
    await eventually(() => readLog(log).some((l) => l.event === 'start'), 'the job to start')
    const victim = readLog(log)[0]!.pid
    const [killed, survivor] = victim === a.child.pid ? [a, b] : [b, a]
    killed.child.kill('SIGKILL')
    const result = await job.result
    expect(result.value).toBe(42)
    expect(result.pid).toBe(survivor.child.pid)
    const lines = readLog(log)
    expect(lines.filter((l) => l.event === 'start').map((l) => l.pid)).toEqual([victim, survivor.child.pid])
    expect(lines.filter((l) => l.event === 'end')).toHaveLength(1)
    expect(await q.counts()).toMatchObject({ completed: 1, failed: 0, active: 0, waiting: 0 })
  })

  it('Redis killed and restarted mid-run: no job lost, producer and workers reconnect', async () => {
    const { name, log } = names()
    const w = workerProcess(name, { concurrency: 2 })
    await w.ready
    const q = queue(name)
    const handles = await q.addBulk(Array.from({ length: 12 }, (_, value) => ({ kind: 'slow', value, ms: 100, log })))
    await eventually(() => readLog(log).filter((l) => l.event === 'end').length >= 2, 'some jobs to finish')
    await redis.kill()
    await new Promise((r) => setTimeout(r, 300))
    await redis.restart()
    const results = await Promise.all(handles.map((h) => h.result))
    expect(results.map((r) => r.value)).toEqual(Array.from({ length: 12 }, (_, v) => v * 2))
    const late = await q.add({ kind: 'double', value: 50, log })
    expect((await late.result).value).toBe(100)
  })

  it('SIGTERM to a worker process: the running job completes, then the process exits within the bound', async () => {
    const { name, log } = names()
    const w = workerProcess(name, { shutdownTimeout: 10_000 })
    await w.ready
    const q = queue(name)
    const job = await q.add({ kind: 'slow', value: 3, ms: 800, log })
    await eventually(() => readLog(log).some((l) => l.event === 'start'), 'the job to start')
    w.child.kill('SIGTERM')
    const exit = await w.exited
    expect(exit.signal).toBe('SIGTERM')
    expect(exit.ms).toBeLessThan(10_000)
    // The job finished in the process that got the signal, before it exited: one run, one end.
    expect(readLog(log).map((l) => [l.event, l.pid])).toEqual([['start', w.child.pid], ['end', w.child.pid]])
    expect((await job.result).pid).toBe(w.child.pid)
  })

  it('SIGTERM past shutdownTimeout: the running job goes back to the queue at once and another worker completes it', async () => {
    const { name, log } = names()
    const w = workerProcess(name, { shutdownTimeout: 100, lockDuration: 30_000, stalledInterval: 30_000 })
    await w.ready
    const q = queue(name)
    const job = await q.add({ kind: 'slow', value: 4, ms: 1500, log })
    await eventually(() => readLog(log).some((l) => l.event === 'start'), 'the job to start')
    w.child.kill('SIGTERM')
    const exit = await w.exited
    expect(exit.signal).toBe('SIGTERM')
    // shutdownTimeout is 100 ms: the exit must not wait for the 1.5 s job (a generous bound).
    expect(exit.ms).toBeLessThan(1400)
    expect(await q.counts()).toMatchObject({ active: 0, waiting: 1 })
    // With 30 s locks, only the explicit hand-back can make the job available this soon.
    const next = workerProcess(name, { lockDuration: 30_000, stalledInterval: 30_000 })
    await next.ready
    const result = await job.result
    expect(result.pid).toBe(next.child.pid)
  })

  it('Redis unreachable at start: a clear ERR_SCALE_REDIS_UNREACHABLE naming the URL, fast', async () => {
    const url = `redis://:secret@127.0.0.1:${await freePort()}`
    const q = createQueue({ name: 'nowhere', redis: url, connectTimeout: 500 })
    const error = await q.add({}).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_SCALE_REDIS_UNREACHABLE', message: expect.stringMatching(/cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? \(ECONNREFUSED\)/) })
    expect(String((error as Error).message)).not.toContain('secret')
    await expect(work('nowhere', TASK, { redis: url, connectTimeout: 500 })).rejects.toMatchObject({ code: 'ERR_SCALE_REDIS_UNREACHABLE' })
    await q.close()
  })

  it('bad options are TypeErrors naming the option', async () => {
    expect(() => createQueue(undefined as never)).toThrow(TypeError)
    expect(() => createQueue({ name: '' })).toThrow(/createQueue\(\) options.name must be/)
    expect(() => createQueue({ name: 'q', redis: 'http://x' })).toThrow(/createQueue\(\) options.redis must be a redis:\/\/ or rediss:\/\/ URL/)
    expect(() => createQueue({ name: 'q', attempts: 0 })).toThrow(/options.attempts must be a positive integer, got number 0/)
    expect(() => createQueue({ name: 'q', backoff: { type: 'linear', delay: 1 } as never })).toThrow(/options.backoff.type must be one of 'exponential', 'fixed'/)
    expect(() => createQueue({ name: 'q', limiter: { max: 2 } as never })).toThrow(/options.limiter.duration must be a positive integer, got null/)
    expect(() => createQueue({ name: 'q', retries: 1 } as never)).toThrow(/unknown option createQueue\(\) options.retries/)
    await expect(work('q', './relative.js')).rejects.toThrow(/work\(\) taskModule must be an absolute path/)
    await expect(work('q', TASK, { concurrency: -1 })).rejects.toThrow(/work\(\) options.concurrency must be a positive integer/)
  })
})
