/**
 * Metrics of a benchmark suite and their check against a committed baseline. Kinds decide how a
 * change is judged, because sizes are deterministic while timings carry the machine's noise.
 */

/**
 * - `size`: deterministic (bytes, counts): any change beyond the tolerance is real; checked in every mode.
 * - `timing`: noisy; should be a ratio measured within one run (e.g. startup / bare `node -e 0`) so it
 *   travels between machines, with a confidence interval. Checked only outside quick mode.
 * - `info`: recorded and shown, never checked (absolute times depend on the machine).
 */
export type MetricKind = 'size' | 'timing' | 'info'

export interface Metric {
  /** Stable identifier, unique within its suite: `startup.vite-optimized.--version.vs-node`. */
  id: string
  label: string
  value: number
  unit: 'ms' | 'bytes' | 'ratio' | 'count' | 'per-second' | 'percent'
  better: 'lower' | 'higher'
  kind: MetricKind
  /** Confidence interval of `value` (timing metrics). */
  ci?: { low: number; high: number }
  /** Overrides the default tolerance of its kind, as a fraction. */
  tolerance?: number
}

export interface CheckOptions {
  /** Quick mode: timing changes warn but never fail, so noise alone cannot fail a check. */
  quick: boolean
  /** @default 0.15 */
  sizeTolerance?: number
  /** @default 0.5 */
  timingTolerance?: number
}

export type MetricStatus = 'ok' | 'improved' | 'regressed' | 'warning' | 'new' | 'missing'

export interface MetricCheck {
  id: string
  label: string
  status: MetricStatus
  kind: MetricKind
  baseline?: number
  current?: number
  /** current / baseline. */
  ratio?: number
  message: string
}

export interface MetricsCheckResult {
  checks: MetricCheck[]
  /** `true` when any check regressed (never because of timing in quick mode). */
  failed: boolean
}

/** Judge `current` metrics against `baseline` ones. */
export function checkMetrics(current: readonly Metric[], baseline: readonly Metric[], options: CheckOptions): MetricsCheckResult {
  const sizeTolerance = options.sizeTolerance ?? 0.15
  const timingTolerance = options.timingTolerance ?? 0.5
  const byId = new Map(baseline.map((metric) => [metric.id, metric]))
  const checks: MetricCheck[] = []
  for (const metric of current) {
    const base = byId.get(metric.id)
    byId.delete(metric.id)
    const common = { id: metric.id, label: metric.label, kind: metric.kind, current: metric.value }
    if (!base) {
      checks.push({ ...common, status: 'new', message: 'no baseline yet (run with --update-baselines)' })
      continue
    }
    const ratio = metric.value / base.value
    const withBase = { ...common, baseline: base.value, ratio }
    if (metric.kind === 'info' || !Number.isFinite(ratio)) {
      checks.push({ ...withBase, status: 'ok', message: 'informational' })
      continue
    }
    const tolerance = metric.tolerance ?? (metric.kind === 'size' ? sizeTolerance : timingTolerance)
    const limit = `${(tolerance * 100).toFixed(0)}%`
    // Orient everything so that "worse" means larger.
    const worse = metric.better === 'lower' ? ratio : 1 / ratio
    if (metric.kind === 'size') {
      if (worse > 1 + tolerance) {
        checks.push({ ...withBase, status: 'regressed', message: `${describeChange(ratio)}, beyond the ${limit} tolerance` })
      } else if (worse < 1 / (1 + tolerance)) {
        checks.push({ ...withBase, status: 'improved', message: `${describeChange(ratio)}: update the baseline` })
      } else {
        checks.push({ ...withBase, status: 'ok', message: describeChange(ratio) })
      }
      continue
    }
    // Timing: worse only when even the favourable end of the interval is beyond the tolerance.
    const favourable = metric.ci ? (metric.better === 'lower' ? metric.ci.low : metric.ci.high) : metric.value
    const worseAtBest = metric.better === 'lower' ? favourable / base.value : base.value / favourable
    if (worseAtBest > 1 + tolerance) {
      const significant = metric.ci !== undefined
      const fails = significant && !options.quick
      checks.push({
        ...withBase,
        status: fails ? 'regressed' : 'warning',
        message:
          `${describeChange(ratio)}, beyond the ${limit} tolerance` +
          (fails ? '' : significant ? ' (quick mode: timing never fails)' : ' (no interval: not judged)'),
      })
    } else if (worse < 1 / (1 + tolerance)) {
      checks.push({ ...withBase, status: 'improved', message: `${describeChange(ratio)}: update the baseline` })
    } else {
      checks.push({ ...withBase, status: 'ok', message: describeChange(ratio) })
    }
  }
  for (const base of byId.values()) {
    checks.push({ id: base.id, label: base.label, kind: base.kind, baseline: base.value, status: 'missing', message: 'in the baseline but not measured' })
  }
  return { checks, failed: checks.some((check) => check.status === 'regressed') }
}

function describeChange(ratio: number): string {
  const percent = (ratio - 1) * 100
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}% vs baseline`
}
