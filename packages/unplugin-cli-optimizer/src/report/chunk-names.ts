import { stripContentHash } from '../compare/strip-hash.js'
import { UNATTRIBUTED_ID as UNATTRIBUTED } from './package-sizes.js'
import type { Report, ReportChunk } from './report-types.js'

/** Command names of the command manifest, keyed by the command's source module id. */
export function commandNames(report: Report): Map<string, string> {
  const names = new Map<string, string>()
  for (const t of report.transforms) {
    if (t.kind === 'command-manifest' && typeof t.source === 'string' && typeof t.command === 'string') names.set(t.source, t.command)
  }
  return names
}

/** The module a lazy import of the app loads, by the chunk holding it (from applied lazy imports). */
function lazyTargets(report: Report): Set<string> {
  const targets = new Set<string>()
  for (const t of report.transforms) {
    if (t.kind !== 'lazy-import' || !t.applied || typeof t.source !== 'string') continue
    targets.add(t.source)
  }
  return targets
}

function stem(id: string): string {
  return id.replace(/[?#].*$/, '').replace(/^.*\//, '').replace(/\.[^.]*$/, '')
}

/**
 * What a chunk holds, in words a user recognises: the command it runs, else the package that
 * makes up most of it (`yaml`, `ioredis`), else the app module it starts from. Bundlers name
 * chunks after a file's base name (`index`, `dist`, `built`, `log`), which says little and is
 * often the same for several chunks.
 */
function describeChunk(chunk: ReportChunk, commands: ReadonlyMap<string, string>, targets: ReadonlySet<string>): string {
  if (chunk.isEntry) return stripContentHash(chunk.file).replace(/\.[cm]?js$/, '')
  const command = chunk.modules.map((m) => commands.get(m.id.replace(/[?#].*$/, ''))).find((name) => name !== undefined)
  if (command) return command
  const modules = chunk.modules.filter((m) => m.id !== UNATTRIBUTED)
  const own = modules.filter((m) => m.package === null)
  const byPackage = new Map<string, number>()
  for (const m of modules) if (m.package) byPackage.set(m.package, (byPackage.get(m.package) ?? 0) + m.bytes)
  const packages = [...byPackage].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  const ownBytes = own.reduce((sum, m) => sum + m.bytes, 0)
  if (packages.length > 0 && packages[0]![1] >= ownBytes) {
    const more = packages.length - 1
    return more > 0 ? `${packages[0]![0]} +${more} package${more === 1 ? '' : 's'}` : packages[0]![0]
  }
  if (own.length > 0) {
    // Bundlers name a chunk after the module it starts from; a lazy import names that module too.
    const fileStem = stripContentHash(chunk.file).replace(/^.*\//, '').replace(/\.[cm]?js$/, '').replace(/[-.]\[hash\]$/, '')
    const start = own.find((m) => stem(m.id) === fileStem) ?? own.find((m) => [...targets].some((t) => stem(t) === stem(m.id))) ?? own[0]!
    return start.id.replace(/[?#].*$/, '')
  }
  return stripContentHash(chunk.file).replace(/\.[cm]?js$/, '')
}

/**
 * A name per chunk, unique within the report: `describeChunk`, and where two chunks would share
 * one, the chunk's file name (without hash) after it.
 */
export function chunkNames(report: Report): Map<string, string> {
  const commands = commandNames(report)
  const targets = lazyTargets(report)
  const names = new Map(report.chunks.map((c) => [c.file, describeChunk(c, commands, targets)]))
  const counts = new Map<string, number>()
  for (const name of names.values()) counts.set(name, (counts.get(name) ?? 0) + 1)
  const used = new Set<string>()
  for (const [file, name] of names) {
    let unique = counts.get(name)! > 1 ? `${name} (${stripContentHash(file)})` : name
    for (let n = 2; used.has(unique); n++) unique = `${name} (${stripContentHash(file)} #${n})`
    used.add(unique)
    names.set(file, unique)
  }
  return names
}
