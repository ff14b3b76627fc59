import { BuildFacts, importSubject, isAppModule, subjectKey, type ImportSubject } from './build-facts.js'
import { duplicatePackages, packageInstancePath } from './package-sizes.js'
import { refusalRemedy } from './refusal-remedy.js'
import { formatBytes } from './size-mode.js'
import type { Report, ReportTransform } from './report-types.js'

export type OpportunityKind = 'async-only-in-initial' | 'duplicate-package' | 'dead-exports' | 'large-dependency'

/** Something the user can change in their own code or dependencies, checked against the build. */
export interface Opportunity {
  kind: OpportunityKind
  /** Module id (the app's own) or package name the advice is about. */
  subject: string
  /**
   * Raw bytes the change would take out of the initial load (bytes every start reads), as
   * measured in this build; `undefined` when the build cannot tell (dead exports the bundler
   * may already leave out).
   */
  startupBytes: number | undefined
  /** Raw bytes the change would take out of the whole output; `undefined` when unknown. */
  savedBytes: number | undefined
  /** What to do, in one sentence. */
  advice: string
  /** Where in the app's code, `file:line:column`, when the advice is about one place. */
  location: string | undefined
  /** The report facts the advice rests on: chunks, importers, refusal reasons, export names. */
  detail: string
}

/** A package this large, imported for a single name, is worth a second look. */
export const LARGE_DEPENDENCY_BYTES = 8 * 1024

/** Packages whose size is the plugin's own doing, never the user's to replace or trim. */
const OWN_PACKAGES = new Set(['@cli-optimizer/runtime', 'unplugin-cli-optimizer'])

export function where(t: ReportTransform): string {
  if (!t.importer) return ''
  return t.line === undefined ? t.importer : `${t.importer}:${t.line}:${t.column ?? 1}`
}

/**
 * Refused lazy imports the importer's author can turn into deferrals, with what each keeps in the
 * initial load. A subject drops out as soon as the build shows it is needed on every start anyway:
 * a refusal saying so (top-level use, side-effect import, re-export), or, for a package, an app
 * module in the initial load that imports it without any lazy-import decision about it.
 */
