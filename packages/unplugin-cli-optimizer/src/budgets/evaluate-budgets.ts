import { compareReports } from '../compare/compare-reports.js'
import { stripContentHash } from '../compare/strip-hash.js'
import { indexChunks, sumFiles, totalFiles, type ChunkIndex } from '../report/load-views.js'
import { duplicatePackages, packageSizes } from '../report/package-sizes.js'
import { chunkSize, formatBytes } from '../report/size-mode.js'
import type { Report, ReportBudgetResult, ReportSizeMode } from '../report/report-types.js'
import type { ResolvedBudgetOptions, ResolvedEntryRules, ResolvedRegressionRule, ResolvedSizeRule } from './budget-options.js'

const CONTRIBUTORS = 5

function exact(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} B`
}

function figure(bytes: number, mode: ReportSizeMode): string {
  const size = bytes < 1024 ? exact(bytes) : `${formatBytes(bytes)} (${exact(bytes)})`
  return mode === 'raw' ? size : `${size} ${mode}`
}

function listContributors(contributors: ReadonlyArray<{ name: string; bytes: number }>, sign = false): string {
  if (contributors.length === 0) return ''
  const items = contributors.map((c) => `${c.name} ${sign && c.bytes > 0 ? '+' : ''}${formatBytes(c.bytes)}`)
  return `; biggest contributors: ${items.join(', ')}`
}

/** Rules for one entry: its own overrides first, then the top-level rules. */
function rulesFor(entry: string, budgets: ResolvedBudgetOptions): ResolvedEntryRules {
  const own = budgets.entries[entry] ?? {}
  const pick = <K extends keyof ResolvedEntryRules>(key: K): ResolvedEntryRules[K] => (key in own ? own[key] : budgets[key])
  return { 'initial-bytes': pick('initial-bytes'), 'total-bytes': pick('total-bytes'), regression: pick('regression') }
}

function sizeResult(
  rule: string,
  config: ResolvedSizeRule,
  subject: string,
  what: string,
  actual: number,
  files: readonly string[],
  chunks: ChunkIndex,
): ReportBudgetResult {
  const passed = actual <= config.max
  const contributors = packageSizes(files, chunks, config.compression)
    .slice(0, CONTRIBUTORS)
    .map((p) => ({ name: p.name, bytes: p.bytes }))
  const verdict = passed ? 'within' : 'over'
  const message =
    `${rule}: ${subject} ${what} ${figure(actual, config.compression)}, ${verdict} the limit of ${figure(config.max, config.compression)}` +
    (passed ? '' : listContributors(contributors))
  return { rule, severity: config.severity, subject, compression: config.compression, limit: config.max, actual, passed, message, contributors }
}

function regressionResults(
  entry: string,
  config: ResolvedRegressionRule,
  report: Report,
  baseline: Report,
): ReportBudgetResult[] {
  const comparison = compareReports(baseline, report, config.compression)
  const compared = comparison.entries.find((e) => e.name === entry)
  if (!compared || compared.status === 'added' || compared.status === 'removed') return []
  // Growth of the initial load is attributed to what the initial files hold, never to lazy chunks.
  const grownIn = (packages: typeof compared.initialPackages) =>
    packages
      .filter((p) => p.change.delta > 0)
      .sort((a, b) => b.change.delta - a.change.delta)
      .slice(0, CONTRIBUTORS)
      .map((p) => ({ name: p.name, bytes: p.change.delta }))
  return (['initial', 'total'] as const).map((kind) => {
    const change = compared[kind]
    const grown = grownIn(kind === 'initial' ? compared.initialPackages : compared.totalPackages)
    const allowed = Math.max(config.minBytes, Math.floor((change.base * config.percent) / 100))
    const passed = change.delta <= allowed
    const percent = change.percent === null ? 'n/a' : `${change.percent >= 0 ? '+' : ''}${change.percent.toFixed(1)}%`
    const subject = `entry ${entry} (${kind})`
    const message =
      `regression: ${subject} went from ${figure(change.base, config.compression)} to ${figure(change.head, config.compression)} ` +
      `(${change.delta >= 0 ? '+' : ''}${exact(change.delta)}, ${percent}); allowed growth ${config.percent}% ` +
      `and at least ${exact(config.minBytes)}, i.e. ${exact(allowed)}` +
      (passed ? '' : listContributors(grown, true))
    return {
      rule: 'regression',
      severity: config.severity,
      subject,
      compression: config.compression,
      limit: allowed,
      actual: change.delta,
      passed,
      message,
      contributors: passed ? [] : grown,
    }
  })
}

/**
 * Checks every configured rule against a report. `baseline` feeds the `regression` rule, which
 * is skipped without one. Returns every check, passed or not.
 */
export function evaluateBudgets(report: Report, budgets: ResolvedBudgetOptions, baseline?: Report): ReportBudgetResult[] {
  const chunks = indexChunks(report)
  const results: ReportBudgetResult[] = []
  for (const entry of report.entries) {
    const rules = rulesFor(entry.name, budgets)
    const initialRule = rules['initial-bytes']
    if (initialRule) {
      const files = entry.initialFiles
      results.push(sizeResult('initial-bytes', initialRule, `entry ${entry.name}`, 'loads at start', sumFiles(files, chunks, initialRule.compression), files, chunks))
    }
    const totalRule = rules['total-bytes']
    if (totalRule) {
      const files = totalFiles(report, entry.file, chunks)
      results.push(sizeResult('total-bytes', totalRule, `entry ${entry.name}`, 'can load', sumFiles(files, chunks, totalRule.compression), files, chunks))
    }
    if (rules.regression && baseline) results.push(...regressionResults(entry.name, rules.regression, report, baseline))
  }
  const chunkRule = budgets['chunk-bytes']
  if (chunkRule) {
    for (const chunk of report.chunks) {
      const subject = `chunk ${stripContentHash(chunk.file)}`
      results.push(sizeResult('chunk-bytes', chunkRule, subject, 'is', chunkSize(chunk, chunkRule.compression), [chunk.file], chunks))
    }
  }
  const duplicateRule = budgets['duplicate-packages']
  if (duplicateRule) {
    const duplicates = duplicatePackages(report)
    for (const duplicate of duplicates) {
      const contributors = duplicate.instances.map((i) => ({ name: i.path, bytes: i.bytes }))
      results.push({
        rule: 'duplicate-packages',
        severity: duplicateRule.severity,
        subject: `package ${duplicate.name}`,
        compression: 'raw',
        limit: 1,
        actual: duplicate.instances.length,
        passed: false,
        message:
          `duplicate-packages: package ${duplicate.name} is bundled ${duplicate.instances.length} times (limit 1), ` +
          `${formatBytes(duplicate.wastedBytes)} in extra copies; copies: ${contributors.map((c) => `${c.name} ${formatBytes(c.bytes)}`).join(', ')}`,
        contributors,
      })
    }
    if (duplicates.length === 0) {
      results.push({
        rule: 'duplicate-packages',
        severity: duplicateRule.severity,
        subject: 'all packages',
        compression: 'raw',
        limit: 1,
        actual: 1,
        passed: true,
        message: 'duplicate-packages: every package is bundled once',
        contributors: [],
      })
    }
  }
  return results
}

/** The rules as the report records them (JSON-friendly, `null` for rules turned off). */
export function describeRules(budgets: ResolvedBudgetOptions): Record<string, unknown> {
  return JSON.parse(JSON.stringify(budgets)) as Record<string, unknown>
}

export function violations(results: readonly ReportBudgetResult[], severity?: 'warn' | 'error'): ReportBudgetResult[] {
  return results.filter((r) => !r.passed && (severity === undefined || r.severity === severity))
}
