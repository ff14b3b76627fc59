import { stripContentHash } from '../compare/strip-hash.js'
import { chunkSize } from './size-mode.js'
import type { Report, ReportChunk, ReportSizeMode } from './report-types.js'

/**
 * What one way of running the program loads. An entry's view is its initial load; a command's
 * (or any lazily loaded chunk's) is that initial load plus the chunk and its static imports: the
 * bytes `cli <command>` must read before the command's code runs.
 */
export interface LoadView {
  kind: 'entry' | 'command' | 'lazy'
  /** Entry name, command name, or the lazy chunk's name without content hash and extension. */
  name: string
  /** The entry this view starts from. */
  entry: string
  /** The lazily loaded chunk (commands and lazy views). */
  chunk: string | undefined
  /** Every file loaded, the entry's initial files first. */
  files: string[]
  /** Files loaded beyond the entry's initial load. */
  ownFiles: string[]
}

export type ChunkIndex = ReadonlyMap<string, ReportChunk>

export function indexChunks(report: Report): ChunkIndex {
  return new Map(report.chunks.map((chunk) => [chunk.file, chunk]))
}

/** Files reachable from `start` through static imports (and dynamic ones with `dynamic`). */
export function closure(start: string, chunks: ChunkIndex, dynamic: boolean): string[] {
  const seen = new Set<string>([start])
  const queue = [start]
  while (queue.length > 0) {
    const chunk = chunks.get(queue.shift()!)
    if (!chunk) continue
    const next = dynamic ? [...chunk.imports, ...chunk.dynamicImports] : chunk.imports
    for (const file of next) {
      if (!seen.has(file) && chunks.has(file)) {
        seen.add(file)
        queue.push(file)
      }
    }
  }
  return [...seen].filter((file) => chunks.has(file))
}

/** Every JS file an entry can load, statically or dynamically. */
export function totalFiles(report: Report, entryFile: string, chunks: ChunkIndex = indexChunks(report)): string[] {
  return closure(entryFile, chunks, true)
}

export function sumFiles(files: readonly string[], chunks: ChunkIndex, mode: ReportSizeMode): number {
  return files.reduce((total, file) => total + (chunks.has(file) ? chunkSize(chunks.get(file)!, mode) : 0), 0)
}

/** Command names of the command manifest, keyed by the command's source module id. */
function commandNames(report: Report): Map<string, string> {
  const names = new Map<string, string>()
  for (const t of report.transforms) {
    if (t.kind === 'command-manifest' && typeof t.source === 'string' && typeof t.command === 'string') names.set(t.source, t.command)
  }
  return names
}

/** One view per entry (its initial load) and one per lazily loaded chunk an entry can reach. */
export function loadViews(report: Report): LoadView[] {
  const chunks = indexChunks(report)
  const commands = commandNames(report)
  const views: LoadView[] = []
  const seenLazy = new Set<string>()
  for (const entry of report.entries) {
    const initial = entry.initialFiles.filter((file) => chunks.has(file))
    views.push({ kind: 'entry', name: entry.name, entry: entry.name, chunk: undefined, files: initial, ownFiles: [] })
    const initialSet = new Set(initial)
    const lazyTargets = totalFiles(report, entry.file, chunks).filter((file) => {
      if (initialSet.has(file) || seenLazy.has(file)) return false
      return report.chunks.some((c) => c.dynamicImports.includes(file))
    })
    for (const file of lazyTargets) {
      seenLazy.add(file)
      const chunk = chunks.get(file)!
      const command = chunk.modules.map((m) => commands.get(m.id)).find((name) => name !== undefined)
      const own = closure(file, chunks, false).filter((f) => !initialSet.has(f))
      views.push({
        kind: command ? 'command' : 'lazy',
        name: command ?? stripContentHash(file).replace(/\.[cm]?js$/, '').replace(/[-.]\[hash\]$/, ''),
        entry: entry.name,
        chunk: file,
        files: [...initial, ...own],
        ownFiles: own,
      })
    }
  }
  disambiguate(views, chunks)
  return views
}

/**
 * Lazy chunks are named after the module they start from (`m0-[hash].js`), which need not be
 * unique: several commands may each have an `index.js`. Such views get that module's path.
 */
function disambiguate(views: LoadView[], chunks: ChunkIndex): void {
  const counts = new Map<string, number>()
  for (const view of views) if (view.kind === 'lazy') counts.set(view.name, (counts.get(view.name) ?? 0) + 1)
  for (const view of views) {
    if (view.kind !== 'lazy' || counts.get(view.name)! < 2 || !view.chunk) continue
    const modules = chunks.get(view.chunk)!.modules
    const own = modules.filter((m) => m.package === null && m.id !== '[unattributed]')
    const named = own.find((m) => m.id.replace(/^.*\//, '').replace(/\.[^.]*$/, '') === view.name) ?? own[0]
    // A chunk of package code only (a dependency split out for one command): name its package.
    const pkg = modules.find((m) => m.package !== null)?.package
    if (named) view.name = named.id
    else if (pkg) view.name = `${view.name} (${pkg})`
  }
}
