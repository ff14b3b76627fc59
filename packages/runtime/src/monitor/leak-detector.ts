import { studentTCdf } from './student-t.js'

/** Settings of the leak verdict (see `MonitorOptions.leak`). */
export interface LeakDetectorSettings {
  /** Only samples this recent count, in milliseconds. */
  windowMs: number
  /** Fewer samples than this in the window give no verdict. */
  minSamples: number
  /** The window's samples must span at least this many milliseconds for a verdict. */
  minSpanMs: number
  /** Growth below this rate, in bytes per second, is not called a leak however certain. */
  minSlopeBytesPerSecond: number
  /** Confidence that the growth rate exceeds `minSlopeBytesPerSecond` needed to call it a leak. */
  confidence: number
}

export interface LeakVerdict {
  status: 'leak' | 'no-leak' | 'insufficient-data'
  /** Least-squares growth of the heap after GC over the window, in bytes per second. */
  slopeBytesPerSecond: number
  /**
   * One-sided confidence (0..1) that the true growth exceeds `minSlopeBytesPerSecond`: the
   * Student t CDF of (slope - minSlope) / standard error, with n - 2 degrees of freedom.
   */
  confidence: number
  samples: number
  spanMs: number
}

/**
 * Judges whether the heap left after garbage collections keeps growing. The monitor feeds it the
 * heap used right after each major GC; the live set of a steady program is flat there, however
 * much garbage it makes. Pure: time comes from the samples, so tests feed synthetic series.
 */
export class LeakDetector {
  readonly #s: LeakDetectorSettings
  #times: number[] = []
  #bytes: number[] = []

  constructor(settings: LeakDetectorSettings) {
    this.#s = settings
  }

  /** Adds the heap used after a GC, in bytes, at `timeMs` (any monotonic milliseconds). */
  add(timeMs: number, heapBytes: number): void {
    this.#times.push(timeMs)
    this.#bytes.push(heapBytes)
    const oldest = timeMs - this.#s.windowMs
    let drop = 0
    while (drop < this.#times.length && this.#times[drop]! < oldest) drop++
    if (drop > 0) {
      this.#times.splice(0, drop)
      this.#bytes.splice(0, drop)
    }
  }

  get samples(): number {
    return this.#times.length
  }

  verdict(): LeakVerdict {
    const n = this.#times.length
    const spanMs = n > 0 ? this.#times[n - 1]! - this.#times[0]! : 0
    if (n < Math.max(3, this.#s.minSamples) || spanMs < this.#s.minSpanMs) {
      return { status: 'insufficient-data', slopeBytesPerSecond: n >= 2 && spanMs > 0 ? this.#slope().slope * 1000 : 0, confidence: 0, samples: n, spanMs }
    }
    const { slope, standardError } = this.#slope()
    const perSecond = slope * 1000
    const excess = perSecond - this.#s.minSlopeBytesPerSecond
    const confidence = standardError > 0 ? studentTCdf(excess / (standardError * 1000), n - 2) : excess > 0 ? 1 : 0
    return { status: confidence >= this.#s.confidence ? 'leak' : 'no-leak', slopeBytesPerSecond: perSecond, confidence, samples: n, spanMs }
  }

  /** Ordinary least squares of bytes on milliseconds, with the slope's standard error. */
  #slope(): { slope: number; standardError: number } {
    const n = this.#times.length
    const t0 = this.#times[0]!
    let meanT = 0
    let meanB = 0
    for (let i = 0; i < n; i++) {
      meanT += this.#times[i]! - t0
      meanB += this.#bytes[i]!
    }
    meanT /= n
    meanB /= n
    let sxx = 0
    let sxy = 0
    for (let i = 0; i < n; i++) {
      const dt = this.#times[i]! - t0 - meanT
      sxx += dt * dt
      sxy += dt * (this.#bytes[i]! - meanB)
    }
    if (sxx === 0) return { slope: 0, standardError: 0 }
    const slope = sxy / sxx
    if (n < 3) return { slope, standardError: 0 }
    let sse = 0
    for (let i = 0; i < n; i++) {
      const residual = this.#bytes[i]! - meanB - slope * (this.#times[i]! - t0 - meanT)
      sse += residual * residual
    }
    return { slope, standardError: Math.sqrt(sse / (n - 2) / sxx) }
  }
}
