import { loadTest, type LoadTestResult } from './load-test.js'

export interface StressTestOptions {
  fn: () => unknown
  /** @default 1 */
  startConcurrency?: number
  /** Highest concurrency tried. @default 1024 */
  maxConcurrency?: number
  /** Each step multiplies concurrency by this. @default 2 */
  factor?: number
  /** Duration of each step, ms. @default 1000 */
  stepDuration?: number
  /** A step whose error rate exceeds this breaks the limit. @default 0.01 */
  maxErrorRate?: number
  /** A step whose p99 latency exceeds this (ms) breaks the limit. @default Infinity */
  maxP99Ms?: number
  /** A doubling of concurrency that raises throughput by less than this fraction means saturation. @default 0.1 */
  saturationGain?: number
}

export interface StressStep extends LoadTestResult {
  /** Why this step broke the limits, if it did. */
  broke?: string
}

export interface StressTestResult {
  steps: StressStep[]
  /**
   * The knee: the last concurrency that kept within the limits and still gained throughput; past it,
   * more concurrency buys only latency (saturation) or errors (breaking point).
   */
  knee: { concurrency: number; throughput: number; p99Ms: number } | null
  /** First step that broke a limit, or `null` when `maxConcurrency` was reached unbroken. */
  breakingPoint: { concurrency: number; reason: string } | null
  /** Concurrency where throughput stopped growing, or `null` when it kept growing. */
  saturatedAt: number | null
}

/** Raise concurrency step by step until the error rate or p99 limit breaks; report the knee. */
export async function stressTest(options: StressTestOptions): Promise<StressTestResult> {
  const start = options.startConcurrency ?? 1
  const max = options.maxConcurrency ?? 1024
  const factor = options.factor ?? 2
  const stepDuration = options.stepDuration ?? 1000
  const maxErrorRate = options.maxErrorRate ?? 0.01
  const maxP99Ms = options.maxP99Ms ?? Number.POSITIVE_INFINITY
  const saturationGain = options.saturationGain ?? 0.1
  if (!(factor > 1)) throw new TypeError(`[cli-optimizer-bench] stressTest factor must be a number above 1, got ${String(factor)}`)

  const steps: StressStep[] = []
  let breakingPoint: StressTestResult['breakingPoint'] = null
  let saturatedAt: number | null = null
  let knee: StressTestResult['knee'] = null
  for (let concurrency = start; concurrency <= max; concurrency = Math.max(concurrency + 1, Math.round(concurrency * factor))) {
    const step: StressStep = await loadTest({ fn: options.fn, concurrency, duration: stepDuration })
    steps.push(step)
    if (step.errorRate > maxErrorRate) {
      step.broke = `error rate ${(step.errorRate * 100).toFixed(1)}% > ${(maxErrorRate * 100).toFixed(1)}%`
    } else if (step.latency.p99Ms > maxP99Ms) {
      step.broke = `p99 ${step.latency.p99Ms.toFixed(1)} ms > ${maxP99Ms} ms`
    }
    if (step.broke) {
      breakingPoint = { concurrency, reason: step.broke }
      break
    }
    const previous = steps.at(-2)
    if (saturatedAt === null && previous && step.throughput < previous.throughput * (1 + saturationGain)) {
      saturatedAt = concurrency
    }
    if (saturatedAt === null) knee = { concurrency, throughput: step.throughput, p99Ms: step.latency.p99Ms }
  }
  return { steps, knee, breakingPoint, saturatedAt }
}
