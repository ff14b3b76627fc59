import { chunkNames } from '../report/chunk-names.js'
import { indexChunks, sumFiles, totalFiles, type ChunkIndex } from '../report/load-views.js'
import { packageSizes } from '../report/package-sizes.js'
import { chunkSize } from '../report/size-mode.js'
import type { Report, ReportChunk, ReportSizeMode } from '../report/report-types.js'
import { stripContentHash } from './strip-hash.js'

export type ChangeStatus = 'added' | 'removed' | 'grown' | 'shrunk' | 'unchanged'

export interface SizeChange {
  status: ChangeStatus
  base: number
  head: number
  delta: number
  /** Growth in percent of `base`; `null` when the base is 0 or absent. */
  percent: number | null
}

export interface EntryComparison {
  name: string
  status: ChangeStatus
  initial: SizeChange
  total: SizeChange
  /**
   * Packages (`[app]` for the app's code) whose bytes in this entry's initial load changed, largest
   * change first: modules of `initialFiles` only, so a lazy chunk's growth is never blamed here.
   */
  initialPackages: PackageComparison[]
  /** The same over every file the entry can load. */
  totalPackages: PackageComparison[]
}

export interface ChunkComparison {
  /** File name without its content hash: the key chunks are matched on. */
  name: string
  baseFile: string | undefined
  headFile: string | undefined
  /** What the chunk holds (`chunkNames`): the command, package or module it starts from. */
  label: string
  /** Part of some entry's initial load in either build. */
  initial: boolean
  change: SizeChange
}

export interface PackageComparison {
  name: string
  change: SizeChange
}

export interface ReportComparison {
  compression: ReportSizeMode
  entries: EntryComparison[]
  /** Every chunk, initial and lazy (see `ChunkComparison.initial`), largest change first. */
  chunks: ChunkComparison[]
  /** Packages over the whole output. */
  packages: PackageComparison[]
}

export function sizeChange(base: number | undefined, head: number | undefined): SizeChange {
  const b = base ?? 0
  const h = head ?? 0
  const status: ChangeStatus = base === undefined ? 'added' : head === undefined ? 'removed' : h > b ? 'grown' : h < b ? 'shrunk' : 'unchanged'
  return { status, base: b, head: h, delta: h - b, percent: base === undefined || b === 0 ? null : ((h - b) / b) * 100 }
}

function similarity(a: ReportChunk, b: ReportChunk): number {
  const ids = new Set(a.modules.map((m) => m.id))
  const shared = b.modules.filter((m) => ids.has(m.id)).length
  const union = ids.size + b.modules.length - shared
  return union === 0 ? 0 : shared / union
}

/**
 * Pairs chunks across builds: by name without content hash, and, where several chunks share a
 * name (esbuild's `chunk-[hash].js`), by the overlap of their modules.
 */
export function matchChunks(base: readonly ReportChunk[], head: readonly ReportChunk[]): Array<[ReportChunk | undefined, ReportChunk | undefined]> {
  const group = (chunks: readonly ReportChunk[]) => {
    const groups = new Map<string, ReportChunk[]>()
    for (const chunk of chunks) {
      const key = stripContentHash(chunk.file)
      groups.set(key, [...(groups.get(key) ?? []), chunk])
    }
    return groups
  }
  const baseGroups = group(base)
  const headGroups = group(head)
  const pairs: Array<[ReportChunk | undefined, ReportChunk | undefined]> = []
  for (const key of new Set([...baseGroups.keys(), ...headGroups.keys()])) {
    const left = [...(baseGroups.get(key) ?? [])]
    const right = [...(headGroups.get(key) ?? [])]
    if (left.length === 1 && right.length === 1) {
      pairs.push([left[0], right[0]])
      continue
    }
    const candidates = left.flatMap((b) => right.map((h) => ({ b, h, score: similarity(b, h) }))).sort((x, y) => y.score - x.score)
    for (const { b, h, score } of candidates) {
      if (score === 0 || !left.includes(b) || !right.includes(h)) continue
      pairs.push([b, h])
      left.splice(left.indexOf(b), 1)
      right.splice(right.indexOf(h), 1)
    }
    for (const b of left) pairs.push([b, undefined])
    for (const h of right) pairs.push([undefined, h])
  }
  return pairs
}

