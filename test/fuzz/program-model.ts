/**
 * The grammar of generated programs, as data: modules, their top-level effects, and import edges
 * with the places their bindings are used. The oracle (`deferral-oracle.ts`) reads only this
 * model; `emit-program.ts` turns it into files.
 */

/** Top-level effects the side-effect analysis knows (docs/lazy-imports.md), each visible in the output. */
export const EFFECTS = [
  'console',
  'stdout',
  'stderr',
  'global-write',
  'exit-code',
  'env-write',
  'timer',
  'microtask',
  'process-handler',
  'io',
  'prototype-patch',
  'builtin-write',
] as const
export type Effect = (typeof EFFECTS)[number]

/**
 * Where a binding is used:
 * - `top`: module top level; `static-field`: a static class field (runs at load); both call the
 *   function of the target the edge's `loadCall` names (the pure leaf `k()` unless said otherwise);
 * - `sync-fn`: the module's exported sync function; `callback`: a sync arrow inside it;
 * - `method`: a sync class method; `instance-field`: an instance field initialiser (runs at `new`);
 * - `async-before` / `async-after`: the module's exported async function, before / after its
 *   first (unconditional) `await`; `async-callback-after`: a sync arrow created after that await;
 * - `async-method-after`: an async class method, after its first await;
 * - `async-local-before`: a local (not exported) async function, before its first await, whose
 *   every call in the module is `await loc(n)`;
 * - `registrar`: the imported function handed at top level to the mini framework's method
 *   (`fw.register`, as commander's `program.action`),
 *   called later through `fw.dispatch`; `registrar-identity`: the same, plus a read of its `.length`;
 * - `relay`: called in the importer's exported sync function `q()`, which another module calls at
 *   load (the importer's `relay`): a deferred import then loads while that other module evaluates.
 */
export const USE_KINDS = [
  'top',
  'static-field',
  'sync-fn',
  'callback',
  'method',
  'instance-field',
  'async-before',
  'async-after',
  'async-callback-after',
  'async-method-after',
  'async-local-before',
  'registrar',
  'registrar-identity',
  'relay',
] as const
export type UseKind = (typeof USE_KINDS)[number]

export type ImportStyle = 'named' | 'default' | 'namespace'

/**
 * What a call at load (`top`, `static-field`) calls in the edge's target (through barrels, in the
 * module they end at):
 * - `leaf`: the pure `k()` (for a default import of an ES module, its pure default export `d`);
 * - `print`: `p()`, whose body prints (`console.log` or `process.stdout.write`, the target's `prints`);
 * - `read`: `r()`, whose body returns `process.env.FZ_MODE`, which main changes after its imports;
 * - `relay`: `q()`, whose body calls `p()` or `r()` of a third module (the target's `relay`).
 * The plugin follows such calls into the callee's body (docs/lazy-imports.md, "Calls at load into
 * another module are followed"): the caller then prints at load, or reads the state at load.
 */
export type LoadCall = 'leaf' | 'print' | 'read' | 'relay'

export type ModuleKind =
  /** An ES module with functions, a class and a default export. */
  | 'esm'
  /** A CommonJS module (`.cjs`, `exports.x = …`), a leaf or requiring other CommonJS modules. */
  | 'cjs'
  /** `export * from` and `export { default } from` one ES module. */
  | 'barrel'

export interface ModuleSpec {
  /** File name without extension, unique in the program: `m1`, `m2`… */
  name: string
  kind: ModuleKind
  effect: Effect | 'none'
  /** Reads `process.env.FZ_MODE` at load, which main changes after its imports. */
  readsState: boolean
  /** How its `p()` prints. */
  prints: 'console' | 'stdout'
  /** What its `q()` calls: `p()` (`print`) or `r()` (`read`) of its import of `target`; without it `q()` is pure. */
  relay?: { target: string; calls: 'print' | 'read' }
}

export interface EdgeSpec {
  importer: string
  target: string
  style: ImportStyle
  uses: UseKind[]
  /** The target imports the importer (transitively): only leaf calls are made through it. */
  back: boolean
  /** With a `top` or `static-field` use: what those call (`leaf` when absent). */
  loadCall?: LoadCall
  /** 1-based line of the import declaration in the importer, filled by the emitter. */
  line?: number
}

/** How main calls its own async function `a`, which decides the callers-await rule. */
export type MainCall = 'await' | 'then-last' | 'fire-and-log'

export interface ProgramSpec {
  /** Folder name: `p0007`. */
  id: string
  /** `main` first, then the other modules; edges go from lower to higher index except back edges. */
  modules: ModuleSpec[]
  edges: EdgeSpec[]
  mainCall: MainCall
  /** Main sets `process.env.FZ_MODE` after its imports (visible to `readsState` modules loaded later). */
  mainChangesState: boolean
}

export const fileOf = (m: ModuleSpec): string => `${m.name}.${m.kind === 'cjs' ? 'cjs' : 'js'}`

export const moduleOf = (program: ProgramSpec, name: string): ModuleSpec => program.modules.find((m) => m.name === name)!

/** The ES module (or CommonJS module) a barrel chain ends at. */
export function realTarget(program: ProgramSpec, name: string): ModuleSpec {
  const mod = moduleOf(program, name)
  if (mod.kind !== 'barrel') return mod
  return realTarget(program, program.edges.find((e) => e.importer === name)!.target)
}
