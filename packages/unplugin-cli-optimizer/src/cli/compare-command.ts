import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { resolveBudgetOptions, type ResolvedBudgetOptions } from '../budgets/budget-options.js'
import { evaluateBudgets, violations } from '../budgets/evaluate-budgets.js'
import { changedOnly, compareReports, type ChunkComparison, type ReportComparison, type SizeChange } from '../compare/compare-reports.js'
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

/** Rows per list before "… and N more"; `--all` lifts it. */
export const COMPARE_LIMIT = 10

function formatText(comparison: ReportComparison, limit: number): string {
  const lines = [`sizes: ${comparison.compression}`]
  const section = <T>(title: string, rows: readonly T[], line: (row: T) => string, indent = ''): void => {
    if (rows.length === 0) return
    lines.push(`${indent}${title}:`)
    for (const row of rows.slice(0, limit)) lines.push(`${indent}  ${line(row)}`)
    if (rows.length > limit) lines.push(`${indent}  … and ${rows.length - limit} more (--all lists every one)`)
  }
  const sizes = (c: SizeChange): string => `${c.status} ${formatBytes(c.base)} → ${formatBytes(c.head)} (${formatDelta(c.delta)})`
  for (const e of comparison.entries) {
    lines.push(
      `entry ${e.name} (${e.status}): initial ${formatBytes(e.initial.base)} → ${formatBytes(e.initial.head)} (${formatDelta(e.initial.delta)}), ` +
        `total ${formatBytes(e.total.base)} → ${formatBytes(e.total.head)} (${formatDelta(e.total.delta)})`,
    )
    section('initial load changes (modules in its initial files)', e.initialPackages, (p) => `${p.name}: ${sizes(p.change)}`, '  ')
  }
  const chunks = changedOnly(comparison.chunks)
  const label = (c: ChunkComparison): string => (c.label === c.name.replace(/\.[cm]?js$/, '') ? c.name : `${c.label} (${c.name})`)
  section('initial chunks that changed', chunks.filter((c) => c.initial), (c) => `${label(c)}: ${sizes(c.change)}`)
  section('lazy chunks that changed (loaded on demand, not at start)', chunks.filter((c) => !c.initial), (c) => `${label(c)}: ${sizes(c.change)}`)
  section('packages that changed (whole output)', changedOnly(comparison.packages), (p) => `${p.name}: ${sizes(p.change)}`)
  return `${lines.join('\n')}\n`
}

/** `cli-optimizer compare <base.json> <head.json> [--markdown] [--all] [--compression mode] [--budgets rules.json]`. */
export function compareCommand(argv: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'compare', async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { markdown: { type: 'boolean' }, compression: { type: 'string' }, budgets: { type: 'string' }, all: { type: 'boolean' } },
    })
    if (positionals.length !== 2) throw new UsageError('expects two report JSON files: cli-optimizer compare <base.json> <head.json>')
    const [baseFile, headFile] = positionals.map((p) => path.resolve(p)) as [string, string]
    const base = await loadReport(baseFile, 'base')
    const head = await loadReport(headFile, 'head')
    const { rules, origin } = await ruleSource(values.budgets && path.resolve(values.budgets), head, values.compression ? sizeModeArg(values.compression) : undefined)
    const compression = values.compression ? sizeModeArg(values.compression) : rules.compression
    const comparison = compareReports(base, head, compression)
    const regressed = regressedRules(base, head, rules)
    const limit = values.all ? Number.POSITIVE_INFINITY : COMPARE_LIMIT
    if (values.markdown) {
      const verdict = regressed.length === 0 ? '✅ No error-level rule regressed.' : `❌ ${regressed.length} error-level rule(s) regressed:\n\n${regressed.map((r) => `- ${r.message}`).join('\n')}`
      io.stdout.write(`## cli-optimizer: size comparison\n\n${formatComparisonMarkdown(comparison, limit)}\n${verdict}\n\nRules from ${origin}.\n`)
    } else {
      io.stdout.write(formatText(comparison, limit))
      io.stdout.write(regressed.length === 0 ? `no error-level rule regressed (rules from ${origin})\n` : '')
      for (const r of regressed) io.stderr.write(`regressed: ${r.message}\n`)
    }
    return regressed.length === 0 ? 0 : 1
  }, ['markdown', 'all', 'compression', 'budgets'])
}
