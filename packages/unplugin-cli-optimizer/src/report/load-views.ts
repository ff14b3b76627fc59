import { chunkNames, commandNames } from './chunk-names.js'
import { chunkSize } from './size-mode.js'
import type { Report, ReportChunk, ReportSizeMode } from './report-types.js'

/**
 * What one way of running the program loads. An entry's view is its initial load; a command's
 * (or any lazily loaded chunk's) is that initial load plus the chunk and its static imports: the
 * bytes `cli <command>` must read before the command's code runs.
 */
export interface LoadView {
  kind: 'entry' | 'command' | 'lazy'
  /** Entry name, command name, or the lazy chunk's name from `chunkNames` (package or module it holds). */
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

/** One view per entry (its initial load) and one per lazily loaded chunk an entry can reach. */
export function loadViews(report: Report): LoadView[] {
  const chunks = indexChunks(report)
  const commands = commandNames(report)
  const names = chunkNames(report)
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
        name: names.get(file)!,
        entry: entry.name,
        chunk: file,
        files: [...initial, ...own],
        ownFiles: own,
      })
    }
  }
  return views
}
