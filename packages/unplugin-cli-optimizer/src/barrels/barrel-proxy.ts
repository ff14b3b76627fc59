import { statSync } from 'node:fs'
import path from 'node:path'
import type { GraphResolve } from '../adapters/resolve-interceptor.js'
import type { ReportTransform } from '../report/report-types.js'
import type { DeclaredSideEffects } from '../treeshake/package-side-effects.js'
import type { ImportDeclarationFact, ModuleFacts } from './module-facts.js'
import type { ModuleGraph } from './module-graph.js'
import { traceExport, type ExportOrigin } from './trace-export.js'

export interface BarrelEnv {
  graph: ModuleGraph
  resolve: GraphResolve
  displayId(id: string): string
  /** `barrels.include`/`exclude`: whether imports of this specifier, landing on `id`, may be rewritten. */
  isCandidate(specifier: string, id: string): boolean
  /** What the package of a module declares about its side effects. */
  declaredSideEffects(id: string): DeclaredSideEffects
  /** Whether `barrels.include` names this barrel explicitly (not just "everything"). */
  explicitlyIncluded(specifier: string, id: string): boolean
}

/**
 * What happens to the imports of one specifier in one importer. `proxy` is the source of the
 * module the imports load instead of the barrel: one re-export per name, straight from the
 * module that defines it; `key` names it (same names of the same barrel, same module).
 */
export interface BarrelPlan {
  transforms: ReportTransform[]
  proxy: { key: string; code: string; resolveDir: string } | undefined
}

/** A module that passes names on: it re-exports at least one name from elsewhere. */
export function reexportsAnything(facts: ModuleFacts): boolean {
  if (facts.format === 'esm') return facts.starSources.length > 0 || facts.exports.some((e) => e.kind === 'reexport')
  if (facts.format === 'cjs') return (facts.cjsExports ?? []).some((e) => e.source !== null)
  return false
}

function quoteName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)
}

/**
 * Plans the imports of `specifier` (resolved to `barrelId`) by `importer`: `import { a, b as c }`,
 * `import d`, `export { a } from`, and `import * as ns` read only as `ns.member`. The names are
 * traced to their defining modules through the barrel's re-exports; the plan is refused (and
 * says why) when any name cannot be traced statically, a namespace escapes, the importer also
 * needs the barrel itself (`export *`, side-effect import, `import()`, `require`), or skipping
 * the barrel would skip a side effect.
 */
