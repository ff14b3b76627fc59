import { describe, expect, it } from 'vitest'
import { checkMetrics, type Metric } from '../src/suite/metrics.js'

const size = (id: string, value: number): Metric => ({ id, label: id, value, unit: 'bytes', better: 'lower', kind: 'size' })
const timing = (id: string, value: number, low: number, high: number): Metric => ({
  id,
  label: id,
  value,
  ci: { low, high },
  unit: 'ratio',
  better: 'lower',
  kind: 'timing',
})

describe('checkMetrics (bench:check)', () => {
  const baseline = [size('bytes', 1000), timing('startup', 1.2, 1.1, 1.3), { ...size('info', 5), kind: 'info' as const }, size('gone', 1)]

  it('fails on a size beyond its tolerance in every mode, and reports new and missing metrics', () => {
    const current = [size('bytes', 1200), timing('startup', 1.2, 1.1, 1.3), { ...size('info', 500), kind: 'info' as const }, size('fresh', 3)]
    for (const quick of [true, false]) {
      const result = checkMetrics(current, baseline, { quick })
      expect(result.failed).toBe(true)
      const status = Object.fromEntries(result.checks.map((check) => [check.id, check.status]))
      expect(status).toEqual({ bytes: 'regressed', startup: 'ok', info: 'ok', fresh: 'new', gone: 'missing' })
      expect(result.checks.find((check) => check.id === 'bytes')!.message).toBe('+20.0% vs baseline, beyond the 15% tolerance')
    }
  })

  it('quick mode cannot fail on timing: a slowdown beyond tolerance only warns', () => {
    const current = [size('bytes', 1000), timing('startup', 3, 2.5, 3.5)]
    const quick = checkMetrics(current, baseline, { quick: true })
    expect(quick.failed).toBe(false)
    expect(quick.checks.find((check) => check.id === 'startup')).toMatchObject({ status: 'warning', ratio: 2.5 })
    const full = checkMetrics(current, baseline, { quick: false })
    expect(full.failed).toBe(true)
    expect(full.checks.find((check) => check.id === 'startup')!.status).toBe('regressed')
  })

  it('full mode fails a timing only when even the interval’s favourable end is beyond the tolerance', () => {
    // Median 2× the baseline, but the interval reaches down to 1.5×, inside 1.2 × 1.5 = 1.8.
    const noisy = checkMetrics([timing('startup', 2.4, 1.5, 3)], [timing('startup', 1.2, 1.1, 1.3)], { quick: false })
    expect(noisy.failed).toBe(false)
    expect(noisy.checks[0]!.status).toBe('ok')
    const withoutInterval = checkMetrics([{ ...timing('startup', 3, 0, 0), ci: undefined }], [timing('startup', 1.2, 1.1, 1.3)], { quick: false })
    expect(withoutInterval.failed).toBe(false)
    expect(withoutInterval.checks[0]!.message).toMatch(/no interval: not judged/)
  })

  it('reports improvements beyond tolerance so the baseline gets updated, for higher-is-better metrics too', () => {
    const throughput: Metric = { id: 'ops', label: 'ops', value: 100, unit: 'per-second', better: 'higher', kind: 'size' }
    const result = checkMetrics([{ ...throughput, value: 200 }, size('bytes', 500)], [throughput, size('bytes', 1000)], { quick: true })
    expect(result.checks.map((check) => check.status)).toEqual(['improved', 'improved'])
    expect(checkMetrics([{ ...throughput, value: 50 }], [throughput], { quick: true }).failed).toBe(true)
  })
})
