import { BuildFacts, importSubject, isAppModule, subjectKey } from './build-facts.js'
import { where } from './opportunities.js'
import { refusalRemedy, type RefusalRemedy } from './refusal-remedy.js'
import type { Report } from './report-types.js'

/** One import the plugin could not defer, with what it keeps in the initial load. */
export interface StartupRefusal {
  /** Package name or the app module the import names. */
  subject: string
  /** Raw bytes of the subject in the initial load. */
  bytes: number
  /** `file:line:column` of the first refused import of the subject. */
  location: string
  reason: string
  /** Further refused imports of the same subject. */
  more: number
  remedy: RefusalRemedy
}

/**
 * The app's refused lazy imports whose subject sits in the initial load, largest first: what a
 * user reads to decide which line to change. One row per subject; its first refusal in the
 * "needed at start" sense wins, since that one keeps it there whatever the others do.
 */
export function startupRefusals(report: Report): StartupRefusal[] {
  const facts = new BuildFacts(report)
  const rows = new Map<string, StartupRefusal>()
  for (const t of report.transforms) {
    if (t.kind !== 'lazy-import' || t.applied || !t.importer || !isAppModule(t.importer)) continue
    if (!facts.modules.get(t.importer.replace(/[?#].*$/, ''))?.initial) continue
    const subject = importSubject(t, facts)
    if (!subject) continue
    const bytes = subject.kind === 'package' ? facts.packageInitialBytes(subject.name) : facts.modules.get(subject.id)?.initial ? facts.modules.get(subject.id)!.bytes : 0
    if (bytes === 0) continue
    const key = subjectKey(subject)
    const remedy = refusalRemedy(t.reason)
    const row = rows.get(key)
    if (!row) {
      rows.set(key, { subject: key, bytes, location: where(t), reason: t.reason, more: 0, remedy })
      continue
    }
    row.more++
    if (remedy.verdict === 'needed-at-start' && row.remedy.verdict !== 'needed-at-start') Object.assign(row, { location: where(t), reason: t.reason, remedy })
  }
  // A package another app module on the start path imports outside any lazy-import decision stays
  // there whatever this import does: say so instead of suggesting a change that saves nothing.
  for (const row of rows.values()) {
    if (row.remedy.verdict !== 'deferrable') continue
    const decided = new Set(report.transforms.filter((t) => t.kind === 'lazy-import' && t.importer && importSubject(t, facts) && subjectKey(importSubject(t, facts)!) === row.subject).map((t) => t.importer!.replace(/[?#].*$/, '')))
    const eager = (report.packageImports ?? []).find((u) => u.package === row.subject)?.importers.filter((i) => !decided.has(i) && isAppModule(i) && facts.modules.get(i)?.initial) ?? []
    if (eager.length > 0) row.remedy = { verdict: 'needed-at-start', change: `${row.remedy.change}, and defer it in ${eager.join(', ')}, which import${eager.length === 1 ? 's' : ''} it eagerly` }
  }
  return [...rows.values()].sort((a, b) => b.bytes - a.bytes || a.subject.localeCompare(b.subject))
}
