import { median } from './summary.js'

/** Threshold of the modified z-score above which a sample is called an outlier (Iglewicz & Hoaglin). */
const MODIFIED_Z_LIMIT = 3.5

/**
 * Indices of outliers by the modified z-score 0.6745·(x − median)/MAD, which a few slow runs
 * cannot drag the way they drag a mean and standard deviation.
 */
export function findOutliers(samples: readonly number[]): number[] {
  if (samples.length < 3) return []
  const center = median(samples)
  const mad = median(samples.map((value) => Math.abs(value - center)))
  if (mad === 0) return []
  const outliers: number[] = []
  samples.forEach((value, index) => {
    if (Math.abs((0.6745 * (value - center)) / mad) > MODIFIED_Z_LIMIT) outliers.push(index)
  })
  return outliers
}

/** Human warnings about outliers, in the spirit of hyperfine's. */
export function outlierWarnings(name: string, samples: readonly number[]): string[] {
  const outliers = findOutliers(samples)
  if (outliers.length === 0) return []
  const warnings = [
    `${name}: ${outliers.length} of ${samples.length} runs are statistical outliers (modified z-score > ${MODIFIED_Z_LIMIT}); ` +
      'other programs or I/O may have interfered: rerun on a quieter machine or with more --warmup runs',
  ]
  if (outliers.includes(0)) {
    warnings.push(`${name}: the first run was much slower than the rest (cold caches?); consider --warmup 3`)
  }
  return warnings
}