export async function planBarrelImport(importer: string, importerFacts: ModuleFacts, specifier: string, barrelId: string, env: BarrelEnv): Promise<BarrelPlan> {
  const declarations = importerFacts.imports.filter((d) => d.source === specifier)
  if (declarations.length === 0 || !env.isCandidate(specifier, barrelId)) return { transforms: [], proxy: undefined }
  const barrelFacts = await env.graph.facts(barrelId)
  if (!barrelFacts || !reexportsAnything(barrelFacts)) return { transforms: [], proxy: undefined }
  if (env.declaredSideEffects(barrelId) === false && !env.explicitlyIncluded(specifier, barrelId)) {
    // Every bundler already skips the unused re-exports of such a package; a rewrite would only
    // save parse time, and reordering its modules perturbs the bundler's inlining by a few bytes.
    // Said once per import of the app, not for the package's imports of its own modules.
    if (/[\\/]node_modules[\\/]/.test(importer)) return { transforms: [], proxy: undefined }
    return {
      transforms: declarations.map((declaration) => ({
        kind: 'barrel',
        applied: false,
        reason: 'kept: the package declares "sideEffects": false, so the bundler already drops unused re-exports; list it in barrels.include to rewrite anyway (faster builds)',
        importer: env.displayId(importer),
        line: declaration.line,
        column: declaration.column,
        source: specifier,
        names: namesOf(declaration, barrelFacts.format === 'cjs'),
        targets: [],
      })),
      proxy: undefined,
    }
  }

  const names = new Set<string>()
  // `import semver from 'semver'` read only as `semver.gt`: the default of a CommonJS barrel is
  // its `module.exports` object, rebuilt in the proxy from just the members read.
  const defaultMembers = new Set<string>()
  let refusal: string | undefined
  for (const declaration of declarations) {
    const members = barrelFacts.format === 'cjs' && declaration.kind === 'import' ? declaration.defaultMembers : undefined
    const asked = wantedNames(declaration, members !== undefined && members !== null)
    if (members) for (const member of members) defaultMembers.add(member)
    if (typeof asked === 'string') refusal ??= asked
    else for (const name of asked) names.add(name)
  }
  for (const member of defaultMembers) names.add(member)
  if (importerFacts.starSources.includes(specifier)) refusal ??= 'kept: `export * from` in the importer re-exports every name of the barrel'
  if (importerFacts.dynamicImports.includes(specifier) || importerFacts.dependencies.some((d) => d.kind === 'require' && d.source === specifier)) {
    refusal ??= 'kept: the importer also loads the barrel with import() or require(), which needs all of it'
  }

  const origins = new Map<string, ExportOrigin>()
  if (!refusal) {
    for (const name of names) {
      const traced = await traceExport(env.graph, env.resolve, barrelId, name)
      if (!traced.ok) {
        refusal = `kept: ${name}: ${traced.reason}`
        break
      }
      if (traced.origin.id === barrelId) {
        refusal = `kept: ${name} is defined in the barrel itself`
        break
      }
      origins.set(name, traced.origin)
    }
  }
  if (!refusal) {
    const safety = await skippingRefusal(barrelId, [...origins.values()], env)
    refusal = typeof safety === 'string' ? safety : undefined
    if (!refusal && [...origins.values()].some((o) => o.commonJs)) {
      const skippedBytes = [...(safety as Set<string>)].reduce((sum, id) => sum + fileSize(id), 0)
      if (skippedBytes < MIN_COMMONJS_SAVING) {
        refusal = `kept: the modules skipped weigh ${skippedBytes} bytes, less than the CommonJS interop a rewrite into CommonJS modules can add`
      }
    }
  }

  const targets = refusal ? [] : [...new Set([...origins.values()].map((o) => env.displayId(o.id)))]
  const transforms: ReportTransform[] = declarations.map((declaration) => ({
    kind: 'barrel',
    applied: !refusal,
    reason:
      refusal ??
      `imports go straight to the defining module${targets.length > 1 ? 's' : ''}; the barrel and what only it needs are no longer evaluated`,
    importer: env.displayId(importer),
    line: declaration.line,
    column: declaration.column,
    source: specifier,
    names: namesOf(declaration, barrelFacts.format === 'cjs'),
    targets,
  }))
  if (refusal) return { transforms, proxy: undefined }

  const sorted = [...names].sort()
  // Re-exports in the order the barrel evaluated their modules (breadth-first approximation).
  const order = [...((await env.graph.closure(env.resolve, barrelId, (id) => env.declaredSideEffects(id) === false)) ?? [])]
  const rank = (name: string): number => order.indexOf(origins.get(name)!.id)
  const defaultObject = [...defaultMembers].sort((a, b) => rank(a) - rank(b))
  const defaultLines = defaultObject.map((name, index) => `import __cli_optimizer_default_${index} from ${JSON.stringify(origins.get(name)!.id)};`)
  if (defaultObject.length > 0) {
    defaultLines.push(`export default { ${defaultObject.map((name, index) => `${JSON.stringify(name)}: __cli_optimizer_default_${index}`).join(', ')} };`)
  }
  const namedOnly = sorted.filter((name) => !defaultMembers.has(name) || declarations.some((d) => d.specifiers.some((spec) => spec.imported === name)))
  const code = [...defaultLines, ...[...namedOnly]
    .sort((a, b) => rank(a) - rank(b))
    .map((name) => {
      const origin = origins.get(name)!
      const from = JSON.stringify(origin.id)
      if (origin.commonJs) return `export { default as ${quoteName(name)} } from ${from};`
      if (origin.name === '*') return `export * as ${quoteName(name)} from ${from};`
      return origin.name === name ? `export { ${quoteName(name)} } from ${from};` : `export { ${quoteName(origin.name)} as ${quoteName(name)} } from ${from};`
    })]
    .join('\n')
  const defaultKey = defaultObject.length > 0 ? `&default=${[...defaultMembers].sort().join(',')}` : ''
  return { transforms, proxy: { key: `${barrelId}?names=${namedOnly.join(',')}${defaultKey}`, code: `${code}\n`, resolveDir: path.dirname(barrelId) } }
}

