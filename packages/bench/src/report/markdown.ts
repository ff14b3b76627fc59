import type { EnduranceTestResult } from '../load/endurance-test.js'
import type { LoadTestResult } from '../load/load-test.js'
import type { ScalabilityTestResult } from '../load/scalability-test.js'
import type { StressTestResult } from '../load/stress-test.js'
import type { MicroBenchResult } from '../inprocess/bench.js'
import type { CommandResult } from '../process/benchmark-commands.js'
import type { Comparison } from '../stats/compare.js'
import { formatBytes, formatCommand, formatMs, formatPValue, formatRate, formatRatio } from './format.js'

/** A GitHub-flavoured markdown table; cells are escaped for `|`. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const escape = (cell: string | number): string => String(cell).replaceAll('|', '\\|')
  const lines = [`| ${headers.map(escape).join(' | ')} |`, `| ${headers.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`]
  for (const row of rows) lines.push(`| ${row.map(escape).join(' | ')} |`)
  return lines.join('\n')
}

export function commandsMarkdown(results: readonly CommandResult[]): string {
  return markdownTable(
    ['Command', 'Median', 'Mean ± σ', 'Min', 'p95', 'User', 'System', 'Peak RSS', 'Runs'],
    results.map((result) => [
      `\`${formatCommand(result.command)}\``,
      formatMs(result.wall.median),
      `${formatMs(result.wall.mean)} ± ${formatMs(result.wall.stddev)}`,
      formatMs(result.wall.min),
      formatMs(result.wall.p95),
      formatMs(result.userMs),
      formatMs(result.systemMs),
      formatBytes(result.peakRssBytes),
      result.runs,
    ]),
  )
}

export function comparisonMarkdown(nameA: string, nameB: string, comparison: Comparison): string {
  const level = Math.round(comparison.confidence * 100)
  return markdownTable(
    ['A / B', 'Ratio of medians', `${level}% CI`, 'Mann-Whitney p', 'Verdict'],
    [
      [
        `${nameA} / ${nameB}`,
        formatRatio(comparison.ratio),
        `${formatRatio(comparison.ci.low)} – ${formatRatio(comparison.ci.high)}`,
        formatPValue(comparison.pValue),
        `**${comparison.verdict}**`,
      ],
    ],
  )
}

export function microBenchMarkdown(results: readonly MicroBenchResult[]): string {
  return markdownTable(
    ['Benchmark', 'ops/s', 'Mean', 'p50', 'p99', '± RME', 'Samples'],
    results.map((result) => [
      result.name,
      formatRate(result.opsPerSecond),
      formatMs(result.latency.meanMs),
      formatMs(result.latency.p50Ms),
      formatMs(result.latency.p99Ms),
      `${result.latency.rmePercent.toFixed(2)}%`,
      result.samples,
    ]),
  )
}

export function loadTestMarkdown(results: readonly LoadTestResult[]): string {
  return markdownTable(
    ['Concurrency', 'Throughput', 'Ideal (Little)', 'p50', 'p90', 'p99', 'Max', 'Errors', 'Requests'],
    results.map((result) => [
      result.concurrency,
      formatRate(result.throughput),
      formatRate(result.idealThroughput),
      formatMs(result.latency.p50Ms),
      formatMs(result.latency.p90Ms),
      formatMs(result.latency.p99Ms),
      formatMs(result.latency.maxMs),
      `${(result.errorRate * 100).toFixed(2)}%`,
      result.requests,
    ]),
  )
}

export function stressTestMarkdown(result: StressTestResult): string {
  const knee = result.knee ? `knee at concurrency ${result.knee.concurrency} (${formatRate(result.knee.throughput)}, p99 ${formatMs(result.knee.p99Ms)})` : 'no knee found'
  const broke = result.breakingPoint ? `; limit broken at ${result.breakingPoint.concurrency}: ${result.breakingPoint.reason}` : '; no limit broken'
  return `${loadTestMarkdown(result.steps)}\n\n${knee}${broke}`
}

export function enduranceMarkdown(result: EnduranceTestResult): string {
  return `${markdownTable(
    ['At', 'Heap used after GC'],
    result.heap.map((point) => [formatMs(point.atMs), formatBytes(point.heapUsedBytes)]),
  )}\n\n${result.verdict}`
}

export function scalabilityMarkdown(result: ScalabilityTestResult): string {
  return `${markdownTable(
    [result.mode === 'workers' ? 'Workers' : 'Concurrency', 'Throughput', 'Speed-up', 'Efficiency'],
    result.levels.map((level) => [level.level, formatRate(level.throughput), `${level.speedup.toFixed(2)}×`, `${(level.efficiency * 100).toFixed(0)}%`]),
  )}\n\nscales usefully (efficiency ≥ 70%) up to ${result.usefulUpTo}`
}
