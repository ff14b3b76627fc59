import type { ReportComparison } from '../../compare/compare-reports.js'
import { loadViews } from '../load-views.js'
import { findOpportunities } from '../opportunities.js'
import { duplicatePackages } from '../package-sizes.js'
import type { Report } from '../report-types.js'
import { CLIENT_SCRIPT } from './client-script.js'
import { STYLES } from './styles.js'

export interface HtmlReportOptions {
  comparison?: ReportComparison
  /** Page title. @default `cli-optimizer report (<bundler>)` */
  title?: string
}

/** A view of the treemap: the chunks one way of running the program loads. */
interface PayloadView {
  label: string
  name: string
  kind: 'all' | 'entry' | 'command' | 'lazy'
  entry: string
  files: number[]
  own: number[]
}

/**
 * The page's data: sizes and names only, never source code. Chunks are
 * `[file, raw, gzip, brotli]`, modules per chunk `[id, package index (-1: unattributed), raw]`,
 * package names in one table so 5,000 modules cost a few hundred kilobytes.
 */
function payload(report: Report, options: HtmlReportOptions): unknown {
  const packageIndex = new Map<string, number>()
  const packages: string[] = []
  const indexOfPackage = (name: string): number => {
    let at = packageIndex.get(name)
    if (at === undefined) {
      at = packages.length
      packages.push(name)
      packageIndex.set(name, at)
    }
    return at
  }
  const fileIndex = new Map(report.chunks.map((c, i) => [c.file, i]))
  const indices = (files: readonly string[]): number[] => files.flatMap((f) => (fileIndex.has(f) ? [fileIndex.get(f)!] : []))
  const views: PayloadView[] = [
    { label: 'Whole build', name: 'whole build', kind: 'all', entry: '', files: report.chunks.map((_, i) => i), own: [] },
    ...loadViews(report).map((v) => ({
      label: v.kind === 'entry' ? `Entry ${v.name}: initial load` : v.kind === 'command' ? `Command ${v.name} (${v.entry})` : `Lazy chunk ${v.name} (${v.entry})`,
      name: v.name,
      kind: v.kind,
      entry: v.entry,
      files: indices(v.files),
      own: indices(v.ownFiles),
    })),
  ]
  return {
    bundler: report.bundler,
    outDir: report.outDir,
    packages,
    chunks: report.chunks.map((c) => [c.file, c.bytes, c.gzipBytes, c.brotliBytes]),
    modules: report.chunks.map((c) => c.modules.map((m) => [m.id, m.id === '[unattributed]' ? -1 : indexOfPackage(m.package ?? '[app]'), m.bytes])),
    views,
    transforms: report.transforms.map((t) => ({
      kind: t.kind,
      applied: t.applied,
      reason: t.reason,
      where: t.importer ? `${t.importer}${t.line === undefined ? '' : `:${t.line}:${t.column ?? 1}`}` : '',
    })),
    duplicates: duplicatePackages(report),
    opportunities: findOpportunities(report).map((o) => ({ ...o, startupBytes: o.startupBytes ?? null, savedBytes: o.savedBytes ?? null, location: o.location ?? null })),
    budgets: report.budgets?.results ?? [],
    comparison: options.comparison ?? null,
  }
}

/** JSON safe inside a `<script>` element: no `</script>`, no `<!--`, no line separators. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * One self-contained HTML file: a zoomable treemap (chunks → packages → modules) with a
 * raw/gzip/brotli switch, a view per entry and per command, budgets, opportunities, duplicate
 * packages, transforms and the baseline comparison. Its Content-Security-Policy forbids every
 * network request, and it embeds module names and sizes only, never source code.
 */
export function renderHtmlReport(report: Report, options: HtmlReportOptions = {}): string {
  const title = options.title ?? `cli-optimizer report (${report.bundler})`
  const section = (id: string, heading: string, body: string, countOf?: string): string =>
    `<section id="${id}"><h2>${heading}${countOf ? ` <span class="count" data-count="${countOf}"></span>` : ''}</h2>${body}</section>`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLES}</style>
</head>
<body>
<header>
  <h1>${escapeHtml(title)}</h1>
  <span class="outdir">${escapeHtml(report.outDir)}</span>
  <label>View <select id="view"></select></label>
  <span class="modes" role="group" aria-label="Size">
    <button type="button" data-mode="raw" aria-pressed="true">raw</button><button type="button" data-mode="gzip" aria-pressed="false">gzip</button><button type="button" data-mode="brotli" aria-pressed="false">brotli</button>
  </span>
</header>
<main>
  <div class="bar"><nav id="crumbs" aria-label="Zoom"></nav><span class="total"><span id="total-kind"></span>: <strong id="total"></strong></span></div>
  <p id="estimate-note" class="note" hidden>Chunk sizes are measured (gzip -9, brotli quality 9 of each emitted file). Package and module sizes in this mode are estimates: each module's raw bytes times its chunk's compression ratio.</p>
  <div id="treemap" aria-label="Treemap: click a cell to zoom in, Escape or the path above to zoom out"></div>
  <p id="details" class="details">Click a chunk or package to zoom in; click a module for its figures.</p>
  ${section('views', 'What each entry and command loads', '<table id="views-table"></table>')}
  ${section('packages', 'Packages', '<table id="packages-table"></table>')}
  ${section('budgets', 'Budgets', '<table id="budgets-table"></table>', 'budgets')}
  ${section('opportunities', 'Opportunities', '<table id="opportunities-table"></table>', 'opportunities')}
  ${section('duplicates', 'Duplicate packages', '<table id="duplicates-table"></table>', 'duplicates')}
  ${section('transforms', 'Transforms applied and refused', '<table id="transforms-table"></table>', 'transforms')}
  ${options.comparison ? section('comparison', `Compared with the baseline (${options.comparison.compression})`, '<table id="comparison-entries"></table><table id="comparison-changes"></table>') : ''}
</main>
<script type="application/json" id="report-data">${scriptSafeJson(payload(report, options))}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`
}
