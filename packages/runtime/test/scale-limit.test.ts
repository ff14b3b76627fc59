import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { limit, map } from '../src/scale/index.js'

describe('scale: limit', () => {
  it('never runs more than concurrency functions at once, and runs them all', async () => {
    const run = limit(3)
    let active = 0
    let peak = 0
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        run(async (n: number) => {
          active++
          peak = Math.max(peak, active)
          await sleep(1)
          active--
          return n * 2
        }, i),
      ),
    )
    expect(peak).toBe(3)
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2))
  })

  it('clearQueue rejects the waiting functions with an AbortError', async () => {
    const run = limit(1)
    const first = run(() => sleep(5).then(() => 'done'))
    const second = run(() => 'never')
    run.clearQueue()
    await expect(second).rejects.toMatchObject({ name: 'AbortError' })
    await expect(first).resolves.toBe('done')
  })

  it('rejects a bad concurrency with a TypeError naming it', () => {
    expect(() => limit(0)).toThrow(TypeError)
    expect(() => limit(1.5)).toThrow(/limit\(concurrency\): concurrency must be a positive integer or Infinity, got number 1.5/)
  })
})

describe('scale: map', () => {
  it('keeps the items\' order whatever order they finish in, bounded by concurrency', async () => {
    let active = 0
    let peak = 0
    const out = await map(
      [30, 1, 20, 2, 10],
      async (ms, i) => {
        active++
        peak = Math.max(peak, active)
        await sleep(ms)
        active--
        return `${i}:${ms}`
      },
      { concurrency: 2 },
    )
    expect(out).toEqual(['0:30', '1:1', '2:20', '3:2', '4:10'])
    expect(peak).toBe(2)
  })

  it("errors: 'first' rejects with the first error and starts no further item", async () => {
    const started: number[] = []
    await expect(
      map(
        [1, 2, 3, 4, 5],
        async (n) => {
          started.push(n)
          if (n === 2) throw new Error('two')
          await sleep(5)
          return n
        },
        { concurrency: 1 },
      ),
    ).rejects.toThrow('two')
    await sleep(20)
    expect(started).toEqual([1, 2])
  })

  it("errors: 'collect' runs every item and rejects with an AggregateError in item order", async () => {
    const started: number[] = []
    const failure = await map(
      [1, 2, 3, 4],
      async (n) => {
        started.push(n)
        if (n % 2 === 0) throw new Error(`even ${n}`)
        return n
      },
      { concurrency: 2, errors: 'collect' },
    ).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(AggregateError)
    expect((failure as AggregateError).errors.map((e: Error) => e.message)).toEqual(['even 2', 'even 4'])
    expect(started.sort()).toEqual([1, 2, 3, 4])
  })

  it('an AbortSignal stops it with an AbortError carrying the reason', async () => {
    const controller = new AbortController()
    const started: number[] = []
    const pending = map(
      Array.from({ length: 100 }, (_, i) => i),
      async (n) => {
        started.push(n)
        if (n === 3) controller.abort(new Error('user pressed ctrl-c'))
        await sleep(1)
        return n
      },
      { concurrency: 2, signal: controller.signal },
    )
    const error = await pending.catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'AbortError', code: 'ERR_SCALE_ABORTED', cause: { message: 'user pressed ctrl-c' } })
    await sleep(20)
    expect(started.length).toBeLessThan(10)
  })

  it('accepts async iterables', async () => {
    async function* gen() {
      yield 1
      yield 2
    }
    expect(await map(gen(), (n) => n + 1)).toEqual([2, 3])
  })

  it('bad options are TypeErrors naming the option', async () => {
    await expect(map([1], (n) => n, { concurrency: 0 })).rejects.toThrow(/map\(\) options.concurrency must be a positive integer or Infinity/)
    await expect(map([1], (n) => n, { errors: 'all' as never })).rejects.toThrow(/map\(\) options.errors must be one of 'first', 'collect', got string "all"/)
    await expect(map([1], (n) => n, { signal: {} as never })).rejects.toThrow(/map\(\) options.signal must be an AbortSignal/)
    await expect(map([1], (n) => n, { retries: 1 } as never)).rejects.toThrow(/unknown option map\(\) options.retries/)
    await expect(map(5 as never, (n) => n)).rejects.toThrow(TypeError)
  })
})
