/**
 * The module graph a deferred import would move out of the initial load, and whether evaluating
 * it later can change what the program does.
 *
 * Starting from the imported module, every static import, re-export and literal `require()` is
 * resolved with the bundler's own resolver and followed (dynamic `import()` is not: it is loaded
 * later in both cases). Each module is read from disk, parsed and analysed with
 * `analyzeModuleEffects`. The deferral is refused when any module of that graph:
 * - has an observable top-level effect (output, globals, prototypes, process handlers, TLA, …),
 *   including one inside a function it imports and surely calls at load: the call is followed
 *   into the callee's module (through re-exports, and on into what the callee calls), and what
 *   the callee's body reads at load counts as read by the caller;
 * - (with `sync`) reads at load a global by a computed name (`globalThis[name]`: which one is
 *   unknown). Other state it reads (`process.env.X`, `argv`, `cwd()`, a named global) is returned
 *   in `state`, and the modules reading it in `readers`: those must evaluate where the import was
 *   (the plugin refuses the deferral when the imported module is one, else imports them eagerly);
 * - writes into another module's exports (`imported-write`), unless it is a package writing into
 *   its own modules or its dependencies (a package assembling itself);
 * - is the importer itself (a cycle: deferring would run the cycle in another order);
 * - cannot be analysed: unresolved static import, external package, virtual module, a file type
 *   that is not JS/TS/JSON, a parse error;
 * or when the graph has more than `MAX_MODULES` modules.
 *
 * Summaries of modules are cached per build; each query walks its own graph.
 */
import { readFile, stat } from 'node:fs/promises'
import { isBuiltin } from 'node:module'
import path from 'node:path'
import { analyzeCallEffects, analyzeModuleEffects, type Finding, type ModuleEffects } from '../analysis/module-effects.js'
import type { Resolve } from '../adapters/resolve.js'
import { parseModule } from '../core/ast/parse-module.js'
import { findRequires } from './require-split.js'

const MAX_MODULES = 3000
/** How deep calls at load are followed from module to module (deeper ones are not proof of anything, as before). */
const MAX_CALL_DEPTH = 12
const JS_FILE = /\.[cm]?[jt]sx?$/
const NODE_MODULES = /[\\/]node_modules[\\/]/

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile()
  } catch {
    return false
  }
}

/**
 * The file a resolved id stands for: bundlers decorate ids with `\0` prefixes and `?query`
 * suffixes, and the barrels capability redirects a package's barrel to a generated proxy keyed by
 * the barrel's path (`\0cli-optimizer-generated:/…/index.js`). The proxy only re-exports from
 * modules the barrel reaches, so analysing the barrel itself is a safe stand-in (a superset).
 */
