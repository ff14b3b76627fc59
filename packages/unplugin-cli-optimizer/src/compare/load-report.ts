import { readFile } from 'node:fs/promises'
import { CliOptimizerError } from '../core/errors.js'
import type { Report } from '../report/report-types.js'

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** What is wrong with a parsed report, or undefined when it has the shape of report JSON v1. */
export function reportShapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a JSON object'
  if (value.schemaVersion !== 1) return `schemaVersion is ${JSON.stringify(value.schemaVersion)}, expected 1`
  if (!Array.isArray(value.entries)) return 'it has no entries array'
  if (!Array.isArray(value.chunks)) return 'it has no chunks array'
  for (const chunk of value.chunks) {
    if (!isObject(chunk) || typeof chunk.file !== 'string' || typeof chunk.bytes !== 'number' || !Array.isArray(chunk.modules)) {
      return 'a chunk lacks file, bytes or modules'
    }
  }
  for (const entry of value.entries) {
    if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.file !== 'string' || !Array.isArray(entry.initialFiles)) {
      return 'an entry lacks name, file or initialFiles'
    }
  }
  return undefined
}

/**
 * Reads a report JSON v1 file. A missing, unreadable or malformed file throws a
 * `CliOptimizerError` (`CLI_OPTIMIZER_REPORT_READ`) that names the file and, when given, the
 * option or argument that pointed at it.
 */
export async function loadReport(file: string, via?: string): Promise<Report> {
  const origin = via ? ` (${via})` : ''
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'the file does not exist' : `it cannot be read (${code ?? String(error)})`
    throw new CliOptimizerError('CLI_OPTIMIZER_REPORT_READ', `report ${file}${origin}: ${why}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new CliOptimizerError('CLI_OPTIMIZER_REPORT_READ', `report ${file}${origin} is not valid JSON: ${(error as Error).message}`)
  }
  const problem = reportShapeProblem(parsed)
  if (problem) throw new CliOptimizerError('CLI_OPTIMIZER_REPORT_READ', `report ${file}${origin} is not a cli-optimizer report JSON v1: ${problem}`)
  const report = parsed as Report
  report.transforms ??= []
  return report
}
