import { describe, expect, it } from 'vitest'
import { compareSamples, runCountWarnings } from '../src/stats/compare.js'
import { mannWhitneyU, normalCdf, smallestPValue } from '../src/stats/mann-whitney.js'
import { findOutliers } from '../src/stats/outliers.js'
import { createRandom, normalRandom } from '../src/stats/random.js'
import { summarize } from '../src/stats/summary.js'

/** Process timings are right-skewed: simulate them as lognormal around `medianMs`. */
function simulatedTimings(random: () => number, n: number, medianMs: number, sigma = 0.1): number[] {
  return Array.from({ length: n }, () => medianMs * Math.exp(sigma * normalRandom(random)))
}

describe('summarize', () => {
  it('gives min, median, mean, sample stddev and interpolated p95', () => {
    const summary = summarize([5, 1, 4, 2, 3])
    expect(summary).toMatchObject({ min: 1, max: 5, median: 3, mean: 3, p95: 4.8 })
    expect(summary.stddev).toBeCloseTo(Math.sqrt(2.5), 12)
    expect(summary.samples).toEqual([5, 1, 4, 2, 3])
  })
})

describe('mannWhitneyU', () => {
  it('matches the exact p-value of SciPy for small samples without ties', () => {
    const result = mannWhitneyU([1, 2, 3, 4, 5], [3.5, 6, 7, 8, 9, 10])
    expect(result.method).toBe('exact')
    expect(result.u).toBe(2)
    expect(result.pValue).toBeCloseTo(0.017316017316017316, 10)
  })

  it('matches SciPy’s tie- and continuity-corrected normal approximation with ties', () => {
    const result = mannWhitneyU([1, 2, 2, 3, 4, 5, 5, 6], [3, 4, 5, 7, 7, 8, 9, 9, 10])
    expect(result.method).toBe('normal')
    expect(result.u).toBe(10)
    expect(result.pValue).toBeCloseTo(0.013610459172522007, 5)
  })

  it('knows the smallest p-value a sample size allows', () => {
    expect(smallestPValue(3, 3)).toBeCloseTo(0.1, 12)
    expect(smallestPValue(5, 5)).toBeCloseTo(2 / 252, 12)
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6)
  })
})

describe('compareSamples (issue 6 accuracy)', () => {
  it('A/A: judges identical distributions "no significant difference" in at least 95% of 300 seeded trials', () => {
    const random = createRandom(42)
    let noDifference = 0
    const trials = 300
    for (let trial = 0; trial < trials; trial++) {
      const a = simulatedTimings(random, 20, 50)
      const b = simulatedTimings(random, 20, 50)
      if (compareSamples(a, b, { resamples: 500, seed: trial }).verdict === 'no significant difference') noDifference++
    }
    expect(noDifference / trials).toBeGreaterThanOrEqual(0.95)
  })

  it('has power: a 20 ms delay on a 50 ms command is judged slower, with an interval excluding 1, in ≥ 95% of trials', () => {
    const random = createRandom(7)
    let slower = 0
    const trials = 100
    for (let trial = 0; trial < trials; trial++) {
      const delayed = simulatedTimings(random, 20, 50).map((ms) => ms + 20)
      const plain = simulatedTimings(random, 20, 50)
      const comparison = compareSamples(delayed, plain, { resamples: 500, seed: trial })
      if (comparison.verdict === 'slower' && comparison.ci.low > 1) slower++
    }
    expect(slower / trials).toBeGreaterThanOrEqual(0.95)
  })

  it('reports the ratio of medians with an interval around the true ratio', () => {
    const random = createRandom(3)
    const comparison = compareSamples(simulatedTimings(random, 40, 60, 0.05), simulatedTimings(random, 40, 40, 0.05))
    expect(comparison.verdict).toBe('slower')
    expect(comparison.ci.low).toBeLessThan(1.5)
    expect(comparison.ci.high).toBeGreaterThan(1.5)
    expect(comparison.ratio).toBeCloseTo(comparison.medianA / comparison.medianB, 12)
    expect(compareSamples([40, 41, 42, 43, 44, 45, 46, 47, 48, 49], [60, 61, 62, 63, 64, 65, 66, 67, 68, 69]).verdict).toBe('faster')
  })

  it('is reproducible for a given seed', () => {
    const a = [10, 12, 11, 13, 15, 10, 11]
    const b = [11, 12, 14, 13, 12, 16, 12]
    expect(compareSamples(a, b, { seed: 5 })).toEqual(compareSamples(a, b, { seed: 5 }))
  })

  it('warns when runs are too few for the confidence, and never calls 3 vs 3 runs significant', () => {
    const comparison = compareSamples([100, 101, 102], [10, 11, 12])
    expect(comparison.verdict).toBe('no significant difference')
    expect(comparison.warnings[0]).toMatch(/too few runs \(3 and 3\)/)
    expect(runCountWarnings(6, 6, 0.95)[0]).toMatch(/few runs \(6\)/)
    expect(runCountWarnings(10, 10, 0.95)).toEqual([])
  })

  it('rejects a confidence outside (0, 1) naming the value', () => {
    expect(() => compareSamples([1], [1], { confidence: 95 })).toThrow(/confidence must be a number between 0 and 1, got 95/)
  })
})

describe('findOutliers', () => {
  it('flags a run far from the rest by the modified z-score, not the ordinary spread', () => {
    expect(findOutliers([50, 51, 49, 50, 52, 48, 50, 51, 120])).toEqual([8])
    expect(findOutliers([50, 51, 49, 50, 52, 48, 50, 51, 53])).toEqual([])
  })
})
