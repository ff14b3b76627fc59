/**
 * What the plugin must do with each import edge of a generated program, from the model alone
 * (docs/lazy-imports.md, "Synchronous deferral", "Registrars", "Side-effect analysis"). The
 * verdicts are conservative: `defer` only where the rules certainly allow it, `stay` only where
 * they certainly refuse it, `either` for everything the generator cannot decide with certainty.
 */
import { reachable } from './generate-programs.js'
import { fileOf, moduleOf, realTarget, type EdgeSpec, type ModuleSpec, type ProgramSpec, type UseKind } from './program-model.js'

export type Verdict = 'defer' | 'stay' | 'either'

export interface EdgeVerdict {
  edge: EdgeSpec
  /** Importer's file and the import's specifier, as the report's record names them. */
  importerFile: string
  source: string
  verdict: Verdict
  why: string
  /** Set when a call at load decided the verdict: a module of the graph prints through one, or the imported module reads the state through one. */
  cause?: 'call-prints' | 'call-reads'
  /**
   * With `defer`: the modules of the deferred graph that read the state at load (themselves or
   * through a call), as the report names them (`p0007/m3.js`): they stay in the startup load.
   */
  readers?: string[]
}

/** Uses inside a function body: the synchronous form accepts every one of them. */
const IN_FUNCTION: ReadonlySet<UseKind> = new Set<UseKind>([
  'sync-fn',
  'callback',
  'method',
  'async-before',
  'async-after',
  'async-callback-after',
  'async-method-after',
  'async-local-before',
  'relay',
])

/** Value uses evaluated at load (module body, static field) or in a class field initialiser: refused. */
const EAGER: ReadonlySet<UseKind> = new Set<UseKind>(['top', 'static-field', 'instance-field', 'registrar-identity'])

/**
 * What a module does at load through the functions it calls there (`loadCall`), followed into
 * the callee's body and, for a relay, on into the third module's: the plugin's rule
 * (`deferred-subgraph.ts`, `#callEffects`). `prints` names the first call that prints.
 */
export function loadCallEffects(program: ProgramSpec, mod: ModuleSpec): { prints?: string; reads?: string } {
  const found: { prints?: string; reads?: string } = {}
  for (const edge of program.edges) {
    if (edge.importer !== mod.name || edge.back || !edge.loadCall || edge.loadCall === 'leaf') continue
    if (!edge.uses.some((u) => u === 'top' || u === 'static-field')) continue
    const callee = realTarget(program, edge.target)
    const via = edge.target === callee.name ? '' : ` through ${edge.target}`
    let does: 'print' | 'read' = edge.loadCall === 'print' ? 'print' : 'read'
    let what = `${callee.name}.${edge.loadCall === 'print' ? 'p' : 'r'}()${via}`
    if (edge.loadCall === 'relay') {
      const relay = callee.relay!
      does = relay.calls
      what = `${callee.name}.q()${via} → ${realTarget(program, relay.target).name}.${relay.calls === 'print' ? 'p' : 'r'}()`
    }
    if (does === 'print') found.prints ??= what
    else found.reads ??= what
  }
  return found
}

export function judgeEdge(program: ProgramSpec, edge: EdgeSpec): EdgeVerdict {
  const importer = program.modules.find((m) => m.name === edge.importer)!
  const target = program.modules.find((m) => m.name === edge.target)!
  const base = { edge, importerFile: fileOf(importer), source: `./${fileOf(target)}` }
  // `require()` calls and re-exports are not import declarations with bindings: never deferred.
  if (importer.kind === 'cjs') return { ...base, verdict: 'stay', why: 'a require() in a CommonJS module' }
  if (importer.kind === 'barrel') return { ...base, verdict: 'stay', why: 'a re-export needs the binding at load' }
  const eager = edge.uses.find((u) => EAGER.has(u))
  if (eager) return { ...base, verdict: 'stay', why: `used at load (${eager})` }
  const graph = reachable(program.edges, edge.target)
  if (graph.has(edge.importer)) return { ...base, verdict: 'stay', why: 'its graph leads back to the importer (cycle)' }
  const effectful = program.modules.find((m) => graph.has(m.name) && m.effect !== 'none')
  if (effectful) return { ...base, verdict: 'stay', why: `${effectful.name} in its graph has a top-level ${effectful.effect} effect` }
  const printing = program.modules.find((m) => graph.has(m.name) && loadCallEffects(program, m).prints)
  if (printing) return { ...base, verdict: 'stay', cause: 'call-prints', why: `${printing.name} in its graph calls at load a function that prints: ${loadCallEffects(program, printing).prints}` }
  // A module reading changeable state at load (itself, or in a function it calls there) must read
  // it where it always did: the imported module itself cannot be deferred; a reader deeper in the
  // graph stays eager, the rest defers.
  if (target.readsState) return { ...base, verdict: 'stay', why: `${target.name} reads process.env.FZ_MODE at load` }
  const readsThroughCall = loadCallEffects(program, target).reads
  if (readsThroughCall) return { ...base, verdict: 'stay', cause: 'call-reads', why: `${target.name} reads process.env.FZ_MODE at load through a call: ${readsThroughCall}` }
  const readers = program.modules
    .filter((m) => graph.has(m.name) && (m.readsState || loadCallEffects(program, m).reads))
    .map((m) => `${program.id}/${fileOf(m)}`)
    .sort()
  if (edge.uses.includes('registrar')) {
    // A stub stands in only for an untouched exported function declaration of the module
    // itself; through a barrel or for CommonJS's `exports.s = function` the rule says no, but
    // whether the use then counts as "at top level" is the plugin's business, not the model's.
    if (target.kind !== 'esm' || edge.style === 'namespace') return { ...base, verdict: 'either', why: 'registrar of a function the module does not declare itself' }
    // The plugin counts every identifier spelled like the function in its module, an import's
    // `s as i0_s` and a member `i0.s` included (FINDINGS.md, finding 2: a refusal, not a
    // difference in behaviour); a default import mentions no `s`.
    // Calls at load and a relay name `k`, `p`, `q`, `r`, never `s`.
    const namesNoS = (e: EdgeSpec): boolean => e.back || e.uses.every((u) => u === 'top' || u === 'static-field' || u === 'relay')
    const defaultOfEsm = (e: EdgeSpec): boolean => e.style === 'default' && moduleOf(program, e.target).kind !== 'cjs'
    const mentions = program.edges.some((e) => e.importer === target.name && !namesNoS(e) && !defaultOfEsm(e))
    if (edge.style === 'named' && mentions) return { ...base, verdict: 'either', why: 'registrar of s in a module that also mentions another module\'s s' }
    return { ...base, verdict: 'defer', readers, why: 'handed to a method call at load and otherwise called: a stub' }
  }
  if (edge.uses.every((u) => IN_FUNCTION.has(u))) return { ...base, verdict: 'defer', readers, why: 'used only inside functions, effect-free graph' }
  return { ...base, verdict: 'either', why: `uses ${edge.uses.join(', ')}` }
}

export function judgeProgram(program: ProgramSpec): EdgeVerdict[] {
  return program.edges.map((edge) => judgeEdge(program, edge))
}

/** Modules whose evaluation is visible (a top-level effect, a print through a call at load): their relative order must be the same with and without the plugin. */
export function effectfulModules(program: ProgramSpec): Set<string> {
  return new Set(program.modules.filter((m) => m.effect !== 'none' || loadCallEffects(program, m).prints).map((m) => m.name))
}
