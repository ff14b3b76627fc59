import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { loadTest } from './load-test.js'

export interface EnduranceTestOptions {
  fn: () => unknown
  /** Total time, ms. */
  duration: number
  /** @default 1 */
  concurrency?: number
  /** Heap samples taken (after a full GC each), evenly spaced. @default 10 */
  samples?: number
  /**
   * Growth over the whole run below which a rising heap is not called a leak, bytes.
   * @default 1048576 (1 MiB)
   */
  minLeakBytes?: number
}

export interface EnduranceTestResult {
  durationMs: number
  requests: number
  errors: number
  /** Heap used after a full GC at each sample: `{ atMs, heapUsedBytes }`. */
  heap: { atMs: number; heapUsedBytes: number }[]
  /** Least-squares slope of heap used after GC, bytes per second. */
  slopeBytesPerSecond: number
  /** t statistic of the slope (slope / standard error). */
  slopeT: number
  /** `true` when the slope is significantly positive (t > 3) and the fitted growth exceeds `minLeakBytes`. */
  leak: boolean
  verdict: string
}

/** Run `fn` for a long time and judge heap growth after GC: a leak verdict with the slope. */
export async function enduranceTest(options: EnduranceTestOptions): Promise<EnduranceTestResult> {
  const samples = Math.max(3, options.samples ?? 10)
  const minLeakBytes = options.minLeakBytes ?? 1024 * 1024
  const slice = options.duration / samples
  const gc = exposeGc()
  const heap: EnduranceTestResult['heap'] = []
  let requests = 0
  let errors = 0
  const start = performance.now()
  gc()
  heap.push({ atMs: 0, heapUsedBytes: process.memoryUsage().heapUsed })
  for (let i = 0; i < samples; i++) {
    const step = await loadTest({ fn: options.fn, concurrency: options.concurrency ?? 1, duration: slice })
    requests += step.requests
    errors += step.errors
    gc()
    heap.push({ atMs: performance.now() - start, heapUsedBytes: process.memoryUsage().heapUsed })
  }
  const { slope, t } = linearFit(
    heap.map((point) => point.atMs / 1000),
    heap.map((point) => point.heapUsedBytes),
  )
  const durationMs = performance.now() - start
  const growth = slope * (durationMs / 1000)
  const leak = t > 3 && growth > minLeakBytes
  const perMinute = `${(slope * 60 / 1024 / 1024).toFixed(2)} MiB/min`
  return {
    durationMs,
    requests,
    errors,
    heap,
    slopeBytesPerSecond: slope,
    slopeT: t,
    leak,
    verdict: leak
      ? `leak: heap after GC grows ${perMinute} (t = ${t.toFixed(1)})`
      : `no leak: heap after GC trend ${perMinute} (t = ${t.toFixed(1)}), growth ${(growth / 1024).toFixed(0)} KiB over the run`,
  }
}

/** `global.gc` if Node was started with --expose-gc, otherwise enable it at run time. */
function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc
  if (existing) return existing
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

/** Ordinary least squares y = a + b·x, with the t statistic of b. */
export function linearFit(x: readonly number[], y: readonly number[]): { slope: number; intercept: number; t: number } {
  const n = x.length
  const meanX = x.reduce((sum, value) => sum + value, 0) / n
  const meanY = y.reduce((sum, value) => sum + value, 0) / n
  let sxx = 0
  let sxy = 0
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - meanX) ** 2
    sxy += (x[i]! - meanX) * (y[i]! - meanY)
  }
  const slope = sxx === 0 ? 0 : sxy / sxx
  const intercept = meanY - slope * meanX
  let residuals = 0
  for (let i = 0; i < n; i++) residuals += (y[i]! - intercept - slope * x[i]!) ** 2
  const standardError = n > 2 && sxx > 0 ? Math.sqrt(residuals / (n - 2) / sxx) : Number.POSITIVE_INFINITY
  const t = standardError === 0 ? (slope === 0 ? 0 : Math.sign(slope) * Number.POSITIVE_INFINITY) : slope / standardError
  return { slope, intercept, t }
}