function deferrableImports(report: Report, facts: BuildFacts): Opportunity[] {
  const lazy = report.transforms.filter((t) => t.kind === 'lazy-import' && t.importer !== undefined && isAppModule(t.importer))
  const bySubject = new Map<string, { subject: ImportSubject; refusals: ReportTransform[]; neededAtStart: boolean; importers: Set<string> }>()
  for (const t of lazy) {
    const subject = importSubject(t, facts)
    if (!subject) continue
    const key = subjectKey(subject)
    const entry = bySubject.get(key) ?? { subject, refusals: [], neededAtStart: false, importers: new Set<string>() }
    entry.importers.add(t.importer!.replace(/[?#].*$/, ''))
    // Only an importer that is itself loaded on start keeps the import there.
    if (!t.applied && facts.modules.get(t.importer!.replace(/[?#].*$/, ''))?.initial) {
      const { verdict } = refusalRemedy(t.reason)
      if (verdict === 'needed-at-start') entry.neededAtStart = true
      if (verdict === 'deferrable') entry.refusals.push(t)
    }
    bySubject.set(key, entry)
  }

  const found: Opportunity[] = []
  for (const { subject, refusals, neededAtStart, importers } of bySubject.values()) {
    if (neededAtStart || refusals.length === 0) continue
    let startupBytes: number
    let savedFrom: string
    if (subject.kind === 'package') {
      if (OWN_PACKAGES.has(subject.name)) continue
      startupBytes = facts.packageInitialBytes(subject.name)
      // Another app module on the start path imports it with no lazy-import decision: it stays.
      const eager = (report.packageImports ?? [])
        .find((u) => u.package === subject.name)
        ?.importers.filter((i) => !importers.has(i) && isAppModule(i) && facts.modules.get(i)?.initial)
      if (eager && eager.length > 0) continue
      savedFrom = facts.packageInitialFiles(subject.name).join(', ')
    } else {
      const placed = facts.modules.get(subject.id)
      if (!placed?.initial) continue
      startupBytes = placed.bytes
      savedFrom = placed.file
    }
    if (startupBytes === 0) continue
    const first = refusals[0]!
    const changes = [...new Set(refusals.map((t) => `${where(t)}: ${refusalRemedy(t.reason).change}`))]
    found.push({
      kind: 'async-only-in-initial',
      subject: subjectKey(subject),
      startupBytes,
      savedBytes: 0,
      advice:
        refusals.length === 1
          ? `${refusalRemedy(first.reason).change}: the plugin then defers it to first use`
          : `${changes.length} imports keep it on every start; change each (${changes.join('; ')}) and the plugin defers it to first use`,
      location: where(first),
      detail: `${formatBytes(startupBytes)} in the initial load (${savedFrom}); refused: ${refusals.map((t) => `${where(t)} ${t.reason}`).join('; ')}`,
    })
  }
  return found
}

/** Duplicate packages, with what the copies beyond the largest add to the initial load. */
function duplicates(report: Report, facts: BuildFacts): Opportunity[] {
  return duplicatePackages(report).map((duplicate) => {
    const initialCopies = duplicate.instances
      .map((i) => ({ ...i, initialBytes: [...facts.modules].filter(([id, p]) => p.initial && packageInstancePath(id) === i.path).reduce((sum, [, p]) => sum + p.bytes, 0) }))
      .filter((i) => i.initialBytes > 0)
      .sort((a, b) => b.initialBytes - a.initialBytes)
    return {
      kind: 'duplicate-package' as const,
      subject: duplicate.name,
      startupBytes: initialCopies.slice(1).reduce((sum, i) => sum + i.initialBytes, 0),
      savedBytes: duplicate.wastedBytes,
      advice: `bundled ${duplicate.instances.length} times: align the versions your dependencies ask for (npm dedupe, overrides) so one copy is enough`,
      location: undefined,
      detail: duplicate.instances.map((i) => `${i.path} (${formatBytes(i.bytes)})`).join(', '),
    }
  })
}

/** Dead exports of the app's own modules; packages' and the runtime's exports are not the user's to delete. */
function deadExports(report: Report, facts: BuildFacts): Opportunity[] {
  const byModule = new Map<string, { names: string[]; bytes: number }>()
  for (const dead of report.deadExports ?? []) {
    if (!isAppModule(dead.module) || facts.modules.get(dead.module)?.package) continue
    const entry = byModule.get(dead.module) ?? { names: [], bytes: 0 }
    entry.names.push(dead.name)
    entry.bytes += dead.bytes
    byModule.set(dead.module, entry)
  }
  return [...byModule].map(([module, dead]) => ({
    kind: 'dead-exports' as const,
    subject: module,
    // Source bytes: the bundler may already leave these declarations out of the output.
    startupBytes: undefined,
    savedBytes: dead.bytes,
    advice: 'exports nothing imports: delete them, or mark the module side-effect free so the bundler drops them',
    location: module,
    detail: `${dead.names.join(', ')} (${formatBytes(dead.bytes)} of source)`,
  }))
}

/** A large package the app's own code imports for one named export. */
function largeDependencies(report: Report, facts: BuildFacts): Opportunity[] {
  const found: Opportunity[] = []
  for (const usage of report.packageImports ?? []) {
    if (OWN_PACKAGES.has(usage.package)) continue
    const importers = usage.importers.filter(isAppModule)
    const bytes = facts.packageBytes(usage.package)
    const named = usage.names.filter((n) => n !== '*' && n !== 'default')
    if (importers.length === 0 || bytes < LARGE_DEPENDENCY_BYTES || named.length !== 1 || named.length !== usage.names.length) continue
    const startupBytes = facts.packageInitialBytes(usage.package)
    found.push({
      kind: 'large-dependency',
      subject: usage.package,
      startupBytes,
      savedBytes: bytes,
      advice: `${formatBytes(bytes)} bundled for one import (${named[0]}): import a smaller subpath, a lighter package, or a few lines of your own`,
      location: importers[0],
      detail: `imported by ${importers.join(', ')}; ${startupBytes > 0 ? `${formatBytes(startupBytes)} of it in the initial load` : 'none of it in the initial load'}`,
    })
  }
  return found
}

/** Every opportunity the report supports, largest saving at startup first, then largest saving overall. */
export function findOpportunities(report: Report): Opportunity[] {
  const facts = new BuildFacts(report)
  return [...deferrableImports(report, facts), ...duplicates(report, facts), ...deadExports(report, facts), ...largeDependencies(report, facts)].sort(
    (a, b) => (b.startupBytes ?? -1) - (a.startupBytes ?? -1) || (b.savedBytes ?? -1) - (a.savedBytes ?? -1) || a.subject.localeCompare(b.subject),
  )
}
