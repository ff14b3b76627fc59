import { mannWhitneyU, smallestPValue } from './mann-whitney.js'
import { createRandom } from './random.js'
import { ascending, quantileSorted } from './summary.js'

export type Verdict = 'faster' | 'slower' | 'no significant difference'

export interface CompareOptions {
  /**
   * Confidence of the ratio interval; the rank test's significance level is `1 - confidence`.
   * @default 0.95
   */
  confidence?: number
  /**
   * Bootstrap resamples for the ratio interval.
   * @default 2000
   */
  resamples?: number
  /**
   * Seed of the bootstrap's PRNG, so the same samples always give the same interval.
   * @default 1
   */
  seed?: number
}

/** How sample `a` compares to sample `b` (e.g. wall times of command A and command B). */
export interface Comparison {
  /** median(a) / median(b): above 1 means `a` takes longer. */
  ratio: number
  /** Bootstrap percentile interval of the ratio of medians at `confidence`. */
  ci: { low: number; high: number }
  confidence: number
  /** Two-sided Mann–Whitney U p-value. */
  pValue: number
  u: number
  /**
   * `slower` (a takes longer than b) or `faster` only when both the rank test is significant
   * (p < 1 − confidence) and the ratio interval excludes 1; otherwise `no significant difference`.
   */
  verdict: Verdict
  medianA: number
  medianB: number
  runsA: number
  runsB: number
  /** Why the comparison may be weak (too few runs for the requested confidence, …). */
  warnings: string[]
}

/** Compare two samples: ratio of medians with a bootstrap interval, a rank test and a verdict. */
export function compareSamples(a: readonly number[], b: readonly number[], options: CompareOptions = {}): Comparison {
  const confidence = options.confidence ?? 0.95
  const resamples = options.resamples ?? 2000
  if (!(confidence > 0 && confidence < 1)) {
    throw new TypeError(`[cli-optimizer-bench] confidence must be a number between 0 and 1, got ${String(confidence)}`)
  }
  if (a.length === 0 || b.length === 0) {
    throw new RangeError('[cli-optimizer-bench] compareSamples needs at least one sample on each side')
  }
  const random = createRandom(options.seed ?? 1)
  const sortedA = [...a].sort(ascending)
  const sortedB = [...b].sort(ascending)
  const medianA = quantileSorted(sortedA, 0.5)
  const medianB = quantileSorted(sortedB, 0.5)
  const ratio = medianA / medianB

  const ratios = new Float64Array(resamples)
  const scratchA = new Float64Array(a.length)
  const scratchB = new Float64Array(b.length)
  for (let i = 0; i < resamples; i++) {
    ratios[i] = resampledMedian(sortedA, scratchA, random) / resampledMedian(sortedB, scratchB, random)
  }
  ratios.sort()
  const tail = (1 - confidence) / 2
  const ci = { low: quantileSorted(ratios as unknown as number[], tail), high: quantileSorted(ratios as unknown as number[], 1 - tail) }

  const alpha = 1 - confidence
  const test = mannWhitneyU(a, b)
  const significant = test.pValue < alpha && (ci.low > 1 || ci.high < 1)
  const verdict: Verdict = !significant ? 'no significant difference' : ratio > 1 ? 'slower' : 'faster'
  return {
    ratio,
    ci,
    confidence,
    pValue: test.pValue,
    u: test.u,
    verdict,
    medianA,
    medianB,
    runsA: a.length,
    runsB: b.length,
    warnings: runCountWarnings(a.length, b.length, confidence),
  }
}

/** Warnings when the number of runs cannot support the requested confidence. */
export function runCountWarnings(runsA: number, runsB: number, confidence: number): string[] {
  const warnings: string[] = []
  const floor = smallestPValue(runsA, runsB)
  if (floor >= 1 - confidence) {
    warnings.push(
      `too few runs (${runsA} and ${runsB}): even a complete separation gives p = ${floor.toFixed(3)}, ` +
        `so no difference can be significant at ${Math.round(confidence * 100)}% confidence; use --runs 10 or more`,
    )
  } else if (Math.min(runsA, runsB) < 10) {
    warnings.push(
      `few runs (${Math.min(runsA, runsB)}): the bootstrap interval is unreliable below 10 runs per command; use --runs 10 or more`,
    )
  }
  return warnings
}

function resampledMedian(sorted: readonly number[], scratch: Float64Array, random: () => number): number {
  const n = sorted.length
  for (let i = 0; i < n; i++) scratch[i] = sorted[Math.floor(random() * n)]!
  scratch.sort()
  const position = (n - 1) / 2
  const lower = Math.floor(position)
  const upper = Math.ceil(position)
  return (scratch[lower]! + scratch[upper]!) / 2
}
