/**
 * Seeded generator of module graphs for the deferral differential suite. Same seed, same
 * programs: a failure is reproduced with `FUZZ_SEED=<seed> FUZZ_N=<n>` and the program's folder.
 */
import { EFFECTS, moduleOf, realTarget, type EdgeSpec, type ImportStyle, type LoadCall, type ModuleKind, type ModuleSpec, type ProgramSpec, type UseKind } from './program-model.js'

/** mulberry32: small, fast, and good enough to pick shapes; not for anything else. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface GenerateOptions {
  /** Generate modules that read `process.env` at load while main changes it (issue 11: reads of mutable state). */
  stateReads?: boolean
}

type Random = () => number
const pick = <T>(rand: Random, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!
const chance = (rand: Random, p: number): boolean => rand() < p

/** Weighted towards the kinds that decide deferral, so each appears in many programs. */
const USE_WEIGHTS: Array<[UseKind, number]> = [
  ['top', 3],
  ['static-field', 1],
  ['sync-fn', 3],
  ['callback', 2],
  ['method', 2],
  ['instance-field', 1],
  ['async-before', 3],
  ['async-after', 4],
  ['async-callback-after', 2],
  ['async-method-after', 2],
  ['async-local-before', 2],
  ['registrar', 2],
  ['registrar-identity', 1],
]
const USE_TOTAL = USE_WEIGHTS.reduce((sum, [, w]) => sum + w, 0)

function pickUse(rand: Random): UseKind {
  let r = rand() * USE_TOTAL
  for (const [kind, weight] of USE_WEIGHTS) if ((r -= weight) < 0) return kind
  return 'async-after'
}

/** Uses a CommonJS importer can have (its `require` calls stay where they are; only where the value is used varies). */
const CJS_USES: UseKind[] = ['top', 'sync-fn', 'async-after']
/** Back edges only call the target's leaf function, from places that cannot recurse at load. */
const BACK_USES: UseKind[] = ['top', 'sync-fn', 'callback', 'method', 'async-before', 'async-after']

function pickUses(rand: Random, allowed?: UseKind[]): UseKind[] {
  const count = chance(rand, 0.35) ? 2 : 1
  const uses = new Set<UseKind>()
  while (uses.size < count) uses.add(allowed ? pick(rand, allowed) : pickUse(rand))
  return [...uses]
}

export function generateProgram(rand: Random, id: string, options: GenerateOptions = {}): ProgramSpec {
  const count = 2 + Math.floor(rand() * 5)
  const modules: ModuleSpec[] = [{ name: 'main', kind: 'esm', effect: 'none', readsState: false, prints: 'console' }]
  for (let i = 1; i <= count; i++) {
    const r = rand()
    // A barrel needs an ES module after it; the last module cannot be one.
    const kind: ModuleKind = r < 0.15 ? 'cjs' : r < 0.35 && i < count ? 'barrel' : 'esm'
    const effect = kind === 'barrel' || chance(rand, 0.55) ? 'none' : pick(rand, EFFECTS)
    const readsState = kind === 'esm' && options.stateReads === true && chance(rand, 0.2)
    const prints = chance(rand, 0.5) ? 'console' : 'stdout'
    modules.push({ name: `m${i}`, kind, effect, readsState, prints })
  }
  const edges: EdgeSpec[] = []
  const has = (a: string, b: string): boolean => edges.some((e) => e.importer === a && e.target === b)
  const canImport = (from: ModuleSpec, to: ModuleSpec): boolean => {
    if (from.kind === 'cjs') return to.kind === 'cjs'
    // Barrels re-export ES modules only: re-exporting CommonJS is interop, not deferral.
    if (from.kind === 'barrel') return to.kind !== 'cjs'
    return true
  }
  const addEdge = (from: ModuleSpec, to: ModuleSpec): void => {
    if (has(from.name, to.name)) return
    if (from.kind === 'barrel') {
      edges.push({ importer: from.name, target: to.name, style: 'named', uses: [], back: false })
      return
    }
    const uses = pickUses(rand, from.kind === 'cjs' ? CJS_USES : undefined)
    let style: ImportStyle = from.kind === 'cjs' ? 'default' : pick(rand, ['named', 'named', 'default', 'namespace'] as const)
    // A registrar hands a function over: a named import, or an ES module's default export.
    if (uses.some((u) => u.startsWith('registrar')) && (style === 'namespace' || (style === 'default' && to.kind === 'cjs'))) style = 'named'
    edges.push({ importer: from.name, target: to.name, style, uses, back: false })
  }
  // Forward edges: main imports one to three modules, every other importer up to two later ones.
  for (let i = 0; i < modules.length; i++) {
    const from = modules[i]!
    const later = modules.slice(i + 1).filter((to) => canImport(from, to))
    // Only CommonJS modules after it: nothing a barrel may re-export.
    if (from.kind === 'barrel' && later.length === 0) from.kind = 'esm'
    if (from.kind === 'barrel') {
      addEdge(from, later[0] && chance(rand, 0.5) ? later[0] : pick(rand, later))
      continue
    }
    const wanted = i === 0 ? 1 + Math.floor(rand() * 3) : Math.floor(rand() * 3)
    for (let n = 0; n < wanted && later.length > 0; n++) addEdge(from, pick(rand, later))
  }
  // Every module is reachable: an unreachable one tests nothing.
  for (let j = 1; j < modules.length; j++) {
    const to = modules[j]!
    if (edges.some((e) => e.target === to.name)) continue
    const importers = modules.slice(0, j).filter((from) => from.kind !== 'barrel' && canImport(from, to))
    addEdge(importers.length > 0 ? pick(rand, importers) : modules[0]!, to)
  }
  // A cycle: an ES module imports one of the modules that (transitively) import it.
  if (chance(rand, 0.3)) {
    const esm = modules.filter((m) => m.kind === 'esm' && m.name !== 'main')
    const candidates = esm.flatMap((from) => esm.filter((to) => to !== from && reaches(edges, to.name, from.name)).map((to) => [from, to] as const))
    if (candidates.length > 0) {
      const [from, to] = pick(rand, candidates)
      if (!has(from.name, to.name)) {
        edges.push({ importer: from.name, target: to.name, style: pick(rand, ['named', 'default', 'namespace'] as const), uses: pickUses(rand, BACK_USES), back: true })
        // Inside the cycle, a call at load can reach a module whose body has not run yet (a
        // temporal dead zone in the source itself): such uses move into the sync function.
        for (const edge of edges) {
          if (edge.back || !reaches(edges, edge.target, edge.importer)) continue
          edge.uses = [...new Set(edge.uses.map((u) => (u === 'top' || u === 'static-field' ? 'sync-fn' : u)))]
        }
      }
    }
  }
  const program: ProgramSpec = {
    id,
    modules,
    edges,
    mainCall: pick(rand, ['await', 'await', 'then-last', 'fire-and-log'] as const),
    mainChangesState: options.stateReads === true,
  }
  // After the cycles: an edge that still calls at load is in none, and its callee's module (and
  // a relay's third module) has evaluated before the call.
  for (const edge of edges) {
    if (edge.back || !edge.uses.some((u) => u === 'top' || u === 'static-field')) continue
    edge.loadCall = pickLoadCall(rand, program, edge)
    // A top-level effect of the caller or of a module its call reaches would keep the caller's
    // importers in the startup load anyway: often none, so that the call alone decides.
    if (edge.loadCall !== 'leaf' && chance(rand, 0.75)) {
      const callee = realTarget(program, edge.target)
      const third = edge.loadCall === 'relay' ? realTarget(program, callee.relay!.target) : undefined
      for (const mod of [moduleOf(program, edge.importer), callee, third]) if (mod) mod.effect = 'none'
    }
  }
  return program
}

/**
 * Whether calls through the edge may name the target's printing and reading functions: `i_p()`,
 * `i.p()` on a namespace or a `require()`. A default import of an ES module is its default export,
 * which can only be called itself (the pure `d`). A default import of a CommonJS module is its
 * `module.exports`: `i.p()` names its functions (FINDINGS.md, finding 4, fixed).
 */
export function namesFunctions(program: ProgramSpec, edge: EdgeSpec): boolean {
  return moduleOf(program, edge.importer).kind === 'cjs' || edge.style !== 'default' || realTarget(program, edge.target).kind === 'cjs'
}

/** What an edge's calls at load call; a relay gives the callee's module a `q()` calling one of its own imports. */
function pickLoadCall(rand: Random, program: ProgramSpec, edge: EdgeSpec): LoadCall {
  if (!namesFunctions(program, edge)) return 'leaf'
  const r = rand()
  if (r < 0.15) return 'leaf'
  if (r < 0.4) return 'print'
  if (r < 0.75) return 'read'
  const callee = realTarget(program, edge.target)
  if (callee.relay) return 'relay'
  // The third module must have evaluated before `q()` runs: no edge of a cycle.
  const candidates = program.edges.filter((e) => e.importer === callee.name && !e.back && !reaches(program.edges, e.target, callee.name) && namesFunctions(program, e))
  if (candidates.length === 0) return 'print'
  const via = pick(rand, candidates)
  callee.relay = { target: via.target, calls: chance(rand, 0.5) ? 'print' : 'read' }
  if (!via.uses.includes('relay')) via.uses.push('relay')
  return 'relay'
}

/** Whether `from` reaches `to` through import edges (`from` itself counts). */
export function reaches(edges: readonly EdgeSpec[], from: string, to: string): boolean {
  return reachable(edges, from).has(to)
}

/** Every module reachable from `start` through static imports, re-exports and requires, `start` included. */
export function reachable(edges: readonly EdgeSpec[], start: string): Set<string> {
  const seen = new Set([start])
  const queue = [start]
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const edge of edges) {
      if (edge.importer === next && !seen.has(edge.target)) {
        seen.add(edge.target)
        queue.push(edge.target)
      }
    }
  }
  return seen
}

export function generatePrograms(seed: number, count: number, options: GenerateOptions = {}): ProgramSpec[] {
  const rand = createRandom(seed)
  return Array.from({ length: count }, (_, i) => generateProgram(rand, `p${String(i).padStart(4, '0')}`, options))
}
