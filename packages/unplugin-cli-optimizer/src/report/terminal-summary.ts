import type { ReportComparison } from '../compare/compare-reports.js'
import { stripContentHash } from '../compare/strip-hash.js'
import { chunkNames } from './chunk-names.js'
import { indexChunks, sumFiles, totalFiles } from './load-views.js'
import { packageSizes } from './package-sizes.js'
import { formatBytes, formatDelta } from './size-mode.js'
import type { Report } from './report-types.js'
import { startupRefusals } from './startup-refusals.js'

/** Refused imports listed after a build; the rest are in the report. */
const REFUSALS_SHOWN = 5

/** Colours only on a TTY and never with NO_COLOR (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '')
}

export interface TerminalSummaryExtras {
  comparison?: ReportComparison
}

/**
 * A few lines after each build: per entry what a start loads and what it can reach, the largest
 * chunks and packages, the refused deferrals that keep the most bytes in the initial load (with
 * the change that would defer each), budget results and, with a baseline, what changed.
 */
export function formatTerminalSummary(report: Report, color: boolean, extras: TerminalSummaryExtras = {}): string {
  const paint = (open: number, close: number) => (s: string): string => (color ? `\x1b[${open}m${s}\x1b[${close}m` : s)
  const bold = paint(1, 22)
  const dim = paint(2, 22)
  const red = paint(31, 39)
  const yellow = paint(33, 39)
  const green = paint(32, 39)
  const chunks = indexChunks(report)
  const lines = [bold(`cli-optimizer (${report.bundler}) → ${report.outDir}`)]
  for (const entry of report.entries) {
    const gzip = sumFiles(entry.initialFiles, chunks, 'gzip')
    const total = sumFiles(totalFiles(report, entry.file, chunks), chunks, 'raw')
    lines.push(`  ${bold(entry.name)}: initial ${formatBytes(entry.initialBytes)} (gzip ${formatBytes(gzip)}) in ${entry.initialFiles.length} file(s), total ${formatBytes(total)}`)
  }
  const largest = [...report.chunks].sort((a, b) => b.bytes - a.bytes).slice(0, 5)
  const names = chunkNames(report)
  lines.push(dim('  largest chunks:'))
  for (const chunk of largest) {
    lines.push(dim(`    ${`${names.get(chunk.file)} (${stripContentHash(chunk.file)})`.padEnd(40)} ${formatBytes(chunk.bytes).padStart(10)}  gzip ${formatBytes(chunk.gzipBytes)}, brotli ${formatBytes(chunk.brotliBytes)}`))
  }
  const packages = packageSizes(report.chunks.map((c) => c.file), chunks, 'raw').slice(0, 5)
  if (packages.length > 0) lines.push(dim(`  largest packages: ${packages.map((p) => `${p.name} ${formatBytes(p.bytes)}`).join(', ')}`))
  const applied = report.transforms.filter((t) => t.applied).length
  if (report.transforms.length > 0) lines.push(`  transforms: ${applied} applied, ${report.transforms.length - applied} refused`)
  const refusals = startupRefusals(report)
  if (refusals.length > 0) {
    lines.push(`  kept in the initial load by imports the plugin could not defer (largest first):`)
    for (const r of refusals.slice(0, REFUSALS_SHOWN)) {
      const more = r.more > 0 ? ` (+${r.more} more import${r.more === 1 ? '' : 's'})` : ''
      lines.push(`    ${bold(r.subject)} ${formatBytes(r.bytes)}  ${r.location}${more}: ${r.reason}`)
      if (r.remedy.change) lines.push(dim(`      → ${r.remedy.change}`))
    }
    if (refusals.length > REFUSALS_SHOWN) lines.push(dim(`    … and ${refusals.length - REFUSALS_SHOWN} more: see the report's transforms`))
  }
  const results = report.budgets?.results ?? []
  if (results.length > 0) {
    const failed = results.filter((r) => !r.passed)
    lines.push(`  budgets: ${results.length - failed.length}/${results.length} passed`)
    for (const r of failed) lines.push(`    ${r.severity === 'error' ? red('error') : yellow('warn')} ${r.message}`)
    if (failed.length === 0) lines.push(green('    all within limits'))
  }
  if (extras.comparison) {
    for (const e of extras.comparison.entries) {
      lines.push(`  vs baseline ${e.name}: initial ${formatDelta(e.initial.delta)}, total ${formatDelta(e.total.delta)} (${extras.comparison.compression})`)
    }
  }
  return `${lines.join('\n')}\n`
}