function namesOf(declaration: ImportDeclarationFact, commonJsBarrel: boolean): string[] {
  const names: string[] = []
  for (const spec of declaration.specifiers) {
    if (spec.typeOnly) continue
    if (spec.imported === 'default' && commonJsBarrel && declaration.defaultMembers) {
      names.push(...declaration.defaultMembers.map((m) => `${spec.local}.${m}`))
      continue
    }
    if (spec.imported === '*' && declaration.namespaceMembers) names.push(...declaration.namespaceMembers.map((m) => `${spec.local}.${m}`))
    else names.push(spec.imported)
  }
  return names
}

/** Names a declaration takes from the barrel, or why it needs the barrel itself. */
function wantedNames(declaration: ImportDeclarationFact, defaultAsMembers: boolean): string[] | string {
  const names: string[] = []
  if (declaration.specifiers.length === 0) return 'kept: a side-effect import (`import "…"`) evaluates the whole barrel'
  const specifiers = declaration.specifiers.filter((s) => !s.typeOnly && !(defaultAsMembers && s.imported === 'default'))
  for (const spec of specifiers) {
    if (spec.imported !== '*') {
      names.push(spec.imported)
      continue
    }
    if (declaration.kind === 'export-from') return 'kept: `export * as ns` re-exports the whole namespace object'
    if (!declaration.namespaceMembers) return `kept: namespace ${spec.local} escapes (used other than as ${spec.local}.member), so it must stay a real namespace object`
    names.push(...declaration.namespaceMembers)
  }
  return names
}

/**
 * Skipping the barrel stops evaluating every module only it needed. That is safe when each of
 * them is free of top-level effects, calls only into modules skipped too, or belongs to a
 * package that declares it droppable; and, when the names come from several modules, none of
 * what they evaluate has observable effects whose order could change. Returns why not, or the
 * modules skipped.
 */
async function skippingRefusal(barrelId: string, origins: ExportOrigin[], env: BarrelEnv): Promise<string | Set<string>> {
  const { graph, resolve } = env
  // A module its package declares droppable is one the bundler itself drops, with what only it
  // imports, when unused: the walk need not look behind it.
  const isLeaf = (id: string): boolean => env.declaredSideEffects(id) === false
  const barrelClosure = await graph.closure(resolve, barrelId, isLeaf)
  if (!barrelClosure) return 'kept: a module behind the barrel cannot be resolved or analysed'
  const kept = new Set<string>()
  for (const origin of new Set(origins.map((o) => o.id))) {
    const closure = await graph.closure(resolve, origin, isLeaf)
    if (!closure) return `kept: a dependency of ${env.displayId(origin)} cannot be resolved or analysed`
    for (const id of closure) kept.add(id)
  }
  const skipped = new Set([...barrelClosure].filter((id) => !kept.has(id)))
  for (const id of skipped) {
    if (env.declaredSideEffects(id) === false) continue
    const facts = await graph.facts(id)
    if (!facts) return `kept: ${env.displayId(id)} cannot be analysed`
    for (const finding of facts.findings) {
      if (finding.kind === 'imported-call' && finding.source !== undefined) {
        // A call into a module that is skipped too cannot change what the program still sees.
        const kind = facts.dependencies.some((d) => d.kind === 'require' && d.source === finding.source) ? 'require' : 'import'
        const callee = await graph.resolve(resolve, finding.source, id, kind)
        if (callee.kind === 'file' && skipped.has(callee.id)) continue
      }
      return `kept: skipping the barrel would skip a top-level effect of ${env.displayId(id)} (${finding.kind}: ${finding.detail})`
    }
  }
  if (new Set(origins.map((o) => o.id)).size > 1) {
    for (const id of kept) {
      if (env.declaredSideEffects(id) === false) continue
      const effect = (await graph.facts(id))?.findings.find((f) => f.observable)
      if (effect) return `kept: ${env.displayId(id)} has an observable top-level effect (${effect.kind}) whose order the rewrite could change`
    }
  }
  return skipped
}

/**
 * Importing a CommonJS module's default from ESM makes some bundlers (Rolldown) add an interop
 * helper (`__toESM`, ~0.7 KB) a named import of the barrel did not need: below this much skipped
 * source the rewrite would not pay for itself.
 */
const MIN_COMMONJS_SAVING = 4096

function fileSize(id: string): number {
  try {
    return statSync(id).size
  } catch {
    return 0
  }
}
