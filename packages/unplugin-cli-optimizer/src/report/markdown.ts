import { changedOnly, type ChunkComparison, type ReportComparison, type SizeChange } from '../compare/compare-reports.js'
import { stripContentHash } from '../compare/strip-hash.js'
import { indexChunks, loadViews, sumFiles, totalFiles } from './load-views.js'
import { findOpportunities } from './opportunities.js'
import { packageSizes } from './package-sizes.js'
import { chunkSize, describeSizeMode, formatBytes, formatDelta } from './size-mode.js'
import type { Report, ReportSizeMode } from './report-types.js'

export interface MarkdownOptions {
  /** Size mode of every figure. @default 'raw' */
  compression?: ReportSizeMode
  /** A comparison with a baseline build, appended as its own section. */
  comparison?: ReportComparison
  /** Rows per table before "… and N more". @default 10 */
  limit?: number
}

function cell(text: string | number): string {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

function table(header: readonly string[], align: readonly ('l' | 'r')[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string[] {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ]
}

function limited<T>(rows: readonly T[], limit: number, hint = ''): { rows: T[]; more: string[] } {
  return { rows: rows.slice(0, limit), more: rows.length > limit ? ['', `… and ${rows.length - limit} more${hint}.`] : [] }
}

function percent(change: SizeChange): string {
  if (change.status === 'added') return 'added'
  if (change.status === 'removed') return 'removed'
  if (change.percent === null) return '—'
  return `${change.percent > 0 ? '+' : ''}${change.percent.toFixed(1)}%`
}

/** The comparison as Markdown sections: entries, then what changed among chunks and packages. */
export function formatComparisonMarkdown(comparison: ReportComparison, limit = 10, heading = '###'): string {
  const lines: string[] = [`Sizes: **${comparison.compression}** (${describeSizeMode(comparison.compression)}).`, '']
  lines.push(`${heading} Entries`, '')
  lines.push(
    ...table(
      ['Entry', 'Initial (base → head)', 'Δ initial', 'Total (base → head)', 'Δ total', 'Status'],
      ['l', 'r', 'r', 'r', 'r', 'l'],
      comparison.entries.map((e) => [
        e.name,
        `${formatBytes(e.initial.base)} → ${formatBytes(e.initial.head)}`,
        `${formatDelta(e.initial.delta)} (${percent(e.initial)})`,
        `${formatBytes(e.total.base)} → ${formatBytes(e.total.head)}`,
        `${formatDelta(e.total.delta)} (${percent(e.total)})`,
        e.status,
      ]),
    ),
  )
  const hint = ' (`cli-optimizer compare --all` lists every one)'
  for (const e of comparison.entries) {
    if (e.initialPackages.length === 0) continue
    const { rows, more } = limited(e.initialPackages, limit, hint)
    lines.push('', `${heading} Initial load of ${e.name}: what changed`, '', 'Modules in the entry\'s initial files only; lazy chunks are listed below.', '')
    lines.push(
      ...table(['Package', 'Base', 'Head', 'Δ', 'Status'], ['l', 'r', 'r', 'r', 'l'], rows.map((r) => [r.name, formatBytes(r.change.base), formatBytes(r.change.head), `${formatDelta(r.change.delta)} (${percent(r.change)})`, r.change.status])),
      ...more,
    )
  }
  const chunks = changedOnly(comparison.chunks)
  const label = (c: ChunkComparison): string => (c.label === c.name.replace(/\.[cm]?js$/, '') ? c.name : `${c.label} (${c.name})`)
  for (const [title, rows] of [
    ['Initial chunks', chunks.filter((c) => c.initial).map((c) => ({ name: label(c), change: c.change }))],
    ['Lazy chunks', chunks.filter((c) => !c.initial).map((c) => ({ name: label(c), change: c.change }))],
    ['Packages', changedOnly(comparison.packages)],
  ] as const) {
    lines.push('', `${heading} ${title} that changed`, '')
    if (rows.length === 0) {
      lines.push('None.')
      continue
    }
    const { rows: shown, more } = limited(rows, limit, hint)
    lines.push(
      ...table(
        [title === 'Packages' ? 'Package' : 'Chunk', 'Base', 'Head', 'Δ', 'Status'],
        ['l', 'r', 'r', 'r', 'l'],
        shown.map((r) => [r.name, formatBytes(r.change.base), formatBytes(r.change.head), `${formatDelta(r.change.delta)} (${percent(r.change)})`, r.change.status]),
      ),
      ...more,
    )
  }
  return `${lines.join('\n')}\n`
}

/**
 * A Markdown report for pull-request comments. It states the size mode its figures are in,
 * because a gzip figure next to a raw one is the most common misreading of bundle reports.
 */
export function formatMarkdownReport(report: Report, options: MarkdownOptions = {}): string {
  const mode = options.compression ?? 'raw'
  const limit = options.limit ?? 10
  const chunks = indexChunks(report)
  const lines: string[] = [`## cli-optimizer bundle report (${report.bundler})`, '']
  lines.push(`Sizes: **${mode}** (${describeSizeMode(mode)}). Output: \`${report.outDir}\`.`, '')

  lines.push('### Entries', '')
  lines.push(
    ...table(
      ['Entry', 'Initial load', 'Files at start', 'Total reachable'],
      ['l', 'r', 'r', 'r'],
      report.entries.map((e) => [
        e.name,
        formatBytes(sumFiles(e.initialFiles, chunks, mode)),
        e.initialFiles.length,
        formatBytes(sumFiles(totalFiles(report, e.file, chunks), chunks, mode)),
      ]),
    ),
  )

  const lazy = loadViews(report).filter((v) => v.kind !== 'entry')
  if (lazy.length > 0) {
    const { rows, more } = limited(lazy, limit * 2)
    lines.push('', '### What each command loads', '')
    lines.push(
      ...table(
        ['Command or lazy chunk', 'Entry', 'Loads in all', 'Beyond the initial load'],
        ['l', 'l', 'r', 'r'],
        rows.map((v) => [`${v.kind === 'command' ? '' : '(lazy) '}${v.name}`, v.entry, formatBytes(sumFiles(v.files, chunks, mode)), formatBytes(sumFiles(v.ownFiles, chunks, mode))]),
      ),
      ...more,
    )
  }

  const packages = packageSizes(
    report.chunks.map((c) => c.file),
    chunks,
    mode,
  )
  {
    const { rows, more } = limited(packages, limit)
    lines.push('', '### Largest packages', '')
    lines.push(...table(['Package', 'Size', 'Modules'], ['l', 'r', 'r'], rows.map((p) => [p.name, formatBytes(p.bytes), p.modules])), ...more)
  }
  {
    const sorted = [...report.chunks].sort((a, b) => chunkSize(b, mode) - chunkSize(a, mode))
    const { rows, more } = limited(sorted, limit)
    lines.push('', '### Largest chunks', '')
    lines.push(
      ...table(
        ['Chunk', 'Size', 'Modules', 'Entry'],
        ['l', 'r', 'r', 'l'],
        rows.map((c) => [stripContentHash(c.file), formatBytes(chunkSize(c, mode)), c.modules.length, c.isEntry ? 'yes' : '']),
      ),
      ...more,
    )
  }

  const budgets = report.budgets?.results ?? []
  if (budgets.length > 0) {
    lines.push('', '### Budgets', '')
    const icon = (r: (typeof budgets)[number]) => (r.passed ? '✅ pass' : r.severity === 'error' ? '❌ error' : '⚠️ warn')
    const ordered = [...budgets].sort((a, b) => Number(a.passed) - Number(b.passed))
    lines.push(...table(['Result', 'Rule', 'Subject', 'Details'], ['l', 'l', 'l', 'l'], ordered.map((r) => [icon(r), r.rule, r.subject, r.message])))
  }

  const opportunities = findOpportunities(report)
  lines.push('', '### Opportunities', '')
  if (opportunities.length === 0) lines.push('None found.')
  else {
    const { rows, more } = limited(opportunities, limit)
    lines.push(
      ...table(
        ['Kind', 'Subject', 'Saved at startup (raw)', 'Saved in all (raw)', 'Advice', 'Evidence'],
        ['l', 'l', 'r', 'r', 'l', 'l'],
        rows.map((o) => [
          o.kind,
          o.subject,
          o.startupBytes === undefined ? '—' : formatBytes(o.startupBytes),
          o.savedBytes === undefined ? '—' : formatBytes(o.savedBytes),
          o.location ? `${o.advice} (${o.location})` : o.advice,
          o.detail,
        ]),
      ),
      ...more,
    )
  }

  if (report.transforms.length > 0) {
    const applied = report.transforms.filter((t) => t.applied)
    const refused = report.transforms.filter((t) => !t.applied)
    lines.push('', '### Transforms', '', `${applied.length} applied, ${refused.length} refused.`)
    if (refused.length > 0) {
      const { rows, more } = limited(refused, limit)
      lines.push('', ...table(['Kind', 'Where', 'Why refused'], ['l', 'l', 'l'], rows.map((t) => [t.kind, t.importer ? `${t.importer}${t.line ? `:${t.line}` : ''}` : '', t.reason])), ...more)
    }
  }

  if (options.comparison) {
    lines.push('', '### Compared with the baseline', '', formatComparisonMarkdown(options.comparison, limit, '####').trimEnd())
  }
  return `${lines.join('\n')}\n`
}
