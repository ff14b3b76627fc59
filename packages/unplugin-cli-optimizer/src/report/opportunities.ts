import path from 'node:path'
import { packageOfSpecifier } from './package-imports.js'
import { duplicatePackages } from './package-sizes.js'
import { indexChunks, totalFiles } from './load-views.js'
import { formatBytes } from './size-mode.js'
import type { Report, ReportChunk, ReportTransform } from './report-types.js'

export type OpportunityKind = 'async-only-in-initial' | 'duplicate-package' | 'dead-exports' | 'large-dependency'

/** Something the user can change, with the raw bytes it would save (estimated). */
export interface Opportunity {
  kind: OpportunityKind
  /** Module id or package name the advice is about. */
  subject: string
  /** Raw bytes saved from the output (or from the initial load for `async-only-in-initial`); `undefined` when unknown. */
  savedBytes: number | undefined
  /** What to do, in one sentence. */
  advice: string
  /** Where the evidence comes from: importer:line:column, package folders, export names. */
  detail: string
}

/** A package this large, imported for a single name, is worth a second look. */
export const LARGE_DEPENDENCY_BYTES = 8 * 1024

/** Transforms of the lazy-import capability that were refused: the module stays in the initial load. */
function lazyRefusals(transforms: readonly ReportTransform[]): ReportTransform[] {
  return transforms.filter((t) => t.kind === 'lazy-import' && !t.applied)
}

/**
 * Bytes a refused lazy import keeps in the initial load: the transform's own `bytes` when it
 * measured any, else the imported module (relative specifier, resolved against the importer)
 * or the whole package (bare specifier) as bundled.
 */
function transformBytes(t: ReportTransform, modules: ReadonlyMap<string, number>, packages: ReadonlyMap<string, number>): number | undefined {
  if (typeof t.bytes === 'number' && t.bytes > 0) return t.bytes
  for (const field of ['module', 'resolved', 'target']) {
    const id = t[field]
    if (typeof id === 'string' && modules.has(id)) return modules.get(id)
  }
  const source = t.source
  if (typeof source !== 'string') return undefined
  if (modules.has(source)) return modules.get(source)
  const pkg = packageOfSpecifier(source)
  if (pkg) return packages.get(pkg)
  if (source.startsWith('.') && t.importer) {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(t.importer), source))
    for (const candidate of [base, `${base}.js`, `${base}.ts`, `${base}.mjs`, `${base}/index.js`, `${base}/index.ts`]) {
      if (modules.has(candidate)) return modules.get(candidate)
    }
  }
  return undefined
}

function transformSubject(t: ReportTransform): string {
  for (const field of ['module', 'resolved', 'source', 'specifier', 'target']) {
    if (typeof t[field] === 'string') return t[field] as string
  }
  return t.importer ?? '(unknown module)'
}

function where(t: ReportTransform): string {
  if (!t.importer) return ''
  return t.line === undefined ? t.importer : `${t.importer}:${t.line}:${t.column ?? 1}`
}

function moduleBytes(chunks: readonly ReportChunk[]): Map<string, number> {
  const bytes = new Map<string, number>()
  for (const chunk of chunks) for (const m of chunk.modules) bytes.set(m.id, (bytes.get(m.id) ?? 0) + m.bytes)
  return bytes
}

/** Every opportunity the report supports, largest estimated saving first. */
export function findOpportunities(report: Report): Opportunity[] {
  const found: Opportunity[] = []
  // A refused lazy import costs start-up time only through what it keeps in an initial load.
  const initial = new Set(report.entries.flatMap((e) => e.initialFiles))
  const initialChunks = report.chunks.filter((c) => initial.has(c.file))
  const initialModules = moduleBytes(initialChunks)
  const initialPackages = new Map<string, number>()
  for (const chunk of initialChunks) {
    for (const m of chunk.modules) if (m.package) initialPackages.set(m.package, (initialPackages.get(m.package) ?? 0) + m.bytes)
  }

  const allModules = moduleBytes(report.chunks)
  const allPackages = new Map<string, number>()
  for (const chunk of report.chunks) {
    for (const m of chunk.modules) if (m.package) allPackages.set(m.package, (allPackages.get(m.package) ?? 0) + m.bytes)
  }
  /** 0 when the import is bundled but outside every initial load; undefined when it cannot be found. */
  const initialBytesOf = (t: ReportTransform): number | undefined =>
    transformBytes(t, initialModules, initialPackages) ?? (transformBytes(t, allModules, allPackages) === undefined ? undefined : 0)

  // One opportunity per imported module, however many imports of it were refused.
  const refusals = new Map<string, { savedBytes: number | undefined; details: string[] }>()
  for (const t of lazyRefusals(report.transforms)) {
    const subject = transformSubject(t)
    const entry = refusals.get(subject) ?? { savedBytes: initialBytesOf(t), details: [] }
    entry.details.push(`${where(t)} ${t.reason}`.trim())
    refusals.set(subject, entry)
  }
  for (const [subject, { savedBytes, details }] of refusals) {
    if (savedBytes === 0) continue
    found.push({
      kind: 'async-only-in-initial',
      subject,
      savedBytes,
      advice: 'loaded on every start although only some paths use it: import it where it is used, with import()',
      detail: details.join('; '),
    })
  }

  for (const duplicate of duplicatePackages(report)) {
    found.push({
      kind: 'duplicate-package',
      subject: duplicate.name,
      savedBytes: duplicate.wastedBytes,
      advice: `bundled ${duplicate.instances.length} times: align the versions your dependencies ask for (npm dedupe, overrides) so one copy is enough`,
      detail: duplicate.instances.map((i) => `${i.path} (${formatBytes(i.bytes)})`).join(', '),
    })
  }

  const deadByModule = new Map<string, { names: string[]; bytes: number }>()
  for (const dead of report.deadExports ?? []) {
    const entry = deadByModule.get(dead.module) ?? { names: [], bytes: 0 }
    entry.names.push(dead.name)
    entry.bytes += dead.bytes
    deadByModule.set(dead.module, entry)
  }
  for (const [module, dead] of deadByModule) {
    found.push({
      kind: 'dead-exports',
      subject: module,
      savedBytes: dead.bytes,
      advice: 'exports nothing imports: delete them, or mark the module side-effect free so the bundler drops them',
      detail: dead.names.join(', '),
    })
  }

  const chunks = indexChunks(report)
  const reachable = new Set(report.entries.flatMap((e) => totalFiles(report, e.file, chunks)))
  const packageBytes = new Map<string, number>()
  for (const chunk of report.chunks) {
    if (!reachable.has(chunk.file)) continue
    for (const m of chunk.modules) if (m.package) packageBytes.set(m.package, (packageBytes.get(m.package) ?? 0) + m.bytes)
  }
  for (const usage of report.packageImports ?? []) {
    const bytes = packageBytes.get(usage.package) ?? 0
    const named = usage.names.filter((n) => n !== '*' && n !== 'default')
    if (bytes < LARGE_DEPENDENCY_BYTES || named.length !== 1 || named.length !== usage.names.length) continue
    found.push({
      kind: 'large-dependency',
      subject: usage.package,
      savedBytes: bytes,
      advice: `${formatBytes(bytes)} bundled for one function (${named[0]}): import a smaller subpath, a lighter package, or a few lines of your own`,
      detail: `imported by ${usage.importers.join(', ')}`,
    })
  }

  return found.sort((a, b) => (b.savedBytes ?? -1) - (a.savedBytes ?? -1))
}
