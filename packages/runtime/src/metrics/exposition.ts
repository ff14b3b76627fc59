import type { Registry } from 'prom-client'

/** The fields of prom-client 15's metric objects that its own exposition reads. */
interface MetricInternals {
  name: string
  help: string
  type: string
  collect?: () => unknown
  hashMap: Record<string, { labels: Record<string, string | number>; value?: number; bucketValues?: Record<string, number>; sum?: number; count?: number }>
  upperBounds?: number[]
}

function escape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

function value(v: number): string {
  if (Number.isNaN(v)) return 'Nan'
  if (!Number.isFinite(v)) return v < 0 ? '-Inf' : '+Inf'
  return `${v}`
}

function labels(first: Record<string, string | number>, rest?: Record<string, string | number>): string {
  const parts: string[] = []
  for (const set of rest ? [first, rest] : [first]) {
    for (const [k, v] of Object.entries(set)) parts.push(`${k}="${typeof v === 'string' ? escape(v).replace(/"/g, '\\"') : v}"`)
  }
  return parts.length > 0 ? `{${parts.join(',')}}` : ''
}

/**
 * The registry's exposition text, built synchronously. prom-client's `registry.metrics()` is
 * async, and a CLI that calls `process.exit()` runs its 'exit' listeners with no event loop
 * left: the push and file exporters need the text right there. This reads the same fields
 * prom-client 15's own formatter reads (a test compares both outputs line for line) and knows
 * counters, gauges and histograms, the only kinds this runtime creates; other kinds are left
 * out of the synchronous text. `collect()` callbacks run, and async ones are not awaited.
 */
export function exposition(registry: Registry, openMetrics: boolean): string {
  const blocks: string[] = []
  for (const metric of registry.getMetricsAsArray() as unknown as MetricInternals[]) {
    if (metric.type !== 'counter' && metric.type !== 'gauge' && metric.type !== 'histogram') continue
    if (metric.collect) {
      const pending = metric.collect()
      if (pending instanceof Promise) pending.catch(() => {})
    }
    const counterOm = openMetrics && metric.type === 'counter'
    const name = counterOm ? metric.name.replace(/_total$/, '') : metric.name
    const lines = [`# HELP ${escape(name)} ${escape(metric.help)}`, `# TYPE ${escape(name)} ${metric.type}`]
    for (const entry of Object.values(metric.hashMap)) {
      if (metric.type === 'histogram') {
        let cumulative = 0
        for (const bound of metric.upperBounds!) {
          cumulative += entry.bucketValues![bound]!
          lines.push(`${name}_bucket${labels({ le: bound }, entry.labels)} ${value(cumulative)}`)
        }
        lines.push(`${name}_bucket${labels({ le: '+Inf' }, entry.labels)} ${value(entry.count!)}`)
        lines.push(`${name}_sum${labels(entry.labels)} ${value(entry.sum!)}`)
        lines.push(`${name}_count${labels(entry.labels)} ${value(entry.count!)}`)
      } else {
        lines.push(`${counterOm ? `${name}_total` : name}${labels(entry.labels)} ${value(entry.value!)}`)
      }
    }
    blocks.push(lines.join('\n'))
  }
  return openMetrics ? `${blocks.join('\n')}\n# EOF\n` : `${blocks.join('\n\n')}\n`
}
