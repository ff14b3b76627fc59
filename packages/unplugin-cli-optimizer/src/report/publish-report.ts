import path from 'node:path'
import { describeRules, evaluateBudgets, violations } from '../budgets/evaluate-budgets.js'
import { compareReports } from '../compare/compare-reports.js'
import { loadReport } from '../compare/load-report.js'
import { CliOptimizerError } from '../core/errors.js'
import { writeFileAtomic } from '../core/fs/write-file-atomic.js'
import type { ResolvedOptions } from '../core/options.js'
import { renderHtmlReport } from './html/html-report.js'
import { formatMarkdownReport } from './markdown.js'
import type { Report } from './report-types.js'
import { formatTerminalSummary, useColor } from './terminal-summary.js'

/** A warning with a stable code, as bundlers' loggers take it (`this.warn({ code, message })`). */
export interface ReportWarning {
  code: 'CLI_OPTIMIZER_BUDGET_WARNING'
  message: string
}

export type ReportWarn = (warning: ReportWarning) => void

/** Without a bundler logger (tests calling the context directly): Node's own warning channel. */
function warnOnStderr(warning: ReportWarning): void {
  process.emitWarning(warning.message, { type: 'CliOptimizerWarning', code: warning.code })
}

/**
 * After the report is measured: compares it with the baseline, checks the budgets, writes the
 * JSON, HTML and Markdown files and the terminal summary, then fails the build (throws a
 * `CliOptimizerError`) when an `error` budget is exceeded. Files are written first, so a failed
 * build still leaves the report that explains it. `warn` is the bundler's logger: budget warnings
 * go there with their code, so `onwarn`/`logLevel` filter them like any other warning.
 */
export async function publishReport(report: Report, options: ResolvedOptions, warn: ReportWarn = warnOnStderr): Promise<void> {
  const baseline = options.baseline
    ? await loadReport(path.resolve(options.root, options.baseline), 'option baseline')
    : undefined
  const budgets = options.budgets
  if (budgets) report.budgets = { compression: budgets.compression, rules: describeRules(budgets), results: evaluateBudgets(report, budgets, baseline) }

  const reportOptions = options.report
  const compression = (reportOptions && reportOptions.compression) || (budgets ? budgets.compression : 'raw')
  const comparison = baseline ? compareReports(baseline, report, compression) : undefined
  if (reportOptions) {
    const target = (file: string): string => path.resolve(options.root, file)
    const writes: Array<Promise<void>> = []
    if (reportOptions.json) writes.push(writeFileAtomic(target(reportOptions.json), `${JSON.stringify(report, null, 2)}\n`))
    if (reportOptions.html) writes.push(writeFileAtomic(target(reportOptions.html), renderHtmlReport(report, { comparison })))
    if (reportOptions.markdown) writes.push(writeFileAtomic(target(reportOptions.markdown), formatMarkdownReport(report, { compression, comparison })))
    await Promise.all(writes)
    if (reportOptions.terminal) process.stdout.write(formatTerminalSummary(report, useColor(), { comparison }))
  }

  const results = report.budgets?.results ?? []
  const printedInSummary = reportOptions !== false && reportOptions.terminal
  if (!printedInSummary) {
    for (const warning of violations(results, 'warn')) warn({ code: 'CLI_OPTIMIZER_BUDGET_WARNING', message: `[cli-optimizer] budget warning: ${warning.message}` })
  }
  const errors = violations(results, 'error')
  if (errors.length > 0) {
    const list = errors.map((e) => `  - ${e.message}`).join('\n')
    throw new CliOptimizerError(
      'CLI_OPTIMIZER_BUDGET_EXCEEDED',
      `${errors.length} size budget(s) exceeded (option budgets; see the report for details):\n${list}`,
    )
  }
}
