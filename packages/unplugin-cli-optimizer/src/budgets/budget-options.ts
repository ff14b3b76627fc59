import { checkKnownKeys, isPlainObject, optionError, optionalString } from '../core/options-validation.js'
import type { ReportSizeMode } from '../report/report-types.js'

/** `'off'` disables a rule; `'warn'` prints its violations; `'error'` fails the build. */
export type BudgetSeverity = 'off' | 'warn' | 'error'

/** A size limit in bytes, or `{ max, compression }` to measure this rule in another size mode. */
export type SizeBudget = 'off' | [BudgetSeverity, number] | [BudgetSeverity, { max: number; compression?: ReportSizeMode }]

export interface RegressionLimit {
  /**
   * Growth tolerated against the baseline, in percent of the baseline figure.
   * @default 5
   */
  percent?: number
  /**
   * Growth always tolerated, in bytes, however large the percentage (small builds grow by
   * large percentages for a few bytes).
   * @default 0
   */
  minBytes?: number
  /**
   * Size mode of this rule.
   * @default the budgets' `compression`
   */
  compression?: ReportSizeMode
}

/** Rules that can be set per entry. */
export interface EntryBudgetRules {
  /**
   * Bytes an entry loads on every start (the report's `initialBytes`): the figure that decides
   * how fast `--version` is.
   * @default undefined (not checked)
   */
  'initial-bytes'?: SizeBudget
  /**
   * Bytes of every file an entry can load, statically or dynamically.
   * @default undefined (not checked)
   */
  'total-bytes'?: SizeBudget
  /**
   * Growth of each entry's initial and total bytes against the `baseline` report. Needs the
   * `baseline` option (or `cli-optimizer compare`); without a baseline it is not checked.
   * @default undefined (not checked)
   */
  regression?: BudgetSeverity | [BudgetSeverity] | [BudgetSeverity, RegressionLimit]
}

/**
 * Size budgets checked after every build, ESLint-style: `'rule': ['error', limit]`. An `error`
 * violation fails the build with a message naming the rule, the limit, the actual figure and
 * the biggest contributors; a `warn` violation is printed.
 */
export interface BudgetOptions extends EntryBudgetRules {
  /**
   * Size of each emitted JS file.
   * @default undefined (not checked)
   */
  'chunk-bytes'?: SizeBudget
  /**
   * A package bundled more than once (two install folders of one package name).
   * @default undefined (not checked)
   */
  'duplicate-packages'?: BudgetSeverity | [BudgetSeverity]
  /**
   * Which size the limits are in: bytes as written, gzip -9 or brotli quality 9 of each file.
   * @default 'raw'
   */
  compression?: ReportSizeMode
  /**
   * Per-entry overrides, keyed by entry name (as in the report): these rules replace the
   * top-level ones for that entry.
   * @default {}
   */
  entries?: Record<string, EntryBudgetRules>
}

export interface ResolvedSizeRule {
  severity: 'warn' | 'error'
  max: number
  compression: ReportSizeMode
}

export interface ResolvedRegressionRule {
  severity: 'warn' | 'error'
  percent: number
  minBytes: number
  compression: ReportSizeMode
}

/** `null`: turned off explicitly (an entry's `'off'` overrides a top-level rule). */
export interface ResolvedEntryRules {
  'initial-bytes'?: ResolvedSizeRule | null
  'total-bytes'?: ResolvedSizeRule | null
  regression?: ResolvedRegressionRule | null
}

export interface ResolvedBudgetOptions extends ResolvedEntryRules {
  compression: ReportSizeMode
  'chunk-bytes'?: ResolvedSizeRule | null
  'duplicate-packages'?: { severity: 'warn' | 'error' } | null
  entries: Record<string, ResolvedEntryRules>
}

const MODES: readonly ReportSizeMode[] = ['raw', 'gzip', 'brotli']
const SEVERITIES: readonly BudgetSeverity[] = ['off', 'warn', 'error']
const ENTRY_RULES = ['initial-bytes', 'total-bytes', 'regression'] as const
const RULES = [...ENTRY_RULES, 'chunk-bytes', 'duplicate-packages'] as const

function severity(path: string, value: unknown): BudgetSeverity {
  if (typeof value !== 'string' || !SEVERITIES.includes(value as BudgetSeverity)) throw optionError(path, "'off', 'warn' or 'error'", value)
  return value as BudgetSeverity
}

function sizeMode(path: string, value: unknown, fallback: ReportSizeMode): ReportSizeMode {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || !MODES.includes(value as ReportSizeMode)) throw optionError(path, "'raw', 'gzip' or 'brotli'", value)
  return value as ReportSizeMode
}

function nonNegative(path: string, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw optionError(path, 'a non-negative number', value)
  return value
}

