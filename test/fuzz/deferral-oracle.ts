/**
 * What the plugin must do with each import edge of a generated program, from the model alone
 * (docs/lazy-imports.md, "Synchronous deferral", "Registrars", "Side-effect analysis"). The
 * verdicts are conservative: `defer` only where the rules certainly allow it, `stay` only where
 * they certainly refuse it, `either` for everything the generator cannot decide with certainty.
 */
import { reachable } from './generate-programs.js'
import { fileOf, type EdgeSpec, type ProgramSpec, type UseKind } from './program-model.js'

export type Verdict = 'defer' | 'stay' | 'either'

export interface EdgeVerdict {
  edge: EdgeSpec
  /** Importer's file and the import's specifier, as the report's record names them. */
  importerFile: string
  source: string
  verdict: Verdict
  why: string
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
])

/** Value uses evaluated at load (module body, static field) or in a class field initialiser: refused. */
const EAGER: ReadonlySet<UseKind> = new Set<UseKind>(['top', 'static-field', 'instance-field', 'registrar-identity'])

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
  // A module reading changeable state at load must read it where it always did: the imported
  // module itself cannot be deferred; a reader deeper in the graph stays eager, the rest defers.
  if (target.readsState) return { ...base, verdict: 'stay', why: `${target.name} reads process.env.FZ_MODE at load` }
  if (edge.uses.includes('registrar')) {
    // A stub stands in only for an untouched exported function declaration of the module
    // itself; through a barrel or for CommonJS's `exports.s = function` the rule says no, but
    // whether the use then counts as "at top level" is the plugin's business, not the model's.
    if (target.kind !== 'esm' || edge.style === 'namespace') return { ...base, verdict: 'either', why: 'registrar of a function the module does not declare itself' }
    // The plugin counts every identifier spelled like the function in its module, an import's
    // `s as i0_s` and a member `i0.s` included (FINDINGS.md, finding 2: a refusal, not a
    // difference in behaviour); a default import mentions no `s`.
    const callsOnlyLeaf = (e: EdgeSpec): boolean => e.back || e.uses.every((u) => u === 'top' || u === 'static-field')
    const defaultOfEsm = (e: EdgeSpec): boolean => e.style === 'default' && program.modules.find((m) => m.name === e.target)!.kind !== 'cjs'
    const mentions = program.edges.some((e) => e.importer === target.name && !callsOnlyLeaf(e) && !defaultOfEsm(e))
    if (edge.style === 'named' && mentions) return { ...base, verdict: 'either', why: 'registrar of s in a module that also mentions another module\'s s' }
    return { ...base, verdict: 'defer', why: 'handed to a method call at load and otherwise called: a stub' }
  }
  if (edge.uses.every((u) => IN_FUNCTION.has(u))) return { ...base, verdict: 'defer', why: 'used only inside functions, effect-free graph' }
  return { ...base, verdict: 'either', why: `uses ${edge.uses.join(', ')}` }
}

export function judgeProgram(program: ProgramSpec): EdgeVerdict[] {
  return program.edges.map((edge) => judgeEdge(program, edge))
}

/** Modules whose evaluation is visible: their relative order must be the same with and without the plugin. */
export function effectfulModules(program: ProgramSpec): Set<string> {
  return new Set(program.modules.filter((m) => m.effect !== 'none').map((m) => m.name))
}
