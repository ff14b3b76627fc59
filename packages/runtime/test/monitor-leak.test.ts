import { describe, expect, it } from 'vitest'
import { LeakDetector } from '../src/monitor/leak-detector.js'
import { studentTCdf } from '../src/monitor/student-t.js'
import { createMonitor } from '../src/monitor/index.js'

const MiB = 1048576
const settings = { windowMs: 60_000, minSamples: 4, minSpanMs: 8000, minSlopeBytesPerSecond: 64 * 1024, confidence: 0.99 }

/** Deterministic PRNG (mulberry32), so every run of the test sees the same series. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Heap after major GCs every 2-6 s: a live set plus `leakBps` growth plus up to 2 MiB of floating garbage. */
function series(seed: number, seconds: number, leakBps: number): Array<[number, number]> {
  const rnd = random(seed)
  const out: Array<[number, number]> = []
  for (let t = 1000 + rnd() * 2000; t < seconds * 1000; t += 2000 + rnd() * 4000) out.push([t, 30 * MiB + (leakBps * t) / 1000 + rnd() * 2 * MiB])
  return out
}

describe('monitor leak verdict (#14)', () => {
  it('Student t CDF matches tabulated values', () => {
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 10)
    expect(studentTCdf(2.015, 5)).toBeCloseTo(0.95, 3)
    expect(studentTCdf(3.365, 5)).toBeCloseTo(0.99, 3)
    expect(studentTCdf(-1.812, 10)).toBeCloseTo(0.05, 3)
    expect(studentTCdf(1.96, 1e6)).toBeCloseTo(0.975, 3)
  })

  it('finds a 1 MB/s leak within 30 s with its rate', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const d = new LeakDetector(settings)
      for (const [t, b] of series(seed, 30, 1e6)) d.add(t, b)
      const v = d.verdict()
      expect(v.status, `seed ${seed}`).toBe('leak')
      expect(v.slopeBytesPerSecond).toBeGreaterThan(0.7e6)
      expect(v.slopeBytesPerSecond).toBeLessThan(1.3e6)
      expect(v.confidence).toBeGreaterThanOrEqual(0.99)
    }
  })

  it('judges a steady 60 s workload "no leak" in at least 19 of 20 seeded runs', () => {
    let noLeak = 0
    for (let seed = 1; seed <= 20; seed++) {
      const d = new LeakDetector(settings)
      for (const [t, b] of series(seed, 60, 0)) d.add(t, b)
      if (d.verdict().status === 'no-leak') noLeak++
    }
    expect(noLeak).toBeGreaterThanOrEqual(19)
  })

  it('gives no verdict on too few samples or too short a span, and slides its window', () => {
    const d = new LeakDetector(settings)
    d.add(0, 10 * MiB)
    d.add(1000, 11 * MiB)
    d.add(2000, 12 * MiB)
    expect(d.verdict().status).toBe('insufficient-data')
    const w = new LeakDetector({ ...settings, windowMs: 10_000 })
    for (let t = 0; t <= 40_000; t += 2000) w.add(t, (t < 20_000 ? t * 1000 : 20e6) + (t % 4000 ? 0 : 100_000))
    // The growth happened before the window: only the flat tail counts.
    expect(w.samples).toBe(6)
    expect(w.verdict().status).toBe('no-leak')
  })

  it('feeds the verdict through the monitor and prints it in the summary (injected clock, no sleeps)', () => {
    let now = 0
    const monitor = createMonitor({ clock: () => now, readMemory: () => ({ rss: 80 * MiB, heapUsed: 40 * MiB, heapTotal: 60 * MiB, external: MiB, arrayBuffers: 0 }), command: 'watch' })
    for (const [t, b] of series(7, 30, 1e6)) monitor.addHeapAfterGc(t, b)
    now = 30_000
    monitor.sample()
    const summary = monitor.formatSummary()
    expect(summary).toMatch(/^\[cli-optimizer monitor\] watch: 30\.00 s, 1 samples$/m)
    expect(summary).toMatch(/memory: leaking ~\d{3,4} KiB\/s \(confidence (99\.\d|100\.0)%/)
    expect(summary).toContain('peak RSS 80.0 MiB, heap used 40.0 MiB of 60.0 MiB')
    expect(createMonitor({ leak: false }).leakVerdict()).toBeUndefined()
  })
})