export function fileOfId(id: string): string {
  return id.replace(/^\0?cli-optimizer-generated:/, '').replace(/^\0/, '').replace(/[?#].*$/, '')
}

export type SubgraphVerdict =
  | {
      ok: true
      modules: string[]
      /** The imported module is CommonJS (no import/export syntax). */
      commonjs: boolean
      /** With `sync`: the changeable state the graph reads at load (`StateRead.state` keys, sorted; no `clock`). */
      state: string[]
      /**
       * With `sync`: the graph's modules that read that state, in the order found, with their first
       * read (`file:line:column (detail)`). They must evaluate where the import was.
       */
      readers: Array<{ id: string; where: string }>
      /** With `sync`: where the graph reads the clock at load (it then reads the time of first use). */
      clockReads: string[]
    }
  | { ok: false; reason: string; modules: string[] }

interface ModuleSummary {
  /** Why the module cannot be analysed (or its imports followed), if it cannot. */
  problem?: string
  /** The effect at load that keeps its evaluation in place (observable, or a write into another module). */
  effect?: string
  /** Source size in bytes (0 when unknown). */
  bytes?: number
  /** Resolved ids of the modules it loads while evaluating. */
  edges: string[]
  commonjs?: boolean
  /** Reads at load of changeable state (`stateReads`): what, and where (`file:line:column (detail)`). */
  stateReads: Array<{ state: string; where: string }>
  /** Functions of other modules it surely calls at load: the callee's file and export, and where. */
  calls?: Call[]
}

interface Call {
  target: string
  name: string
  where: string
}

/** What a call at load does that its caller's evaluation then does too. */
interface CallVerdict {
  problem?: string
  stateReads: Array<{ state: string; where: string }>
}

const NOTHING: CallVerdict = { stateReads: [] }

export class DeferredSubgraph {
  readonly #resolve: Resolve
  readonly #displayId: (id: string) => string
  readonly #summaries = new Map<string, Promise<ModuleSummary>>()
  readonly #calls = new Map<string, CallVerdict>()
  readonly #lightSummaries = new Map<string, Promise<ModuleSummary>>()
  readonly #resolutions = new Map<string, ReturnType<Resolve>>()
  readonly #requireGraphs = new Map<string, Promise<{ modules: string[]; members: ReadonlySet<string>; bytes: number; reason?: string }>>()

  readonly #generatedSource: (file: string) => Promise<string> | undefined

  /** `generatedSource` gives the code the plugin itself puts in place of a file (the command manifest). */
  constructor(resolve: Resolve, displayId: (id: string) => string, generatedSource: (file: string) => Promise<string> | undefined = () => undefined) {
    this.#resolve = resolve
    this.#displayId = displayId
    this.#generatedSource = generatedSource
  }

  /**
   * Checks the graph of `importedId` when imported from `importer`. With `sync`, collects the
   * state it reads at load, and refuses a read it cannot name. The async form does not look at
   * state reads (a known limit in `docs/lazy-imports.md`): its evaluation crosses an `await`, so
   * state cannot be put back around it.
   */
  async check(importer: string, importedId: string, { sync = false } = {}): Promise<SubgraphVerdict> {
    const seen = new Set<string>([fileOfId(importedId)])
    const queue = [fileOfId(importedId)]
    const modules: string[] = []
    const state = new Set<string>()
    const clockReads: string[] = []
    const readers: Array<{ id: string; where: string }> = []
    while (queue.length > 0) {
      const id = queue.shift()!
      modules.push(id)
      if (id === fileOfId(importer)) return { ok: false, reason: `cycle: ${this.#displayId(importedId)} imports ${this.#displayId(importer)} back`, modules }
      const summary = await this.#summary(id)
      const problem = summary.problem ?? summary.effect
      if (problem) return { ok: false, reason: problem, modules }
      const reads = [...summary.stateReads]
      for (const call of summary.calls ?? []) {
        const verdict = await this.#callEffects(call.target, call.name, new Set())
        if (verdict.problem) return { ok: false, reason: `${call.where} calls at load a function with an observable effect: ${verdict.problem}`, modules }
        for (const read of verdict.stateReads) reads.push({ state: read.state, where: `${call.where} → ${read.where}` })
      }
      for (const read of sync ? reads : []) {
        if (read.state === 'global') return { ok: false, reason: `${read.where} reads a global by a computed name at load: evaluated later, it could see another value`, modules }
        if (read.state === 'clock') clockReads.push(read.where)
        else {
          state.add(read.state)
          if (readers.at(-1)?.id !== id) readers.push({ id, where: read.where })
        }
      }
      for (const edge of summary.edges) {
        if (seen.has(edge)) continue
        seen.add(edge)
        queue.push(edge)
      }
      if (seen.size > MAX_MODULES) return { ok: false, reason: `more than ${MAX_MODULES} modules to analyse`, modules }
    }
    const root = await this.#summary(fileOfId(importedId))
    return { ok: true, modules, commonjs: root.commonjs === true, state: [...state].sort(), clockReads, readers }
  }

  #summary(id: string): Promise<ModuleSummary> {
    let summary = this.#summaries.get(id)
    if (!summary) {
      summary = this.#summarise(id)
      this.#summaries.set(id, summary)
    }
    return summary
  }

  async #summarise(id: string): Promise<ModuleSummary> {
    const shown = this.#displayId(id)
    // Rollup's CommonJS plugin resolves to `\0/abs/file.js?commonjs-es-import`: the file behind it is what is analysed.
    const file = fileOfId(id)
    // A module the plugin generates (the commands' shared meta) need not exist on disk.
    const generated = path.isAbsolute(file) ? this.#generatedSource(file) : undefined
    if (!path.isAbsolute(file) || (!generated && !(await exists(file)))) return { problem: `${shown} is a virtual module that cannot be analysed`, edges: [], stateReads: [] }
    if (file.endsWith('.json')) return { edges: [], stateReads: [] }
    if (!JS_FILE.test(file)) return { problem: `${shown} is not a JS/TS module and cannot be analysed`, edges: [], stateReads: [] }
    let code: string
    let effects: ModuleEffects
    let commonjs: boolean
    try {
      code = (await generated) ?? (await readFile(file, 'utf8'))
      const ast = parseModule(code, file, shown)
      commonjs = ast.program.sourceType === 'script'
      effects = analyzeModuleEffects(ast, code)
    } catch (error) {
      return { problem: `${shown} cannot be analysed: ${(error as Error).message}`, edges: [], stateReads: [] }
    }
    const observable = effects.observable[0]
    let effect: string | undefined = observable && `${shown}:${observable.line}:${observable.column} has an observable top-level effect (${observable.kind}: ${observable.detail})`
    // The plugin's own generated modules (the command manifest reads argv to start a preload) read by design.
    const stateReads = generated ? [] : effects.stateReads.map((read) => ({ state: read.state, where: `${shown}:${read.line}:${read.column} (${read.detail})` }))
    const inPackage = NODE_MODULES.test(file)
    // A package may wire its own modules and its dependencies together (ajv sets `code` on
    // fast-uri's export); code that reads those properties is the package itself. The app writing
    // into a module (a registry eager code may read) is refused.
    const foreignWrite = effects.findings.find((f) => f.kind === 'imported-write' && !(inPackage && f.source !== undefined && !isBuiltin(f.source)))
    effect ??= foreignWrite && `${shown}:${foreignWrite.line}:${foreignWrite.column} writes into another module at evaluation (${foreignWrite.detail})`

    const edges: string[] = []
    const files = new Map<string, string>()
    for (const dependency of effects.dependencies) {
      if (dependency.kind === 'dynamic-import') continue
      if (isBuiltin(dependency.source)) continue
      const resolved = await this.#resolve(dependency.source, file)
      if (!resolved) {
        // A `require()` that does not resolve is an optional dependency inside try/catch: it
        // fails at run time the same way whether the graph is loaded now or later.
        if (dependency.kind === 'require') continue
        return { problem: `${shown}:${dependency.line}:${dependency.column} imports ${dependency.source}, which does not resolve`, edges: [], stateReads: [] }
      }
      if (resolved.external) {
        if (isBuiltin(resolved.id)) continue
        return { problem: `${shown} imports ${dependency.source}, which is external and cannot be analysed`, edges: [], stateReads: [] }
      }
      edges.push(fileOfId(resolved.id))
      files.set(dependency.source, fileOfId(resolved.id))
    }
    const calls: Call[] = []
    for (const finding of followedCalls(effects.findings)) {
      const target = files.get(finding.source!)
      if (target) calls.push({ target, name: finding.callee!, where: `${shown}:${finding.line}:${finding.column} (${finding.detail})` })
    }
    return { edges, commonjs, stateReads, calls, effect, bytes: Buffer.byteLength(code) }
  }

  /**
   * The graph a `require()` of `requiredId` from `importer` evaluates, for a split that keeps the
   * evaluation where it is (`require-split.ts`). CommonJS modules may do anything at load: their
   * evaluation stays at the require. An ES module is evaluated by Rollup when its chunk loads, and
   * by the bootstrap's preload where Node has no require(esm), so it must be invisible to evaluate
   * earlier: no observable effect, no read of changeable state (also through the functions it
   * calls at load), as for a deferred import. Every module must be analysable, and the graph must
   * not reach the importer or an entry (their chunks may still be evaluating when the require
   * runs: ERR_REQUIRE_CYCLE_MODULE). The whole graph is walked, so `bytes` is its size even when
   * `reason` refuses it.
   */
  async requireGraph(importer: string, requiredId: string, entries: ReadonlySet<string>): Promise<{ modules: string[]; bytes: number; reason?: string }> {
    const root = fileOfId(requiredId)
    // The graph does not depend on who requires it: walked once per module and build.
    let walked = this.#requireGraphs.get(root)
    if (!walked) this.#requireGraphs.set(root, (walked = this.#walkRequireGraph(root, entries)))
    const graph = await walked
    if (graph.members.has(fileOfId(importer))) return { ...graph, reason: `cycle: ${this.#displayId(requiredId)} requires ${this.#displayId(importer)} back` }
    return graph
  }

  async #walkRequireGraph(root: string, entries: ReadonlySet<string>): Promise<{ modules: string[]; members: ReadonlySet<string>; bytes: number; reason?: string }> {
    const seen = new Set<string>([root])
    const queue = [root]
    const modules: string[] = []
    let bytes = 0
    let reason: string | undefined
    while (queue.length > 0) {
      const id = queue.shift()!
      modules.push(id)
      if (entries.has(id)) reason ??= `${this.#displayId(id)} is an entry and is required from the graph`
      const summary = await this.#requireSummary(id)
      reason ??= summary.problem
      if (summary.commonjs === false && !reason) reason = await this.#earlyEvaluationProblem(id, summary)
      bytes += summary.bytes ?? 0
      for (const edge of summary.edges) {
        if (seen.has(edge)) continue
        seen.add(edge)
        queue.push(edge)
      }
      if (seen.size > MAX_MODULES) return { modules, members: seen, bytes, reason: `more than ${MAX_MODULES} modules to analyse` }
    }
    return { modules, members: seen, bytes, reason }
  }

  /**
   * What the require-graph walk needs of a module: for an ES module its full summary; for a
   * CommonJS module only its literal requires, resolved, and its size (its effects do not matter,
   * and analysing them costs seconds on a bundled 9 MB file).
   */
  #requireSummary(id: string): Promise<ModuleSummary> {
    const full = this.#summaries.get(id)
    if (full) return full
    let light = this.#lightSummaries.get(id)
    if (!light) this.#lightSummaries.set(id, (light = this.#summariseRequires(id)))
    return light
  }

  async #summariseRequires(id: string): Promise<ModuleSummary> {
    const file = fileOfId(id)
    if (!path.isAbsolute(file) || this.#generatedSource(file) || !/\.(c?js|cts|ts)$/.test(file) || !(await exists(file))) return this.#summary(id)
    let code: string
    let ast: ReturnType<typeof parseModule>
    try {
      code = await readFile(file, 'utf8')
      ast = parseModule(code, file, this.#displayId(id))
    } catch {
      return this.#summary(id)
    }
    if (ast.program.sourceType !== 'script') return this.#summary(id)
    const edges: string[] = []
    const specifiers = [...new Set(findRequires(ast).map((site) => site.source))].filter((source) => !isBuiltin(source))
    // One round trip to the bundler per folder and specifier (esbuild resolves in its own process),
    // started together rather than one after the other.
    const resolutions = await Promise.all(specifiers.map((source) => this.#resolveFrom(source, file)))
    for (const [index, source] of specifiers.entries()) {
      const site = { source }
      const resolved = resolutions[index]
      // An optional dependency that does not resolve fails the same way wherever it is required.
      if (!resolved) continue
      if (resolved.external) {
        if (isBuiltin(resolved.id)) continue
        return { problem: `${this.#displayId(id)} requires ${site.source}, which is external and cannot be analysed`, edges: [], stateReads: [] }
      }
      edges.push(fileOfId(resolved.id))
    }
    return { edges, commonjs: true, stateReads: [], bytes: Buffer.byteLength(code) }
  }

  /** The bundler's resolution, shared by the modules of one folder (resolution depends on the folder only). */
  #resolveFrom(source: string, file: string): ReturnType<Resolve> {
    const key = `${path.dirname(file)}\0${source}`
    let resolved = this.#resolutions.get(key)
    if (!resolved) this.#resolutions.set(key, (resolved = this.#resolve(source, file)))
    return resolved
  }

  /** Why evaluating the ES module `id` earlier than its require could be seen, if it could. */
  async #earlyEvaluationProblem(id: string, summary: ModuleSummary): Promise<string | undefined> {
    const shown = this.#displayId(id)
    if (summary.effect) return `${summary.effect}; as an ES module it is evaluated when its chunk loads`
    const read = summary.stateReads.find((r) => r.state !== 'clock')
    if (read) return `${read.where} reads at load state the program can change; as an ES module it is evaluated when its chunk loads`
    for (const call of summary.calls ?? []) {
      const verdict = await this.#callEffects(call.target, call.name, new Set())
      if (verdict.problem) return `${call.where} calls at load a function with an observable effect (${verdict.problem}); ${shown} is an ES module, evaluated when its chunk loads`
      const through = verdict.stateReads.find((r) => r.state !== 'clock')
      if (through) return `${call.where} → ${through.where} reads at load state the program can change; ${shown} is an ES module, evaluated when its chunk loads`
    }
    return undefined
  }

  /**
   * What calling the export `name` of `file` does (memoised). A call already being followed
   * (recursion) or deeper than `MAX_CALL_DEPTH` adds nothing, and neither does a callee the
   * analysis cannot see: as before calls were followed, that is not proof of anything.
   */
  async #callEffects(file: string, name: string, stack: ReadonlySet<string>): Promise<CallVerdict> {
    const key = `${file}\0${name}`
    const known = this.#calls.get(key)
    if (known) return known
    if (stack.has(key) || stack.size >= MAX_CALL_DEPTH) return NOTHING
    const verdict = await this.#followCall(file, name, new Set(stack).add(key))
    this.#calls.set(key, verdict)
    return verdict
  }

  async #followCall(file: string, name: string, stack: ReadonlySet<string>): Promise<CallVerdict> {
    const shown = this.#displayId(file)
    if (!JS_FILE.test(file)) return NOTHING
    let analysed: ReturnType<typeof analyzeCallEffects>
    try {
      const code = (await this.#generatedSource(file)) ?? (await readFile(file, 'utf8'))
      analysed = analyzeCallEffects(parseModule(code, file, shown), code, name)
    } catch {
      // The callee's module is analysed as a module of its own: a parse error is reported there.
      return NOTHING
    }
    if (!analysed) return NOTHING
    const followed: Array<{ source: string; name: string; where?: string }> = []
    const stateReads: CallVerdict['stateReads'] = []
    if ('kind' in analysed) {
      const sources = analysed.kind === 'reexport' ? [analysed.source] : analysed.sources
      for (const source of sources) followed.push({ source, name: analysed.kind === 'reexport' ? analysed.name : name })
    } else {
      const observable = analysed.observable[0]
      if (observable) return { problem: `${shown}:${observable.line}:${observable.column} (${observable.kind}: ${observable.detail})`, stateReads: [] }
      for (const read of analysed.stateReads) stateReads.push({ state: read.state, where: `${shown}:${read.line}:${read.column} (${read.detail})` })
      for (const finding of followedCalls(analysed.findings)) {
        followed.push({ source: finding.source!, name: finding.callee!, where: `${shown}:${finding.line}:${finding.column} (${finding.detail})` })
      }
    }
    for (const next of followed) {
      if (isBuiltin(next.source)) continue
      const resolved = await this.#resolve(next.source, file)
      if (!resolved || resolved.external) continue
      const verdict = await this.#callEffects(fileOfId(resolved.id), next.name, stack)
      if (verdict.problem) return { problem: next.where ? `${next.where} → ${verdict.problem}` : verdict.problem, stateReads: [] }
      for (const read of verdict.stateReads) stateReads.push({ state: read.state, where: next.where ? `${next.where} → ${read.where}` : read.where })
    }
    return { stateReads }
  }
}

/** Calls of another module's export that surely run: the ones followed into the callee. */
function followedCalls(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.kind === 'imported-call' && !f.uncertain && f.callee !== undefined && f.source !== undefined && !isBuiltin(f.source))
}
