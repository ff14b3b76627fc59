import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { resolveBudgetOptions, type ResolvedBudgetOptions } from '../budgets/budget-options.js'
import { evaluateBudgets, violations } from '../budgets/evaluate-budgets.js'
import { changedOnly, compareReports, type ReportComparison } from '../compare/compare-reports.js'
import { loadReport } from '../compare/load-report.js'
import { formatComparisonMarkdown } from '../report/markdown.js'
import { formatBytes, formatDelta } from '../report/size-mode.js'
import type { Report, ReportBudgetResult, ReportSizeMode } from '../report/report-types.js'
import { runCommand, sizeModeArg, UsageError } from './cli-errors.js'
import type { CliIo } from './main.js'

/** Rules used when neither `--budgets` nor the head report names any. */
export const DEFAULT_COMPARE_RULES = { regression: ['error', { percent: 5, minBytes: 512 }] } as const

interface RuleSource {
  rules: ResolvedBudgetOptions
  origin: string
}

async function ruleSource(budgetsFile: string | undefined, head: Report, compression: ReportSizeMode | undefined): Promise<RuleSource> {
  if (budgetsFile) {
    let raw: unknown
    try {
      raw = JSON.parse(await readFile(budgetsFile, 'utf8'))
    } catch (error) {
      throw new UsageError(`budgets file ${budgetsFile} cannot be read as JSON: ${(error as Error).message}`)
    }
    let rules: ResolvedBudgetOptions | false
    try {
      rules = resolveBudgetOptions(raw)
    } catch (error) {
      throw new UsageError(`budgets file ${budgetsFile}: ${(error as Error).message}`)
    }
    if (!rules) throw new UsageError(`budgets file ${budgetsFile} defines no rules`)
    return { rules, origin: budgetsFile }
  }
  if (head.budgets?.rules && typeof head.budgets.rules === 'object') {
    return { rules: head.budgets.rules as unknown as ResolvedBudgetOptions, origin: 'the head report (option budgets of its build)' }
  }
  const defaults = resolveBudgetOptions({ ...DEFAULT_COMPARE_RULES, compression: compression ?? 'raw' }) as ResolvedBudgetOptions
  return { rules: defaults, origin: 'the default rule regression: [error, { percent: 5, minBytes: 512 }]' }
}

/**
 * Rules that got worse: every violation of `regression`, and any other error-level violation
 * the base build did not have.
 */
export function regressedRules(base: Report, head: Report, rules: ResolvedBudgetOptions): ReportBudgetResult[] {
  const before = new Set(violations(evaluateBudgets(base, rules)).map((r) => `${r.rule}\0${r.subject}`))
  return violations(evaluateBudgets(head, rules, base), 'error').filter((r) => r.rule === 'regression' || !before.has(`${r.rule}\0${r.subject}`))
}

function formatText(comparison: ReportComparison): string {
  const lines = [`sizes: ${comparison.compression}`]
  for (const e of comparison.entries) {
    lines.push(
      `entry ${e.name} (${e.status}): initial ${formatBytes(e.initial.base)} → ${formatBytes(e.initial.head)} (${formatDelta(e.initial.delta)}), ` +
        `total ${formatBytes(e.total.base)} → ${formatBytes(e.total.head)} (${formatDelta(e.total.delta)})`,
    )
  }
  for (const c of changedOnly(comparison.chunks)) lines.push(`chunk ${c.name}: ${c.change.status} ${formatBytes(c.change.base)} → ${formatBytes(c.change.head)} (${formatDelta(c.change.delta)})`)
  for (const p of changedOnly(comparison.packages)) lines.push(`package ${p.name}: ${p.change.status} ${formatBytes(p.change.base)} → ${formatBytes(p.change.head)} (${formatDelta(p.change.delta)})`)
  return `${lines.join('\n')}\n`
}

/** `cli-optimizer compare <base.json> <head.json> [--markdown] [--compression mode] [--budgets rules.json]`. */
export function compareCommand(argv: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'compare', async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { markdown: { type: 'boolean' }, compression: { type: 'string' }, budgets: { type: 'string' } },
    })
    if (positionals.length !== 2) throw new UsageError('expects two report JSON files: cli-optimizer compare <base.json> <head.json>')
    const [baseFile, headFile] = positionals.map((p) => path.resolve(p)) as [string, string]
    const base = await loadReport(baseFile, 'base')
    const head = await loadReport(headFile, 'head')
    const { rules, origin } = await ruleSource(values.budgets && path.resolve(values.budgets), head, values.compression ? sizeModeArg(values.compression) : undefined)
    const compression = values.compression ? sizeModeArg(values.compression) : rules.compression
    const comparison = compareReports(base, head, compression)
    const regressed = regressedRules(base, head, rules)
    if (values.markdown) {
      const verdict = regressed.length === 0 ? '✅ No error-level rule regressed.' : `❌ ${regressed.length} error-level rule(s) regressed:\n\n${regressed.map((r) => `- ${r.message}`).join('\n')}`
      io.stdout.write(`## cli-optimizer: size comparison\n\n${formatComparisonMarkdown(comparison)}\n${verdict}\n\nRules from ${origin}.\n`)
    } else {
      io.stdout.write(formatText(comparison))
      io.stdout.write(regressed.length === 0 ? `no error-level rule regressed (rules from ${origin})\n` : '')
      for (const r of regressed) io.stderr.write(`regressed: ${r.message}\n`)
    }
    return regressed.length === 0 ? 0 : 1
  })
}
