/**
 * Public options of cli-optimizer and their validation.
 *
 * Every option is checked when the plugin is created, so a typo fails fast with a message that
 * names the option path, the expected type and what was given.
 */

/** Where and how the bundle report is written. */
export interface ReportOptions {
  /**
   * Path of the report JSON (schema v1), relative to `root` unless absolute.
   * Written atomically after every build.
   * @default undefined (no JSON file)
   */
  json?: string
  /**
   * Path of the self-contained HTML report, relative to `root` unless absolute.
   * @default undefined (no HTML file)
   */
  html?: string
  /**
   * Print a short summary to stdout after each build.
   * @default process.stdout.isTTY
   */
  terminal?: boolean
}

export interface Options {
  /**
   * Project root: relative paths in options and module ids in the report are relative to it.
   * @default process.cwd()
   */
  root?: string
  /**
   * Bundle report. `false` turns every report output off.
   * @default { terminal: process.stdout.isTTY }
   */
  report?: false | ReportOptions
}

export interface ResolvedReportOptions {
  json: string | undefined
  html: string | undefined
  terminal: boolean
}

export interface ResolvedOptions {
  root: string
  report: ResolvedReportOptions | false
}

const PREFIX = '[cli-optimizer]'

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`
  return typeof value
}

/** Throws the one error shape every option check uses. */
export function optionError(path: string, expected: string, value: unknown): TypeError {
  return new TypeError(`${PREFIX} ${path} must be ${expected}, got ${describe(value)}`)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Rejects keys the option object does not define; a typo must not be ignored silently. */
export function checkKnownKeys(path: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const where = path ? `${path}.${key}` : key
      throw new TypeError(`${PREFIX} unknown option ${where}; known options${path ? ` of ${path}` : ''}: ${known.join(', ')}`)
    }
  }
}

function optionalString(path: string, value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '') throw optionError(path, 'a non-empty string path', value)
  return value
}

function optionalBoolean(path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw optionError(path, 'a boolean', value)
  return value
}

function resolveReport(value: unknown): ResolvedReportOptions | false {
  const terminalDefault = Boolean(process.stdout.isTTY)
  if (value === undefined) return { json: undefined, html: undefined, terminal: terminalDefault }
  if (value === false) return false
  if (!isPlainObject(value)) throw optionError('report', 'false or an object { json?, html?, terminal? }', value)
  checkKnownKeys('report', value, ['json', 'html', 'terminal'])
  return {
    json: optionalString('report.json', value.json),
    html: optionalString('report.html', value.html),
    terminal: optionalBoolean('report.terminal', value.terminal, terminalDefault),
  }
}

const KNOWN_OPTIONS = ['root', 'report'] as const

/** Validates user options and fills defaults. Throws a `TypeError` naming the faulty option. */
export function resolveOptions(options: Options | undefined = {}): ResolvedOptions {
  if (options === null || !isPlainObject(options)) throw optionError('options', 'an object', options)
  const raw = options as Record<string, unknown>
  checkKnownKeys('', raw, KNOWN_OPTIONS)
  return {
    root: optionalString('root', raw.root) ?? process.cwd(),
    report: resolveReport(raw.report),
  }
}
