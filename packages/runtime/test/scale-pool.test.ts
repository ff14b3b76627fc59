import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { AutoscalePolicy, createPool, type Pool, type ScaleEvent } from '../src/scale/index.js'
import { WORKERS_DIR } from './helpers/cache-bundle.js'

const TASK = pathToFileURL(path.join(WORKERS_DIR, 'scale', 'echo-task.mjs'))
type Input = { kind: string; value?: number; ms?: number; code?: number; buffer?: ArrayBuffer }

const pools: Pool[] = []
function pool(options: Omit<Parameters<typeof createPool>[0], 'task'> = {}): Pool<Input, any> {
  const p = createPool<Input, any>({ task: TASK, ...options })
  pools.push(p as Pool)
  return p
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close({ force: true })))
})

/** Resolves when `check` holds, polling; rejects after a bound no healthy run comes near. */
async function eventually(check: () => boolean, what: string, boundMs = 15_000): Promise<void> {
  const deadline = Date.now() + boundMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('scale: createPool', () => {
  it('runs the task on threads; map keeps order', async () => {
    const p = pool({ maxThreads: 2 })
    expect(await p.run({ kind: 'double', value: 21 })).toBe(42)
    const out = await p.map([5, 1, 4, 2].map((v) => ({ kind: 'sleep', value: v, ms: v * 3 })))
    expect(out.map((r: { value: number }) => r.value)).toEqual([5, 1, 4, 2])
    expect(p.stats()).toMatchObject({ completed: 5, failed: 0, running: 0, queued: 0 })
  })

  it('moves a transferList buffer instead of copying it', async () => {
    const p = pool({ maxThreads: 1 })
    const buffer = new Uint8Array([1, 2, 3, 4]).buffer
    expect(await p.run({ kind: 'sum', buffer }, { transferList: [buffer] })).toBe(10)
    expect(buffer.byteLength).toBe(0)
  })

  it('a task that throws rejects with its own error; the pool keeps serving, no task lost', async () => {
    const p = pool({ maxThreads: 2 })
    const runs = [p.run({ kind: 'double', value: 1 }), p.run({ kind: 'throw', value: 7 }), p.run({ kind: 'double', value: 3 })]
    const settled = await Promise.allSettled(runs)
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 2 })
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: { name: 'TypeError', message: 'task failed on purpose: 7' } })
    expect(settled[2]).toEqual({ status: 'fulfilled', value: 6 })
    expect(p.stats()).toMatchObject({ completed: 2, failed: 1 })
  })

  it('a task calling process.exit rejects with ERR_SCALE_WORKER_EXITED; its thread is replaced, no queued task lost', async () => {
    const p = pool({ maxThreads: 1 })
    const results = await Promise.allSettled([
      p.run({ kind: 'sleep', value: 1, ms: 5 }),
      p.run({ kind: 'exit', code: 3 }),
      ...[2, 3, 4].map((value) => p.run({ kind: 'sleep', value, ms: 1 })),
    ])
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: 'ERR_SCALE_WORKER_EXITED', message: expect.stringContaining('exited with code 3') } })
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ value: number }>).value.value)).toEqual([1, 2, 3, 4])
    expect(await p.run({ kind: 'double', value: 5 })).toBe(10)
    expect(p.stats().scaleDowns).toBeGreaterThanOrEqual(1)
  })

  it('maxQueue full rejects with ERR_SCALE_QUEUE_FULL (onFull: reject)', async () => {
    const p = pool({ maxThreads: 1, minThreads: 1, maxQueue: 1 })
    const running = p.run({ kind: 'sleep', value: 1, ms: 50 })
    const queued = p.run({ kind: 'sleep', value: 2, ms: 1 })
    await expect(p.run({ kind: 'double', value: 1 })).rejects.toMatchObject({ code: 'ERR_SCALE_QUEUE_FULL', message: expect.stringContaining('maxQueue: 1') })
    await Promise.all([running, queued])
  })

  it("onFull: 'wait' accepts beyond maxQueue and whenReady holds the producer back", async () => {
    const p = pool({ maxThreads: 1, minThreads: 1, maxQueue: 1, onFull: 'wait' })
    const runs = [1, 2, 3].map((value) => p.run({ kind: 'sleep', value, ms: 20 }))
    let ready = false
    const whenReady = p.whenReady().then(() => (ready = true))
    expect(ready).toBe(false)
    await whenReady
    expect(p.stats().queued).toBeLessThan(1)
    expect((await Promise.all(runs)).map((r: { value: number }) => r.value)).toEqual([1, 2, 3])
  })

  it('taskTimeout terminates the thread with ERR_SCALE_TASK_TIMEOUT and the pool goes on', async () => {
    // Generous: the timeout also covers the start of a replacement thread on a busy machine.
    const p = pool({ maxThreads: 1, minThreads: 1, taskTimeout: 1500 })
    await expect(p.run({ kind: 'forever' })).rejects.toMatchObject({ code: 'ERR_SCALE_TASK_TIMEOUT', message: expect.stringContaining('taskTimeout (1500 ms)') })
    expect(await p.run({ kind: 'double', value: 4 })).toBe(8)
  })

  it('abort rejects a queued task at once and stops a running one, with an AbortError carrying the reason', async () => {
    const p = pool({ maxThreads: 1 })
    expect(await p.run({ kind: 'double', value: 0 })).toBe(0)
    const running = new AbortController()
    const queued = new AbortController()
    const first = p.run({ kind: 'forever' }, { signal: running.signal })
    const second = p.run({ kind: 'double', value: 1 }, { signal: queued.signal })
    queued.abort(new Error('not needed'))
    await expect(second).rejects.toMatchObject({ name: 'AbortError', code: 'ERR_SCALE_ABORTED', cause: { message: 'not needed' } })
    expect(p.stats().queued).toBe(0)
    running.abort(new Error('stop'))
    await expect(first).rejects.toMatchObject({ name: 'AbortError', code: 'ERR_SCALE_ABORTED', cause: { message: 'stop' } })
    await expect(p.run({ kind: 'double', value: 1 }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
    expect(await p.run({ kind: 'double', value: 2 })).toBe(4)
  })

  it('close() drains queued and running tasks, then refuses new ones', async () => {
    const p = pool({ maxThreads: 2 })
    const runs = [1, 2, 3, 4, 5].map((value) => p.run({ kind: 'sleep', value, ms: 10 }))
    await p.close()
    expect((await Promise.all(runs)).map((r: { value: number }) => r.value)).toEqual([1, 2, 3, 4, 5])
    await expect(p.run({ kind: 'double', value: 1 })).rejects.toMatchObject({ code: 'ERR_SCALE_CLOSED' })
  })

  it('autoscale: a step load reaches maxThreads, then threads return to minThreads after idleTimeout', async () => {
    const events: ScaleEvent[] = []
    const p = pool({ minThreads: 1, maxThreads: 3, idleTimeout: 100, onScale: (e) => events.push(e) })
    const runs = Array.from({ length: 6 }, (_, value) => p.run({ kind: 'sleep', value, ms: 100 }))
    await eventually(() => p.stats().threads === 3, 'three threads')
    expect(p.stats().target).toBe(3)
    await Promise.all(runs)
    await eventually(() => p.stats().threads === 1, 'back to one thread')
    expect(Math.max(...events.map((e) => e.threads))).toBe(3)
    expect(events.at(-1)).toMatchObject({ threads: 1, previous: 2 })
    expect(p.stats()).toMatchObject({ scaleUps: 3, scaleDowns: 2, minThreads: 1, maxThreads: 3 })
  })

  it('bad options are TypeErrors naming the option', () => {
    expect(() => createPool(undefined as never)).toThrow(TypeError)
    expect(() => createPool({ task: './relative.js' })).toThrow(/createPool\(\) options.task must be an absolute path/)
    expect(() => createPool({ task: new URL('https://example.com/t.js') })).toThrow(/options.task must be a file: URL/)
    expect(() => createPool({ task: TASK, maxThreads: 0 })).toThrow(/createPool\(\) options.maxThreads must be a positive integer, got number 0/)
    expect(() => createPool({ task: TASK, minThreads: 4, maxThreads: 2 })).toThrow(/minThreads \(4\) must not exceed options.maxThreads \(2\)/)
    expect(() => createPool({ task: TASK, onFull: 'drop' as never })).toThrow(/options.onFull must be one of 'wait', 'reject'/)
    expect(() => createPool({ task: TASK, taskTimeout: -1 })).toThrow(/options.taskTimeout must be a non-negative number/)
    expect(() => createPool({ task: TASK, onScale: 1 as never })).toThrow(/options.onScale must be a function/)
    expect(() => createPool({ task: TASK, threads: 2 } as never)).toThrow(/unknown option createPool\(\) options.threads/)
  })
})

