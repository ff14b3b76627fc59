import type { Report } from 'unplugin-cli-optimizer'
import { findOpportunities } from '../packages/unplugin-cli-optimizer/src/report/opportunities.js'

/**
 * Advice the report must never give (issue 17): a deferral for something a refusal says every
 * start needs, anything inside `node_modules`, anything about the plugin's own runtime. Returns
 * one line per violation, so a failing test prints what was wrong.
 */
export function adviceContradictions(report: Report): string[] {
  const problems: string[] = []
  const neededAtStart = new Set(
    report.transforms
      .filter((t) => t.kind === 'lazy-import' && !t.applied && /used at top level|side-effect-only import|re-export/.test(t.reason) && typeof t.source === 'string')
      .map((t) => `${t.importer}\0${t.source as string}`),
  )
  for (const o of findOpportunities(report)) {
    const where = `${o.kind} ${o.subject} (${o.location ?? ''})`
    if (/node_modules/.test(o.subject) || /node_modules/.test(o.location ?? '')) problems.push(`${where} points into node_modules`)
    if (o.subject.startsWith('@cli-optimizer/') || /packages\/runtime\//.test(`${o.subject} ${o.location ?? ''}`)) problems.push(`${where} is about the plugin's own runtime`)
    if (o.kind === 'async-only-in-initial') {
      for (const key of neededAtStart) {
        const [importer, source] = key.split('\0')
        if (source === o.subject && report.entries.some((e) => e.initialFiles.length > 0) && importer) {
          const initial = new Set(report.entries.flatMap((e) => e.initialFiles))
          const importerInitial = report.chunks.some((c) => initial.has(c.file) && c.modules.some((m) => m.id.replace(/[?#].*$/, '') === importer))
          if (importerInitial) problems.push(`${where} contradicts the refusal at ${importer}: used at top level on the start path`)
        }
      }
    }
  }
  return problems
}
