import { Bench } from 'tinybench'

export interface BenchOptions {
  /** Label in reports. @default 'bench' */
  name?: string
  /** Time to keep sampling, ms (tinybench keeps going until both `time` and `iterations` are reached). @default 500 */
  time?: number
  /** Minimum number of samples. @default 64 */
  iterations?: number
  /** Warm-up time before sampling, ms (lets the JIT settle). @default 100 */
  warmupTime?: number
}

/** A micro-benchmark's outcome (tinybench statistics, in milliseconds per call). */
export interface MicroBenchResult {
  name: string
  /** Mean operations per second. */
  opsPerSecond: number
  samples: number
  latency: {
    meanMs: number
    minMs: number
    maxMs: number
    p50Ms: number
    p75Ms: number
    p99Ms: number
    /** Relative margin of error of the mean at 95% confidence, percent. */
    rmePercent: number
  }
}

/**
 * Micro-benchmark one function in process, with tinybench (warm-up, time-boxed sampling, margin of
 * error). `fn` may be async. Throws when `fn` throws.
 */
export async function bench(fn: () => unknown, options: BenchOptions = {}): Promise<MicroBenchResult> {
  const name = options.name ?? 'bench'
  const runner = new Bench({
    name,
    time: options.time ?? 500,
    iterations: options.iterations ?? 64,
    warmupTime: options.warmupTime ?? 100,
    throws: true,
  })
  runner.add(name, fn)
  const [task] = await runner.run()
  const result = task?.result
  if (!result || result.error) {
    throw new Error(`[cli-optimizer-bench] bench "${name}" failed: ${result?.error?.message ?? 'no result'}`)
  }
  const latency = result.latency
  return {
    name,
    opsPerSecond: result.throughput.mean,
    samples: latency.samples.length,
    latency: {
      meanMs: latency.mean,
      minMs: latency.min,
      maxMs: latency.max,
      p50Ms: latency.p50 ?? latency.mean,
      p75Ms: latency.p75 ?? latency.mean,
      p99Ms: latency.p99 ?? latency.max,
      rmePercent: latency.rme,
    },
  }
}