describe('scale: AutoscalePolicy (fake clock)', () => {
  const settings = { minThreads: 1, maxThreads: 4, scaleUpAfter: 50, idleTimeout: 1000 }

  it('covers the backlog once the oldest task has waited scaleUpAfter, at most maxThreads', () => {
    const policy = new AutoscalePolicy(settings)
    expect(policy.update(0, { queued: 10, oldestQueuedAt: 0, running: 1 })).toBe(1)
    expect(policy.nextChangeIn(0, { queued: 10, oldestQueuedAt: 0, running: 1 })).toBe(50)
    expect(policy.update(49, { queued: 10, oldestQueuedAt: 0, running: 1 })).toBe(1)
    expect(policy.update(50, { queued: 10, oldestQueuedAt: 0, running: 1 })).toBe(4)
    expect(policy.nextChangeIn(50, { queued: 6, oldestQueuedAt: 0, running: 4 })).toBeUndefined()
  })

  it('a small backlog adds only the threads it needs', () => {
    const policy = new AutoscalePolicy({ ...settings, scaleUpAfter: 0 })
    expect(policy.update(0, { queued: 1, oldestQueuedAt: 0, running: 1 })).toBe(2)
  })

  it('falls back to what runs (not below minThreads) after idleTimeout without waiting tasks', () => {
    const policy = new AutoscalePolicy({ ...settings, scaleUpAfter: 0 })
    policy.update(0, { queued: 8, oldestQueuedAt: 0, running: 0 })
    expect(policy.target).toBe(4)
    expect(policy.update(10, { queued: 0, oldestQueuedAt: 0, running: 2 })).toBe(4)
    expect(policy.nextChangeIn(10, { queued: 0, oldestQueuedAt: 0, running: 2 })).toBe(990)
    expect(policy.update(999, { queued: 0, oldestQueuedAt: 0, running: 2 })).toBe(4)
    expect(policy.update(1000, { queued: 0, oldestQueuedAt: 0, running: 2 })).toBe(2)
    expect(policy.update(3000, { queued: 0, oldestQueuedAt: 0, running: 0 })).toBe(1)
    expect(policy.nextChangeIn(3000, { queued: 0, oldestQueuedAt: 0, running: 0 })).toBeUndefined()
  })

  it('drives a pool through an injected clock: no thread is added before scaleUpAfter on that clock', async () => {
    let now = 0
    const p = pool({ minThreads: 1, maxThreads: 2, scaleUpAfter: 10_000, clock: () => now })
    const runs = [1, 2, 3].map((value) => p.run({ kind: 'sleep', value, ms: 30 }))
    await runs[0]
    expect(p.stats().target).toBe(1)
    now = 10_000
    await Promise.all(runs)
    expect(p.stats().target).toBeLessThanOrEqual(2)
    expect(p.stats().completed).toBe(3)
  })
})
