import { createHistogram } from 'node:perf_hooks'
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises'

export interface LoadTestOptions {
  /** One request. May be async; a throw or rejection counts as an error. */
  fn: () => unknown
  /** Concurrent virtual users, each calling `fn` in a closed loop (next call when the last returns). */
  concurrency: number
  /** Total test time, ms (ramp-up included). */
  duration: number
  /**
   * Time over which users start, evenly spaced, ms. Requests finished during ramp-up are not
   * counted in `throughput` or latencies, so a cold start does not pollute steady-state figures.
   * @default 0
   */
  rampUp?: number
}

export interface LatencySummary {
  minMs: number
  meanMs: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
}

export interface LoadTestResult {
  concurrency: number
  /** Steady-state time measured, ms (after ramp-up). */
  measuredMs: number
  /** Requests completed in the steady state (errors included). */
  requests: number
  errors: number
  errorRate: number
  /** Completed requests per second in the steady state. */
  throughput: number
  /**
   * Little's-law bound for a closed loop: concurrency / mean latency. Measured throughput at or
   * just below it means the harness itself was not the bottleneck.
   */
  idealThroughput: number
  latency: LatencySummary
  /** First error message seen, if any. */
  firstError?: string
}

const YIELD_EVERY_NS = 5_000_000n

/** Closed-loop load test: `concurrency` users calling `fn` back to back for `duration` ms. */
export async function loadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const { fn, concurrency, duration } = options
  const rampUp = options.rampUp ?? 0
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`[cli-optimizer-bench] loadTest concurrency must be an integer ≥ 1, got ${String(concurrency)}`)
  }
  if (!(duration > 0)) throw new TypeError(`[cli-optimizer-bench] loadTest duration must be a positive number of ms, got ${String(duration)}`)
  if (!(rampUp >= 0 && rampUp < duration)) {
    throw new TypeError(`[cli-optimizer-bench] loadTest rampUp must be ≥ 0 and below duration, got ${String(rampUp)}`)
  }

  const histogram = createHistogram()
  const startNs = process.hrtime.bigint()
  const steadyStartNs = startNs + BigInt(Math.round(rampUp * 1e6))
  const endNs = startNs + BigInt(Math.round(duration * 1e6))
  let requests = 0
  let errors = 0
  let latencySumNs = 0
  let firstError: string | undefined

  const user = async (index: number): Promise<void> => {
    const delay = rampUp === 0 ? 0 : (rampUp * index) / concurrency
    if (delay > 0) await sleep(delay)
    let lastYield = process.hrtime.bigint()
    for (;;) {
      const before = process.hrtime.bigint()
      if (before >= endNs) return
      let failed = false
      try {
        await fn()
      } catch (error) {
        failed = true
        firstError ??= error instanceof Error ? error.message : String(error)
      }
      const after = process.hrtime.bigint()
      if (before >= steadyStartNs && after <= endNs) {
        requests++
        if (failed) errors++
        const elapsed = Number(after - before)
        latencySumNs += elapsed
        histogram.record(Math.max(1, elapsed))
      }
      // A function that settles without waiting (sync, or failing fast) would loop on microtasks
      // alone and starve timers, other users' ramp-up included: give the event loop a turn.
      if (after - lastYield > YIELD_EVERY_NS) {
        await yieldToEventLoop()
        lastYield = process.hrtime.bigint()
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, index) => user(index)))

  const measuredMs = Number(endNs - steadyStartNs) / 1e6
  const meanMs = requests === 0 ? Number.NaN : latencySumNs / requests / 1e6
  const ms = (ns: number): number => (requests === 0 ? Number.NaN : ns / 1e6)
  return {
    concurrency,
    measuredMs,
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    throughput: requests / (measuredMs / 1000),
    idealThroughput: concurrency / (meanMs / 1000),
    latency: {
      minMs: ms(histogram.min),
      meanMs,
      p50Ms: ms(histogram.percentile(50)),
      p90Ms: ms(histogram.percentile(90)),
      p99Ms: ms(histogram.percentile(99)),
      maxMs: ms(histogram.max),
    },
    ...(firstError === undefined ? {} : { firstError }),
  }
}