function sizeRule(path: string, value: unknown, compression: ReportSizeMode): ResolvedSizeRule | null | undefined {
  if (value === undefined) return undefined
  if (value === 'off') return null
  if (!Array.isArray(value) || value.length !== 2) throw optionError(path, "['off' | 'warn' | 'error', bytes] or [severity, { max, compression? }]", value)
  const level = severity(`${path}[0]`, value[0])
  if (level === 'off') return null
  const limit: unknown = value[1]
  if (typeof limit === 'number') return { severity: level, max: nonNegative(`${path}[1]`, limit), compression }
  if (!isPlainObject(limit)) throw optionError(`${path}[1]`, 'a number of bytes or an object { max, compression? }', limit)
  checkKnownKeys(`${path}[1]`, limit, ['max', 'compression'])
  return { severity: level, max: nonNegative(`${path}[1].max`, limit.max), compression: sizeMode(`${path}[1].compression`, limit.compression, compression) }
}

function severityRule(path: string, value: unknown): { severity: 'warn' | 'error' } | null | undefined {
  if (value === undefined) return undefined
  const level = severity(path, Array.isArray(value) && value.length === 1 ? value[0] : value)
  return level === 'off' ? null : { severity: level }
}

function regressionRule(path: string, value: unknown, compression: ReportSizeMode): ResolvedRegressionRule | null | undefined {
  if (value === undefined) return undefined
  const list = Array.isArray(value) ? value : [value]
  if (list.length < 1 || list.length > 2) throw optionError(path, "a severity or [severity, { percent?, minBytes?, compression? }]", value)
  const level = severity(Array.isArray(value) ? `${path}[0]` : path, list[0])
  if (level === 'off') return null
  const limit: unknown = list[1] ?? {}
  if (!isPlainObject(limit)) throw optionError(`${path}[1]`, 'an object { percent?, minBytes?, compression? }', limit)
  checkKnownKeys(`${path}[1]`, limit, ['percent', 'minBytes', 'compression'])
  return {
    severity: level,
    percent: nonNegative(`${path}[1].percent`, limit.percent, 5),
    minBytes: nonNegative(`${path}[1].minBytes`, limit.minBytes, 0),
    compression: sizeMode(`${path}[1].compression`, limit.compression, compression),
  }
}

function entryRules(path: string, value: Record<string, unknown>, compression: ReportSizeMode): ResolvedEntryRules {
  const rules: ResolvedEntryRules = {}
  const initial = sizeRule(`${path}['initial-bytes']`, value['initial-bytes'], compression)
  const total = sizeRule(`${path}['total-bytes']`, value['total-bytes'], compression)
  const regression = regressionRule(`${path}.regression`, value.regression, compression)
  if (initial !== undefined) rules['initial-bytes'] = initial
  if (total !== undefined) rules['total-bytes'] = total
  if (regression !== undefined) rules.regression = regression
  return rules
}

/** `budgets: false` (the default) checks nothing. */
export function resolveBudgetOptions(value: unknown): ResolvedBudgetOptions | false {
  if (value === undefined || value === false) return false
  if (!isPlainObject(value)) throw optionError('budgets', "false or an object of rules { 'initial-bytes'?, 'total-bytes'?, … }", value)
  checkKnownKeys('budgets', value, [...RULES, 'compression', 'entries'])
  const compression = sizeMode('budgets.compression', value.compression, 'raw')
  const resolved: ResolvedBudgetOptions = { compression, ...entryRules('budgets', value, compression), entries: {} }
  const chunk = sizeRule("budgets['chunk-bytes']", value['chunk-bytes'], compression)
  const duplicates = severityRule("budgets['duplicate-packages']", value['duplicate-packages'])
  if (chunk !== undefined) resolved['chunk-bytes'] = chunk
  if (duplicates !== undefined) resolved['duplicate-packages'] = duplicates
  if (value.entries !== undefined) {
    if (!isPlainObject(value.entries)) throw optionError('budgets.entries', 'an object { [entry name]: rules }', value.entries)
    for (const [name, rules] of Object.entries(value.entries)) {
      const path = `budgets.entries.${name}`
      if (!isPlainObject(rules)) throw optionError(path, "an object { 'initial-bytes'?, 'total-bytes'?, regression? }", rules)
      checkKnownKeys(path, rules, ENTRY_RULES)
      resolved.entries[name] = entryRules(path, rules, compression)
    }
  }
  return resolved
}

/** `baseline`: a previous build's report JSON to compare with, relative to `root`. */
export function resolveBaselineOption(value: unknown): string | undefined {
  return optionalString('baseline', value)
}

/** An optional size mode (`report.compression`). */
export function resolveSizeModeOption(path: string, value: unknown): ReportSizeMode | undefined {
  return value === undefined ? undefined : sizeMode(path, value, 'raw')
}
