/** Descriptive statistics of one set of samples (all in the samples' unit). */
export interface SampleSummary {
  min: number
  max: number
  mean: number
  median: number
  /** Sample standard deviation (n − 1); 0 for fewer than two samples. */
  stddev: number
  p95: number
  /** The samples in the order they were measured. */
  samples: number[]
}

/** Quantile of an ascending array by linear interpolation between closest ranks (type 7, as R and NumPy default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const position = (sorted.length - 1) * q
  const lower = Math.floor(position)
  const upper = Math.ceil(position)
  const weight = position - lower
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight
}

export function median(values: readonly number[]): number {
  return quantileSorted([...values].sort(ascending), 0.5)
}

export function mean(values: readonly number[]): number {
  let sum = 0
  for (const value of values) sum += value
  return values.length === 0 ? Number.NaN : sum / values.length
}

export function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0
  const average = mean(values)
  let squares = 0
  for (const value of values) squares += (value - average) ** 2
  return Math.sqrt(squares / (values.length - 1))
}

export function summarize(samples: readonly number[]): SampleSummary {
  if (samples.length === 0) throw new RangeError('[cli-optimizer-bench] cannot summarize an empty sample')
  const sorted = [...samples].sort(ascending)
  return {
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    mean: mean(sorted),
    median: quantileSorted(sorted, 0.5),
    stddev: standardDeviation(sorted),
    p95: quantileSorted(sorted, 0.95),
    samples: [...samples],
  }
}

export function ascending(a: number, b: number): number {
  return a - b
}
