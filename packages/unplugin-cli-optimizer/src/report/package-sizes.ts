import type { ChunkIndex } from './load-views.js'
import { shareOfChunk } from './size-mode.js'
import type { Report, ReportSizeMode } from './report-types.js'

/** Name the app's own code goes by wherever packages are listed. */
export const APP_PACKAGE = '[app]'
/** Bytes of a chunk no module accounts for (bundler runtime, wrappers): listed on their own. */
export const UNATTRIBUTED_ID = '[unattributed]'

export interface PackageSize {
  /** npm package name, `[app]` for the app's own code, `[unattributed]` for bytes no module accounts for. */
  name: string
  bytes: number
  modules: number
}

/** Bytes per package over a set of files, largest first (compressed modes are estimates). */
export function packageSizes(files: readonly string[], chunks: ChunkIndex, mode: ReportSizeMode): PackageSize[] {
  const sizes = new Map<string, PackageSize>()
  for (const file of files) {
    const chunk = chunks.get(file)
    if (!chunk) continue
    for (const module of chunk.modules) {
      const name = module.package ?? (module.id === UNATTRIBUTED_ID ? UNATTRIBUTED_ID : APP_PACKAGE)
      const size = sizes.get(name) ?? { name, bytes: 0, modules: 0 }
      size.bytes += shareOfChunk(module.bytes, chunk, mode)
      size.modules += 1
      sizes.set(name, size)
    }
  }
  return [...sizes.values()].sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name))
}

/** Largest modules over a set of files, as `{ name: module id, bytes }`. */
export function moduleSizes(files: readonly string[], chunks: ChunkIndex, mode: ReportSizeMode): Array<{ name: string; bytes: number }> {
  const modules: Array<{ name: string; bytes: number }> = []
  for (const file of files) {
    const chunk = chunks.get(file)
    if (!chunk) continue
    for (const module of chunk.modules) modules.push({ name: module.id, bytes: shareOfChunk(module.bytes, chunk, mode) })
  }
  return modules.sort((a, b) => b.bytes - a.bytes)
}

export interface PackageInstance {
  /** The package's folder as module ids show it: `…/node_modules/a/node_modules/semver`. */
  path: string
  bytes: number
  modules: number
}

export interface DuplicatePackage {
  name: string
  /** Every copy in the output, largest first. */
  instances: PackageInstance[]
  /** Bytes of every copy but the largest: what deduplicating would save at most. */
  wastedBytes: number
}

/** The package folder a module belongs to (after the last `node_modules/`), or undefined. */
export function packageInstancePath(id: string): string | undefined {
  // Virtual modules (`prefix:/abs/node_modules/pkg/…`) generated from a package are not a copy of it.
  if (/^[a-z][\w+.-]*:/i.test(id)) return undefined
  const at = id.lastIndexOf('node_modules/')
  if (at === -1 || (at > 0 && id[at - 1] !== '/')) return undefined
  const rest = id.slice(at + 'node_modules/'.length).split('/')
  const depth = rest[0]?.startsWith('@') ? 2 : 1
  if (rest.length <= depth) return undefined
  return id.slice(0, at) + 'node_modules/' + rest.slice(0, depth).join('/')
}

/** Packages bundled more than once (several install folders of one name), in raw bytes. */
export function duplicatePackages(report: Report): DuplicatePackage[] {
  const byName = new Map<string, Map<string, PackageInstance>>()
  for (const chunk of report.chunks) {
    for (const module of chunk.modules) {
      if (!module.package) continue
      const instancePath = packageInstancePath(module.id)
      if (!instancePath) continue
      const instances = byName.get(module.package) ?? new Map<string, PackageInstance>()
      const instance = instances.get(instancePath) ?? { path: instancePath, bytes: 0, modules: 0 }
      instance.bytes += module.bytes
      instance.modules += 1
      instances.set(instancePath, instance)
      byName.set(module.package, instances)
    }
  }
  const duplicates: DuplicatePackage[] = []
  for (const [name, instances] of byName) {
    if (instances.size < 2) continue
    const sorted = [...instances.values()].sort((a, b) => b.bytes - a.bytes)
    duplicates.push({ name, instances: sorted, wastedBytes: sorted.slice(1).reduce((sum, i) => sum + i.bytes, 0) })
  }
  return duplicates.sort((a, b) => b.wastedBytes - a.wastedBytes)
}
