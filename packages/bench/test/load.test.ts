import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { bench } from '../src/inprocess/bench.js'
import { enduranceTest, linearFit } from '../src/load/endurance-test.js'
import { loadTest } from '../src/load/load-test.js'
import { scalabilityTest } from '../src/load/scalability-test.js'
import { stressTest } from '../src/load/stress-test.js'
import { loadTestMarkdown, scalabilityMarkdown, stressTestMarkdown } from '../src/report/markdown.js'

// Behaviour of the load tools. Whether their figures are accurate on a function of known latency
// is checked with wall-clock bounds in load.accuracy.test.ts (npm run test:accuracy), where a
// stalled machine can be retried instead of failing npm test.

describe('loadTest (issue 6)', () => {
  it('measures after the ramp-up, and reports percentiles in order and a markdown row', async () => {
    const result = await loadTest({ fn: () => sleep(2), concurrency: 4, duration: 300, rampUp: 100 })
    expect(result.errors).toBe(0)
    expect(result.measuredMs).toBe(200)
    expect(result.requests).toBeGreaterThan(0)
    expect(result.latency.p90Ms).toBeGreaterThanOrEqual(result.latency.p50Ms)
    expect(result.latency.p99Ms).toBeGreaterThanOrEqual(result.latency.p90Ms)
    expect(result.latency.maxMs).toBeGreaterThanOrEqual(result.latency.p99Ms)
    expect(loadTestMarkdown([result])).toMatch(/^\| Concurrency \| Throughput/)
  })


  it('counts rejections as errors and keeps the first message', async () => {
    let calls = 0
    const result = await loadTest({
      fn: async () => {
        await sleep(1)
        if (++calls % 2 === 0) throw new Error('every second call fails')
      },
      concurrency: 4,
      duration: 300,
    })
    expect(result.errorRate).toBeGreaterThan(0.3)
    expect(result.errorRate).toBeLessThan(0.7)
    expect(result.firstError).toBe('every second call fails')
  })

  it('rejects a bad concurrency naming the value', async () => {
    await expect(loadTest({ fn: () => {}, concurrency: 0, duration: 10 })).rejects.toThrow(/concurrency must be an integer ≥ 1, got 0/)
  })
})

describe('stressTest', () => {
  it('steps concurrency up by doubling and stops at the first step whose errors break the limit', async () => {
    // Behaviour only: the refusal above 50 in flight does not depend on timing. How close the knee
    // and the p99 limit land is an accuracy question (load.accuracy.test.ts, npm run test:accuracy).
    let inFlight = 0
    const result = await stressTest({
      fn: async () => {
        inFlight++
        try {
          if (inFlight > 50) throw new Error('overloaded')
          await sleep(2)
        } finally {
          inFlight--
        }
      },
      stepDuration: 100,
      maxConcurrency: 256,
    })
    expect(result.breakingPoint?.concurrency).toBe(64)
    expect(result.breakingPoint?.reason).toMatch(/^error rate/)
    expect(result.steps.map((step) => step.concurrency)).toEqual([1, 2, 4, 8, 16, 32, 64])
    expect(stressTestMarkdown(result)).toMatch(/limit broken at 64: error rate/)
  })
})

describe('enduranceTest', () => {
  it('calls a function that retains memory a leak, with a positive slope', async () => {
    const retained: number[][] = []
    const result = await enduranceTest({
      fn: async () => {
        await sleep(1)
        retained.push(new Array(2000).fill(retained.length))
      },
      duration: 1200,
      samples: 6,
    })
    expect(result.leak).toBe(true)
    expect(result.slopeBytesPerSecond).toBeGreaterThan(1024 * 1024)
    expect(result.verdict).toMatch(/^leak: heap after GC grows/)
    expect(result.heap).toHaveLength(7)
  })

  it('does not call a function that frees what it allocates a leak', async () => {
    const result = await enduranceTest({
      fn: async () => {
        await sleep(1)
        return new Array(2000).fill(1).length
      },
      duration: 1200,
      samples: 6,
    })
    expect(result.leak).toBe(false)
    expect(result.verdict).toMatch(/^no leak/)
    expect(result.requests).toBeGreaterThan(50)
  })

  it('fits a line with its t statistic', () => {
    const fit = linearFit([0, 1, 2, 3, 4], [1, 3.1, 4.9, 7.05, 9])
    expect(fit.slope).toBeCloseTo(1.995, 3)
    expect(fit.t).toBeGreaterThan(50)
  })
})

describe('scalabilityTest', () => {
  it('runs each concurrency level and relates the figures to the first', async () => {
    const result = await scalabilityTest({ fn: () => sleep(5), levels: [1, 2], stepDuration: 150 })
    expect(result.mode).toBe('concurrency')
    expect(result.levels.map((level) => level.level)).toEqual([1, 2])
    expect(result.levels[0]!.efficiency).toBe(1)
    expect(result.levels[1]!.speedup).toBeCloseTo(result.levels[1]!.throughput / result.levels[0]!.throughput, 10)
    expect(scalabilityMarkdown(result)).toContain('scales usefully')
  })


  it('drives worker threads running a module’s default export', async () => {
    const result = await scalabilityTest({
      workerModule: new URL('./fixtures/cpu-work.mjs', import.meta.url),
      levels: [1, 2],
      stepDuration: 300,
    })
    expect(result.mode).toBe('workers')
    expect(result.levels.every((level) => level.throughput > 0)).toBe(true)
    expect(result.levels[1]!.speedup).toBeCloseTo(result.levels[1]!.throughput / result.levels[0]!.throughput, 10)
  })
})

describe('bench (tinybench)', () => {
  it('names the result and collects samples', async () => {
    const result = await bench(() => Math.sqrt(2), { name: 'sqrt', time: 30, warmupTime: 5 })
    expect(result.name).toBe('sqrt')
    expect(result.samples).toBeGreaterThan(0)
    expect(result.opsPerSecond).toBeGreaterThan(0)
  })


  it('reports the error when the function throws', async () => {
    await expect(bench(() => {
      throw new Error('nope')
    }, { time: 10, warmupTime: 0 })).rejects.toThrow(/nope/)
  })
})
