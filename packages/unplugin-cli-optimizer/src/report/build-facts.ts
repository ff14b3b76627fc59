import path from 'node:path'
import { indexChunks, totalFiles } from './load-views.js'
import { packageOfSpecifier } from './package-imports.js'
import type { Report, ReportTransform } from './report-types.js'

/**
 * The app's own source: not inside `node_modules`, not outside the project root (the plugin's
 * runtime in a workspace checkout), not virtual. Advice only ever points here.
 */
export function isAppModule(id: string): boolean {
  const file = id.replace(/[?#].*$/, '')
  if (/(^|\/)node_modules\//.test(file) || file.startsWith('../') || path.isAbsolute(file)) return false
  return !file.startsWith('[') && !/^[a-z][\w+.-]*:/i.test(file) && !file.includes('\0')
}

export interface Placement {
  file: string
  bytes: number
  initial: boolean
  package: string | null
}

/** Facts about where every module and package landed, computed once per report. */
export class BuildFacts {
  readonly initialFiles: Set<string>
  /** Module id (query stripped) → where its bytes are; a module split over chunks is summed. */
  readonly modules = new Map<string, Placement>()
  readonly #initialPackageBytes = new Map<string, number>()
  readonly #initialPackageFiles = new Map<string, Set<string>>()
  readonly #packageBytes = new Map<string, number>()

  constructor(report: Report) {
    this.initialFiles = new Set(report.entries.flatMap((e) => e.initialFiles))
    const chunks = indexChunks(report)
    const reachable = new Set(report.entries.flatMap((e) => totalFiles(report, e.file, chunks)))
    for (const chunk of report.chunks) {
      const initial = this.initialFiles.has(chunk.file)
      for (const m of chunk.modules) {
        const id = m.id.replace(/[?#].*$/, '')
        const placed = this.modules.get(id)
        if (placed) {
          placed.bytes += m.bytes
          placed.initial ||= initial
        } else {
          this.modules.set(id, { file: chunk.file, bytes: m.bytes, initial, package: m.package })
        }
        if (!m.package) continue
        if (reachable.has(chunk.file)) this.#packageBytes.set(m.package, (this.#packageBytes.get(m.package) ?? 0) + m.bytes)
        if (!initial) continue
        this.#initialPackageBytes.set(m.package, (this.#initialPackageBytes.get(m.package) ?? 0) + m.bytes)
        const files = this.#initialPackageFiles.get(m.package) ?? new Set<string>()
        files.add(chunk.file)
        this.#initialPackageFiles.set(m.package, files)
      }
    }
  }

  packageInitialBytes(name: string): number {
    return this.#initialPackageBytes.get(name) ?? 0
  }

  packageInitialFiles(name: string): string[] {
    return [...(this.#initialPackageFiles.get(name) ?? [])]
  }

  packageBytes(name: string): number {
    return this.#packageBytes.get(name) ?? 0
  }

  /** The module a relative specifier names, tried with the extensions bundlers add. */
  resolveRelative(importer: string, specifier: string): string | undefined {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(importer.replace(/[?#].*$/, '')), specifier))
    const stem = base.replace(/\.[cm]?js$/, '')
    for (const candidate of [base, `${base}.js`, `${base}.ts`, `${base}.mjs`, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${base}/index.js`, `${base}/index.ts`]) {
      if (this.modules.has(candidate)) return candidate
    }
    return undefined
  }
}

/** What a lazy import names: a package (bare specifier) or one of the app's modules. */
export type ImportSubject = { kind: 'package'; name: string } | { kind: 'module'; id: string }

export function importSubject(t: ReportTransform, facts: BuildFacts): ImportSubject | undefined {
  const source = typeof t.source === 'string' ? t.source : undefined
  if (source === undefined) return undefined
  const pkg = packageOfSpecifier(source)
  if (pkg) return { kind: 'package', name: pkg }
  if (!source.startsWith('.') || !t.importer) return undefined
  const id = facts.resolveRelative(t.importer, source)
  return id ? { kind: 'module', id } : undefined
}

export function subjectKey(subject: ImportSubject): string {
  return subject.kind === 'package' ? subject.name : subject.id
}