const byDelta = (a: { change: SizeChange }, b: { change: SizeChange }): number => Math.abs(b.change.delta) - Math.abs(a.change.delta)

/** Everything that changed from `base` to `head`, in one size mode (packages estimated when compressed). */
export function compareReports(base: Report, head: Report, compression: ReportSizeMode = 'raw'): ReportComparison {
  const baseChunks = indexChunks(base)
  const headChunks = indexChunks(head)
  const entryFigures = (report: Report, chunks: typeof baseChunks) =>
    new Map(
      report.entries.map((e) => [
        e.name,
        { initial: sumFiles(e.initialFiles, chunks, compression), total: sumFiles(totalFiles(report, e.file, chunks), chunks, compression) },
      ]),
    )
  const baseEntries = entryFigures(base, baseChunks)
  const headEntries = entryFigures(head, headChunks)
  const filesOf = (report: Report, chunks: typeof baseChunks, name: string) => {
    const entry = report.entries.find((e) => e.name === name)
    return entry ? { initial: entry.initialFiles, total: totalFiles(report, entry.file, chunks) } : { initial: [], total: [] }
  }
  const entries: EntryComparison[] = [...new Set([...baseEntries.keys(), ...headEntries.keys()])].map((name) => {
    const b = baseEntries.get(name)
    const h = headEntries.get(name)
    const initial = sizeChange(b?.initial, h?.initial)
    const total = sizeChange(b?.total, h?.total)
    const status: ChangeStatus = !b ? 'added' : !h ? 'removed' : total.status !== 'unchanged' ? total.status : initial.status
    const baseFiles = filesOf(base, baseChunks, name)
    const headFiles = filesOf(head, headChunks, name)
    return {
      name,
      status,
      initial,
      total,
      initialPackages: changedOnly(comparePackages(baseFiles.initial, baseChunks, headFiles.initial, headChunks, compression)),
      totalPackages: changedOnly(comparePackages(baseFiles.total, baseChunks, headFiles.total, headChunks, compression)),
    }
  })

  const initialFiles = (report: Report) => new Set(report.entries.flatMap((e) => e.initialFiles))
  const baseInitial = initialFiles(base)
  const headInitial = initialFiles(head)
  const baseNames = chunkNames(base)
  const headNames = chunkNames(head)
  const chunks: ChunkComparison[] = matchChunks(base.chunks, head.chunks)
    .map(([b, h]) => ({
      name: stripContentHash((h ?? b)!.file),
      label: (h ? headNames.get(h.file) : baseNames.get(b!.file))!,
      baseFile: b?.file,
      headFile: h?.file,
      initial: (b !== undefined && baseInitial.has(b.file)) || (h !== undefined && headInitial.has(h.file)),
      change: sizeChange(b && chunkSize(b, compression), h && chunkSize(h, compression)),
    }))
    .sort(byDelta)

  const packages = comparePackages(base.chunks.map((c) => c.file), baseChunks, head.chunks.map((c) => c.file), headChunks, compression)
  return { compression, entries, chunks, packages }
}

/** Package sizes over two sets of files, every package of either, largest change first. */
function comparePackages(baseFiles: readonly string[], baseChunks: ChunkIndex, headFiles: readonly string[], headChunks: ChunkIndex, compression: ReportSizeMode): PackageComparison[] {
  const basePackages = new Map(packageSizes(baseFiles, baseChunks, compression).map((p) => [p.name, p.bytes]))
  const headPackages = new Map(packageSizes(headFiles, headChunks, compression).map((p) => [p.name, p.bytes]))
  return [...new Set([...basePackages.keys(), ...headPackages.keys()])]
    .map((name) => ({ name, change: sizeChange(basePackages.get(name), headPackages.get(name)) }))
    .sort(byDelta)
}

/** Only what changed. */
export function changedOnly<T extends { change: SizeChange }>(rows: readonly T[]): T[] {
  return rows.filter((row) => row.change.status !== 'unchanged')
}
