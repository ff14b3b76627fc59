import type { GraphResolve } from '../adapters/resolve-interceptor.js'
import type { ModuleGraph } from './module-graph.js'

/**
 * Where an exported name is really defined. `name` is the export to import from `id`: a name,
 * `default`, or `*` for the module's namespace. `commonJs` means `id` is a CommonJS module whose
 * whole `module.exports` is the value (import its default).
 */
export interface ExportOrigin {
  id: string
  name: string
  commonJs: boolean
  /** Modules the trace passed through (the barrels a rewrite would skip), first to last. */
  via: string[]
}

export type TraceResult = { ok: true; origin: ExportOrigin } | { ok: false; reason: string }

const MAX_DEPTH = 32

/**
 * Follows `name` from module `id` through `export … from`, `export *`, `export * as ns`,
 * imported-then-exported bindings, default re-exports and CommonJS `module.exports = { x:
 * require('./x') }` objects, to the module that defines it.
 */
export async function traceExport(graph: ModuleGraph, resolver: GraphResolve, id: string, name: string): Promise<TraceResult> {
  const via: string[] = []
  let current = id
  let wanted = name
  const seen = new Set<string>()
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const key = `${current}\0${wanted}`
    if (seen.has(key)) return { ok: false, reason: `circular re-export of ${wanted}` }
    seen.add(key)
    const facts = await graph.facts(current)
    if (!facts) return { ok: false, reason: `cannot analyse ${current}` }
    const done = (commonJs = false): TraceResult => ({ ok: true, origin: { id: current, name: wanted, commonJs, via } })
    if (wanted === '*') return done()

    if (facts.format === 'cjs') {
      if (facts.dynamicExports) return { ok: false, reason: 'dynamic export pattern (CommonJS exports not a static object)' }
      if (facts.esModuleFlag) return { ok: false, reason: 'CommonJS module marked __esModule: default-import interop differs between bundlers' }
      const entry = facts.cjsExports?.filter((e) => e.name === wanted).at(-1)
      if (!entry) return { ok: false, reason: `${wanted} is not among the CommonJS exports` }
      if (entry.source === null) return done()
      const target = await graph.resolve(resolver, entry.source, current, 'require')
      if (target.kind !== 'file') return { ok: false, reason: `${entry.source} does not resolve to a bundled file` }
      const targetFacts = await graph.facts(target.id)
      if (!targetFacts || targetFacts.format !== 'cjs' || targetFacts.esModuleFlag) {
        return { ok: false, reason: `${entry.source} is not a plain CommonJS module` }
      }
      via.push(current)
      return { ok: true, origin: { id: target.id, name: 'default', commonJs: true, via } }
    }
    if (facts.format !== 'esm') return { ok: false, reason: 'not an ES module or a static CommonJS module' }

    const definition = facts.exports.filter((e) => e.name === wanted).at(-1)
    if (definition?.kind === 'local') return done()
    let source: string | undefined
    let imported = wanted
    if (definition) {
      source = definition.source
      imported = definition.imported
    } else if (wanted !== 'default') {
      const candidates: string[] = []
      // Resolved and searched concurrently: a barrel of hundreds of `export *` would otherwise
      // wait for hundreds of resolver round trips one after the other.
      const from = current
      const answers = await Promise.all(
        facts.starSources.map(async (star) => {
          const target = await graph.resolve(resolver, star, from, 'import')
          if (target.kind !== 'file') return { star, error: `export * from ${star} does not resolve to a bundled file` }
          const has = await exportsName(graph, resolver, target.id, wanted, new Set([from]))
          return has === undefined ? { star, error: `cannot list the exports of ${star}` } : { star, has }
        }),
      )
      for (const answer of answers) {
        if ('error' in answer) return { ok: false, reason: answer.error! }
        if (answer.has) candidates.push(answer.star)
      }
      if (candidates.length > 1) return { ok: false, reason: `${wanted} is exported by several export * sources` }
      source = candidates[0]
    }
    if (source === undefined) return { ok: false, reason: `${wanted} is not a static export` }
    const target = await graph.resolve(resolver, source, current, 'import')
    if (target.kind !== 'file') return { ok: false, reason: `${source} does not resolve to a bundled file` }
    via.push(current)
    current = target.id
    wanted = imported
  }
  return { ok: false, reason: 're-export chain too deep' }
}

/** Whether a module exports `name` (directly or through `export *`); `undefined` when unknowable. */
async function exportsName(graph: ModuleGraph, resolver: GraphResolve, id: string, name: string, seen: Set<string>): Promise<boolean | undefined> {
  if (seen.has(id)) return false
  seen.add(id)
  const facts = await graph.facts(id)
  if (!facts) return undefined
  if (facts.format === 'cjs') return facts.dynamicExports ? undefined : (facts.cjsExports ?? []).some((e) => e.name === name)
  if (facts.format !== 'esm') return false
  if (facts.exports.some((e) => e.name === name)) return true
  const answers = await Promise.all(
    facts.starSources.map(async (star) => {
      const target = await graph.resolve(resolver, star, id, 'import')
      if (target.kind !== 'file') return undefined
      return exportsName(graph, resolver, target.id, name, seen)
    }),
  )
  if (answers.includes(undefined)) return undefined
  return answers.includes(true)
}
