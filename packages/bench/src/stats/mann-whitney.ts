/** Result of a two-sided Mann–Whitney U (Wilcoxon rank-sum) test. */
export interface MannWhitneyResult {
  /** U statistic of the first sample. */
  u: number
  /** Two-sided p-value. */
  pValue: number
  /** `exact` for small samples without ties, otherwise the normal approximation with tie and continuity correction. */
  method: 'exact' | 'normal'
}

const EXACT_LIMIT = 30

/**
 * Two-sided Mann–Whitney U test: is a value drawn from `a` as likely to exceed one from `b` as the
 * reverse? Makes no assumption of normality, which process timings (long right tails) violate.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const n1 = a.length
  const n2 = b.length
  if (n1 === 0 || n2 === 0) return { u: Number.NaN, pValue: 1, method: 'normal' }
  const pooled = [...a.map((value) => ({ value, first: true })), ...b.map((value) => ({ value, first: false }))]
  pooled.sort((x, y) => x.value - y.value)
  let rankSumA = 0
  let tieTerm = 0
  for (let i = 0; i < pooled.length; ) {
    let j = i
    while (j + 1 < pooled.length && pooled[j + 1]!.value === pooled[i]!.value) j++
    const averageRank = (i + j) / 2 + 1
    const tied = j - i + 1
    if (tied > 1) tieTerm += tied ** 3 - tied
    for (let k = i; k <= j; k++) if (pooled[k]!.first) rankSumA += averageRank
    i = j + 1
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2
  if (tieTerm === 0 && n1 <= EXACT_LIMIT && n2 <= EXACT_LIMIT) {
    return { u, pValue: exactTwoSided(u, n1, n2), method: 'exact' }
  }
  const n = n1 + n2
  const meanU = (n1 * n2) / 2
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)))
  if (variance <= 0) return { u, pValue: 1, method: 'normal' }
  const deviation = Math.max(0, Math.abs(u - meanU) - 0.5)
  const z = deviation / Math.sqrt(variance)
  return { u, pValue: Math.min(1, 2 * (1 - normalCdf(z))), method: 'normal' }
}

/** P(U ≤ u) doubled, from the exact null distribution of U (counts of rank arrangements). */
function exactTwoSided(u: number, n1: number, n2: number): number {
  const maxU = n1 * n2
  // counts[m][k] = arrangements of m items of `a` among m + j items with U = k, built column by column.
  let previous: Float64Array[] = []
  for (let m = 0; m <= n1; m++) {
    const row = new Float64Array(maxU + 1)
    row[0] = 1
    previous.push(row)
  }
  for (let j = 1; j <= n2; j++) {
    const next: Float64Array[] = []
    for (let m = 0; m <= n1; m++) {
      const row = new Float64Array(maxU + 1)
      for (let k = 0; k <= maxU; k++) {
        // The largest value is from `b` (U unchanged) or from `a` (it beats all j values of `b`).
        const fromB = previous[m]![k]!
        const fromA = m > 0 && k >= j ? next[m - 1]![k - j]! : 0
        row[k] = fromB + fromA
      }
      next.push(row)
    }
    previous = next
  }
  const counts = previous[n1]!
  let total = 0
  for (const count of counts) total += count
  const tail = Math.min(u, maxU - u)
  let below = 0
  for (let k = 0; k <= Math.floor(tail); k++) below += counts[k]!
  return Math.min(1, (2 * below) / total)
}

/** Standard normal CDF via erf (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const polynomial = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erf = 1 - polynomial * Math.exp(-x * x)
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2
}

/**
 * Smallest two-sided p-value the test can produce with these sample sizes (complete separation).
 * When it exceeds alpha, no difference can ever be called significant.
 */
export function smallestPValue(n1: number, n2: number): number {
  // 2 / C(n1 + n2, n1), computed in logs to avoid overflow.
  let logChoose = 0
  for (let i = 1; i <= n1; i++) logChoose += Math.log(n2 + i) - Math.log(i)
  return Math.min(1, 2 * Math.exp(-logChoose))
}
