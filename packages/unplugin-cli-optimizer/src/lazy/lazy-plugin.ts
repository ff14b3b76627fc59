import { isBuiltin } from 'node:module'
import path from 'node:path'
import remapping from '@jridgewell/remapping'
import MagicString, { type SourceMap } from 'magic-string'
import type { UnpluginBuildContext, UnpluginOptions } from 'unplugin'
import { bundlerResolver } from '../adapters/resolve.js'
import { parseModule } from '../core/ast/parse-module.js'
import type { CliOptimizerContext } from '../core/context.js'
import type { Report, ReportTransform } from '../report/report-types.js'
import { DeferredSubgraph, fileOfId } from './deferred-subgraph.js'
import { findLazyCandidates, type LazyCandidate } from './find-lazy-candidates.js'
import type { ResolvedLazyOptions } from './lazy-options.js'
import { methodReadingThis } from './namespace-this.js'
import { deadlockFreeResolver } from './resolve-relative.js'
import { FACADE_ID, facadeSource, facadeSpecifier, isFacadeId, REQUIRE_FACADE_MEMBER, requireFacadeSpecifier, SYNC_FACADE_ID, syncFacadeSpecifier } from './lazy-facade.js'
import { findRequires } from './require-split.js'
import { LAZY_PREFIX, rewriteLazyImport, rewriteSyncImport, SYNC_MARKER } from './rewrite-lazy-imports.js'
import { findColdTails, type ColdTail } from './find-cold-tails.js'
import { replaceTails, tailExport, TAILS_ID, TAILS_SOURCE, tailsModule, tailsId } from './cold-tails-module.js'
import { PRELOAD_QUERY, PRELOAD_SOURCE, preloadLine, renderSyncLoads, syncChunkNames } from '../adapters/sync-load.js'
import { registrarShapes, type RegistrarShape } from './registrar-stub.js'
import { rewriteEsbuildChunks } from '../node-compat/esbuild-output-rewrite.js'

/** Only modules with both an import and an async function can have anything to defer asynchronously. */
const LAZY_CODE = /\bimport\b[\s\S]*\basync\b|\basync\b[\s\S]*\bimport\b/
const NODE_MODULES = /[\\/]node_modules[\\/]/
/** The folder of the installed package a file belongs to (`…/node_modules/@scope/name`), if any. */
function packageFolder(file: string): string | undefined {
  const at = Math.max(file.lastIndexOf('/node_modules/'), file.lastIndexOf('\\node_modules\\'))
  if (at === -1) return undefined
  const rest = file.slice(at + '/node_modules/'.length).split(/[\\/]/)
  return file.slice(0, at + '/node_modules/'.length) + rest.slice(0, rest[0]!.startsWith('@') ? 2 : 1).join('/')
}
/** The modules this capability generates: facades of deferred modules and entries' cold tails. */
const PRELOAD_ID = new RegExp(`${PRELOAD_QUERY.replace(/[?]/g, '\\?')}$`)
const VIRTUAL_ID = new RegExp(`${FACADE_ID.source}|${SYNC_FACADE_ID.source}|${TAILS_ID.source}|${PRELOAD_ID.source}`)

export interface LazyImportTransform extends ReportTransform {
  kind: 'lazy-import'
  importer: string
  line: number
  column: number
  source: string
  /** Bytes of the deferred graph that ended up outside every entry's initial load. */
  bytes: number
  /** Applied deferrals: whether the imported module really left the initial load. */
  effective?: boolean
  /** Applied async deferrals: `after-await` when every use follows an await of its function. */
  order?: 'after-await' | 'callers-await'
  /**
   * Applied deferrals: `sync` loads the module with `require()` where first used (no await
   * inserted); `async` awaits `import()` at the use (kept for the command manifest, which the
   * bootstrap starts loading early, and where the runtime bootstrap is off).
   */
  form?: 'sync' | 'async'
}

export interface ColdTailTransform extends ReportTransform {
  kind: 'cold-tail'
  importer: string
  line: number
  column: number
  /** The async function whose tail moved (or stayed). */
  function: string
}

interface ModuleInfoLike {
  isEntry: boolean
  isExternal?: boolean
  importedIds: readonly string[]
  dynamicallyImportedIds: readonly string[]
}

interface AppliedDeferral {
  record: LazyImportTransform
  importedId: string
  modules: string[]
}

/**
 * What the loader imports: a facade of just the used names for an ES module the bundler would
 * otherwise tree-shake; the module itself for namespace imports (every export may be read) and
 * CommonJS (nothing to tree-shake, and its interop needs the real namespace).
 */
function loadSpecifier(candidate: LazyCandidate, resolvedId: string, commonjs: boolean, wholeNamespace: boolean): string {
  const file = fileOfId(resolvedId)
  const names = usedNames(candidate.uses)
  if (commonjs || !path.isAbsolute(file) || names === '*' || wholeNamespace) return candidate.source
  return names.length === 0 ? candidate.source : facadeSpecifier(file, names)
}

/**
 * The exports `uses` read: a namespace read only as `ns.name` counts as its names (issue 11: a
 * deferred `import * as` must not keep every export of the package), `*` when it escapes.
 */
function usedNames(uses: readonly LazyCandidate['uses'][number][]): string[] | '*' {
  const names: string[] = []
  for (const use of uses) {
    if (use.binding.kind === 'namespace') {
      if (use.member === undefined) return '*'
      names.push(use.member)
    } else names.push(use.binding.kind === 'named' ? use.binding.name : 'default')
  }
  return names
}

interface OutputItemLike {
  type: string
  fileName: string
  name?: string
  code?: string
  isEntry?: boolean
  isDynamicEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
}

/**
 * A chunk named for synchronously loaded graphs whose modules were all tree-shaken is written as
 * an empty file nothing imports (Rollup keeps a manual chunk even when it ends up empty).
 */
function dropEmptyChunks(bundle: Record<string, OutputItemLike>, names: ReadonlySet<string>): void {
  const items = Object.values(bundle)
  const imported = new Set(items.flatMap((item) => [...(item.imports ?? []), ...(item.dynamicImports ?? [])]))
  for (const item of items) {
    if (item.type !== 'chunk' || item.isEntry || item.isDynamicEntry || item.name === undefined || !names.has(item.name)) continue
    if (item.code?.trim() === '' && !imported.has(item.fileName)) delete bundle[item.fileName]
  }
}

/**
 * Automatic deferral of imports only async code needs: see `docs/lazy-imports.md`. Runs on the
 * app's modules and on packages; the bundler then puts the deferred module, and whatever only it
 * needs, in chunks loaded on first use.
 */
export function lazyPlugin(ctx: CliOptimizerContext, options: ResolvedLazyOptions | false): UnpluginOptions | undefined {
  if (options === false) return undefined
  let subgraph: DeferredSubgraph | undefined
  let applied: AppliedDeferral[] = []
  /** Tails moved out of entries, by the id of the module that holds them. */
  const tailModules = new Map<string, { code: string; tails: ColdTail[] }>()

  ctx.reportExtensions.push((report) => settleDeferrals(report, applied, ctx.displayId))
  // The synchronous form relies on the bootstrap for Node without require(esm) (adapters/sync-load.ts).
  const sync = options.sync && ctx.options.runtime !== false
  /** Facade ids of synchronous loads (module ids in the bundler's graph), by importer. */
  const syncFacades = new Map<string, string>()
  let chunkNames = new Map<string, string>()
  const outputHooks = {
    buildEnd(this: { getModuleIds(): IterableIterator<string>; getModuleInfo(id: string): ModuleInfoLike | null }) {
      chunkNames = syncFacades.size === 0 ? new Map() : syncChunkNames(new Set(syncFacades.keys()), this.getModuleIds(), (id) => this.getModuleInfo(id))
    },
    generateBundle(_options: unknown, bundle: Record<string, OutputItemLike>) {
      dropEmptyChunks(bundle, new Set(chunkNames.values()))
      const chunks = Object.values(bundle).filter((item): item is OutputItemLike & { code: string } => item.type === 'chunk' && typeof item.code === 'string')
      for (const [fileName, code] of renderSyncLoads(chunks)) (bundle[fileName] as { code: string }).code = code
    },
  }
  const manualChunks = (id: string): string | undefined => chunkNames.get(id)
  /** Packages that hold an entry (a published CLI bundled from its bin). */
  const entryPackages = (): Set<string> => new Set([...ctx.entryFiles].map((file) => packageFolder(fileOfId(file))).filter((folder): folder is string => folder !== undefined))

  return {
    name: 'cli-optimizer:lazy',
    // esbuild calls into JavaScript only for the ids this capability resolves, not for every import.
    esbuild: { onResolveFilter: VIRTUAL_ID },
    rollup: {
      ...outputHooks,
      outputOptions(output) {
        const user = output.manualChunks
        // Ours win for the modules of synchronously loaded graphs: any other placement could put them with a module still evaluating.
        if (typeof user === 'function') return { ...output, manualChunks: (id, meta) => manualChunks(id) ?? user(id, meta) }
        if (user && typeof user === 'object') {
          const byModule = new Map(Object.entries(user).flatMap(([name, ids]) => ids.map((m) => [m, name] as const)))
          return { ...output, manualChunks: (id) => manualChunks(id) ?? byModule.get(id) }
        }
        return { ...output, manualChunks }
      },
    },
    rolldown: { ...outputHooks, outputOptions: rolldownOutputOptions },
    vite: { ...outputHooks, outputOptions: rolldownOutputOptions },
    buildStart() {
      subgraph = undefined
      applied = []
      syncFacades.clear()
      chunkNames = new Map()
      // tailModules is kept: in watch mode Rollup reuses the entry's cached transform and only loads the tails again.
    },
    resolveId: {
      filter: { id: VIRTUAL_ID },
      handler(id) {
        if (!VIRTUAL_ID.test(id)) return undefined
        return (FACADE_ID.test(id) || SYNC_FACADE_ID.test(id)) && !isFacadeId(id) ? undefined : id
      },
    },
    load: {
      filter: { id: VIRTUAL_ID },
      async handler(id) {
        if (PRELOAD_ID.test(id)) return PRELOAD_SOURCE
        if (!TAILS_ID.test(id)) return facadeSource(id)
        const moved = tailModules.get(id)
        if (!moved) return undefined
        // Deferred here rather than in a transform: esbuild does not chain a load's source map
        // with a transform's, so the two maps are composed into one that points at the entry.
        // Its exported tails are awaited by their one caller, the entry.
        const generated = tailsModule(moved.code, moved.tails, fileOfId(id))
        const deferred = await deferImports.call(this, generated.code, id, new Set(moved.tails.map((_, i) => tailExport(i))))
        // Plain JSON objects: what every bundler's load hook takes as a map.
        if (!deferred) return { code: generated.code, map: JSON.parse(generated.map.toString()) }
        return { code: deferred.code, map: JSON.parse(remapping([deferred.map.toString(), generated.map.toString()], () => null).toString()) }
      },
    },
    transform: {
      // Without the synchronous form, only modules that also have an async function can defer anything.
      filter: { id: { include: options.include, exclude: options.exclude }, code: sync ? /\bimport\b|\brequire\s*\(/ : LAZY_CODE },
      async handler(code, id) {
        if (code.includes(LAZY_PREFIX)) return undefined
        const deferred = (await deferImports.call(this, code, id)) ?? (sync && options.splitRequireBytes !== false ? await splitRequires.call(this, code, id, options.splitRequireBytes) : undefined)
        if (!sync || !ctx.workerEntryFiles.has(fileOfId(id))) return deferred
        return withPreloadLine(deferred ?? { code }, id)
      },
    },
  }

  /**
   * A worker's entry starts without the bootstrap, and a thread may lack require(esm) where the
   * main thread has it (the runtime's pool turns it off): the entry gets the bootstrap's fallback
   * line itself, so its synchronous loads are preloaded there instead of failing.
   */
  function withPreloadLine(module: { code: string; map?: SourceMap }, id: string): { code: string; map: SourceMap } {
    const s = new MagicString(module.code)
    const hashbang = module.code.startsWith('#!') ? module.code.indexOf('\n') + 1 : 0
    s.appendLeft(hashbang, `${preloadLine(`${fileOfId(id)}${PRELOAD_QUERY}`)}\n`)
    const map = s.generateMap({ hires: true, source: id, includeContent: true })
    return { code: s.toString(), map: module.map ? (JSON.parse(remapping([map.toString(), module.map.toString()], () => null).toString()) as SourceMap) : map }
  }

  /** Loads large CommonJS require() graphs from chunks of their own where they run (`require-split.ts`). */
  async function splitRequires(this: UnpluginBuildContext, code: string, id: string, minBytes: number): Promise<{ code: string; map: SourceMap } | undefined> {
    let ast: ReturnType<typeof parseModule>
    try {
      ast = parseModule(code, id)
    } catch {
      return undefined
    }
    if (ast.program.sourceType !== 'script') return undefined
    const sites = findRequires(ast)
    if (sites.length === 0) return undefined
    const resolve = deadlockFreeResolver(bundlerResolver(this))
    subgraph ??= new DeferredSubgraph(resolve, ctx.displayId, (file) => ctx.generatedSources.get(file)?.(resolve))
    const entries = new Set([...ctx.entryFiles].map(fileOfId))
    const importer = ctx.displayId(id)
    const s = new MagicString(code)
    const required = sites.filter((site) => !isBuiltin(site.source))
    // Resolved and walked together: esbuild answers each resolution from its own process.
    const graphs = await Promise.all(required.map(async (site) => {
      const resolved = await resolve(site.source, id)
      if (!resolved || resolved.external || !path.isAbsolute(fileOfId(resolved.id))) return undefined
      return { resolved, graph: await subgraph!.requireGraph(id, resolved.id, entries) }
    }))
    for (const [index, site] of required.entries()) {
      const found = graphs[index]
      if (!found) continue
      const { resolved, graph } = found
      // Small graphs stay where they are, unreported: a chunk of their own would cost a file read for little.
      if (graph.bytes < minBytes) continue
      const file = fileOfId(resolved.id)
      const size = `require() of ${Math.round(graph.bytes / 1024)} KB (${graph.modules.length} module(s))`
      const record: LazyImportTransform = {
        kind: 'lazy-import',
        importer,
        line: site.line,
        column: site.column,
        source: site.source,
        applied: graph.reason === undefined,
        reason: graph.reason === undefined ? `${size}: loaded from a chunk of its own when it runs; evaluated where it was` : `${size} kept in its importer's chunk: ${graph.reason}`,
        bytes: 0,
      }
      ctx.transforms.push(record)
      if (!record.applied) continue
      record.form = 'sync'
      applied.push({ record, importedId: file, modules: graph.modules })
      const specifier = requireFacadeSpecifier(file)
      syncFacades.set(specifier, id)
      s.overwrite(site.start, site.end, `${SYNC_MARKER}(import(${JSON.stringify(specifier)})).default.${REQUIRE_FACADE_MEMBER}()`)
    }
    if (!s.hasChanged()) return undefined
    return { code: s.toString(), map: s.generateMap({ hires: true, source: id, includeContent: true }) }
  }

  /** Rolldown: a `codeSplitting` group that captures exactly the modules named (no dependencies pulled in). */
  function rolldownOutputOptions<T extends { codeSplitting?: unknown }>(output: T): T {
    if (output.codeSplitting === false) return output
    const existing = (typeof output.codeSplitting === 'object' && output.codeSplitting !== null ? output.codeSplitting : {}) as { groups?: unknown[] }
    const group = { name: (id: string) => manualChunks(id) ?? null }
    return { ...output, codeSplitting: { ...existing, includeDependenciesRecursively: false, groups: [group, ...(existing.groups ?? [])] } }
  }

  async function deferImports(this: UnpluginBuildContext, code: string, id: string, awaitedExports?: ReadonlySet<string>): Promise<{ code: string; map: SourceMap } | undefined> {
    let candidates: LazyCandidate[]
    let ast: ReturnType<typeof parseModule>
    try {
      ast = parseModule(code, id)
      candidates = findLazyCandidates(ast, awaitedExports)
    } catch {
      return undefined // the core plugin reports the app's syntax errors; packages are not ours to fail
    }
    if (candidates.length === 0) return undefined
    const resolve = deadlockFreeResolver(bundlerResolver(this))
    subgraph ??= new DeferredSubgraph(resolve, ctx.displayId, (file) => ctx.generatedSources.get(file)?.(resolve))
    // Packages and code outside the project (e.g. the injected runtime) are not the user's to read about.
    const inPackage = NODE_MODULES.test(id) || !id.startsWith(ctx.options.root)
    const importer = ctx.displayId(id)
    const s = new MagicString(code)
    const accepted: Array<{ candidate: LazyCandidate; record: LazyImportTransform; commonjs: boolean; specifier: string; whole: boolean; readers?: string[]; stubs?: RegistrarShape[] }> = []

    for (const candidate of candidates) {
      // In packages, only imports that code inside functions uses are worth a line in the report.
      if (inPackage && !(sync ? candidate.usedInFunction : candidate.usedInAsync)) continue
      const record: LazyImportTransform = {
        kind: 'lazy-import',
        importer,
        line: candidate.line,
        column: candidate.column,
        source: candidate.source,
        applied: false,
        reason: '',
        bytes: 0,
      }
      const refuse = (reason: string): void => {
        record.reason = reason
        ctx.transforms.push(record)
      }
      // The synchronous form needs only uses inside functions; the async one is stricter.
      const refusal = sync ? candidate.syncRefusal : candidate.refusal
      if (refusal) {
        refuse(refusal)
        continue
      }
      if (isBuiltin(candidate.source)) {
        if (!inPackage) refuse('Node builtin: already in memory, nothing to split')
        continue
      }
      const resolved = await resolve(candidate.source, id)
      if (!resolved) {
        refuse('does not resolve')
        continue
      }
      if (resolved.external) {
        refuse('external module: not bundled, so not analysed')
        continue
      }
      const verdict = await subgraph.check(id, resolved.id, { sync })
      if (!verdict.ok) {
        refuse(verdict.reason)
        continue
      }
      const file = fileOfId(resolved.id)
      // A dependency's imports of its own modules stay as written: the package is deferred from
      // outside as a whole, and splitting it further inside (lodash-es: hundreds of modules)
      // makes a chunk per helper and grows the output by half for nothing (issue 11: deferral
      // never costs size). The package a bundled entry belongs to is the CLI itself: its own
      // modules (commands) are split like the app's.
      const folder = sync ? packageFolder(fileOfId(id)) : undefined
      if (folder !== undefined && folder === packageFolder(file) && !entryPackages().has(folder)) {
        refuse(`a dependency's import of its own module: the package is deferred as a whole where it is imported, not split inside`)
        continue
      }
      record.applied = true
      // The bootstrap starts the manifest's load early with import(); awaiting that same load
      // keeps the head start, where a require() would read the chunk again from the start.
      if (sync && !(candidate.refusal === undefined && ctx.generatedSources.has(file))) {
        const names = usedNames(candidate.syncUses)
        const method = names === '*' ? undefined : await methodReadingThis(candidate.syncUses, file, resolve)
        const whole = names === '*' || !path.isAbsolute(file) || method !== undefined
        // Only the app's own registrations: inside packages a function handed over at load is as
        // often a base class or an implementation read by its properties (util.inherits, promisify).
        const stubs = !candidate.registrars ? [] : inPackage ? `${candidate.registrars[0]!.at} used at top level: handed to a call at load inside a package, where no stub stands in` : await registrarShapes(candidate.registrars, file, verdict.commonjs)
        if (typeof stubs === 'string') {
          record.applied = false
          refuse(stubs)
          continue
        }
        // A module that reads changeable state at load must read it where it always did: the
        // imported module itself cannot be deferred then; a module deeper in its graph stays in
        // the startup load, imported where the deferred import was (docs/lazy-imports.md).
        const rootRead = verdict.readers.find((reader) => reader.id === file)
        if (rootRead) {
          record.applied = false
          refuse(`${rootRead.where} reads at load state the program can change (${verdict.state.join(', ')}): evaluated at first use, it could see another value`)
          continue
        }
        record.form = 'sync'
        const count = candidate.syncUses.length
        record.reason = `only used inside functions (${count} use${count === 1 ? '' : 's'}): loaded synchronously on first use; ${verdict.modules.length} module(s) deferred`
        if (method !== undefined) record.reason += `; ${method}() reads this, the namespace it is called on: the whole namespace is loaded`
        if (stubs.length > 0) record.reason += `; handed to a call at load (${stubs.map((stub) => stub.local).join(', ')}): a stub loads it on first call`
        if (verdict.readers.length > 0) record.reason += `; ${verdict.readers.map((reader) => ctx.displayId(reader.id)).join(', ')} read${verdict.readers.length === 1 ? 's' : ''} at load ${verdict.state.join(', ')}: kept in the startup load, imported where this import was`
        // The clock is not the program's state: a module that keeps its load time keeps the time of first use (docs/lazy-imports.md).
        if (verdict.clockReads.length > 0) record.reason += `; reads the clock at load (${verdict.clockReads[0]}${verdict.clockReads.length > 1 ? ` and ${verdict.clockReads.length - 1} more` : ''}): it gets the time of first use`
        ctx.transforms.push(record)
        applied.push({ record, importedId: file, modules: verdict.modules })
        accepted.push({ candidate, record, commonjs: verdict.commonjs, specifier: syncFacadeSpecifier(file, whole ? '*' : (names as string[])), whole, readers: verdict.readers.map((reader) => reader.id), stubs })
        syncFacades.set(syncFacadeSpecifier(file, whole ? '*' : (names as string[])), id)
        continue
      }
      const afterAwait = candidate.uses.every((use) => use.order === 'after-await')
      record.form = 'async'
      record.order = afterAwait ? 'after-await' : 'callers-await'
      record.reason = afterAwait
        ? `only used in async functions, after an await (${candidate.uses.length} use${candidate.uses.length === 1 ? '' : 's'}); ${verdict.modules.length} module(s) deferred`
        : `only used in async functions (${candidate.uses.length} use${candidate.uses.length === 1 ? '' : 's'}), first use before any await: correct when callers await the function; ${verdict.modules.length} module(s) deferred`
      ctx.transforms.push(record)
      applied.push({ record, importedId: fileOfId(resolved.id), modules: verdict.modules })
      accepted.push({ candidate, record, commonjs: verdict.commonjs, specifier: loadSpecifier(candidate, resolved.id, verdict.commonjs, (await methodReadingThis(candidate.uses, file, resolve)) !== undefined), whole: false })
    }

    const entry = ctx.entryFiles.has(id)
    const usesOf = (a: (typeof accepted)[number]): LazyCandidate['uses'] => (a.record.form === 'sync' ? a.candidate.syncUses : a.candidate.uses)
    const tails = entry && !inPackage && TAILS_SOURCE.test(id) ? outlineColdTails(s, ast, code, id, accepted.flatMap(usesOf)) : []
    const inTails = (use: { start: number }): boolean => tails.some((tail) => use.start >= tail.start && use.start < tail.end)
    let index = 0
    for (const deferral of accepted) {
      const { candidate, record, commonjs, specifier, whole, readers, stubs } = deferral
      const uses = usesOf(deferral).filter((use) => !inTails(use))
      if (uses.length === 0) {
        // Every use moved with a tail, whose module defers the import itself.
        s.remove(candidate.start, candidate.end)
        record.reason += '; every use moved to a cold tail, which loads it there'
        continue
      }
      if (record.form === 'sync') {
        rewriteSyncImport(s, { ...candidate, syncUses: uses }, index++, specifier, whole, readers, stubs)
      }
      else rewriteLazyImport(s, { ...candidate, uses }, index++, commonjs, specifier)
    }
    // The shim carries the `#!` line now; a second copy in the entry's chunk is dead weight.
    if (entry && code.startsWith('#!')) s.remove(0, code.indexOf('\n') === -1 ? code.length : code.indexOf('\n'))
    // With every import turned into a loader, nothing marks the module as ESM any more, and
    // @rollup/plugin-commonjs would take it for CommonJS (a top-level await then fails to parse).
    const moduleSyntax = ast.program.body.filter((node) => node.type === 'ImportDeclaration' || node.type.startsWith('Export')).length
    if (accepted.length > 0 && accepted.length >= moduleSyntax) s.append('\nexport {};\n')
    if (!s.hasChanged()) return undefined
    return { code: s.toString(), map: s.generateMap({ hires: true, source: id, includeContent: true }) }
  }

  /** Moves the entry's cold tails to their own module (see `find-cold-tails.ts`); returns them. */
  function outlineColdTails(s: MagicString, ast: ReturnType<typeof parseModule>, code: string, id: string, deferredUses: ReadonlyArray<{ start: number; end: number }>): ColdTail[] {
    const { tails, refusals } = findColdTails(ast, deferredUses)
    const importer = ctx.displayId(id)
    for (const refusal of refusals) {
      ctx.transforms.push({ kind: 'cold-tail', importer, line: refusal.line, column: refusal.column, function: refusal.name, applied: false, reason: refusal.reason } satisfies ColdTailTransform)
    }
    if (tails.length === 0) return tails
    for (const tail of tails) {
      const passed = tail.params.length > 0 ? `, passed ${tail.params.join(', ')}` : ''
      ctx.transforms.push({
        kind: 'cold-tail',
        importer,
        line: tail.line,
        column: tail.column,
        function: tail.name,
        applied: true,
        reason: `from line ${tail.line} on, ${tail.name} runs only after a deferred import is needed: moved to a module loaded at that point${passed}`,
      } satisfies ColdTailTransform)
    }
    tailModules.set(tailsId(id), { code, tails })
    replaceTails(s, tails, id)
    return tails
  }
}

/**
 * After the build: a deferred module that still sits in an initial chunk (another module imports
 * it eagerly) was deferred correctly but saved nothing; say so. `bytes` is what really left the
 * initial load.
 */
function settleDeferrals(report: Report, applied: readonly AppliedDeferral[], displayId: (id: string) => string): void {
  const initial = new Set(report.entries.flatMap((entry) => entry.initialFiles))
  const chunkOf = new Map<string, { file: string; bytes: number }>()
  for (const chunk of report.chunks) {
    for (const module of chunk.modules) chunkOf.set(module.id, { file: chunk.file, bytes: module.bytes })
  }
  const find = (id: string): { file: string; bytes: number } | undefined => chunkOf.get(displayId(id)) ?? chunkOf.get(displayId(id.replace(/[?#].*$/, '')))
  for (const { record, importedId, modules } of applied) {
    record.bytes = modules.reduce((sum, id) => {
      const placed = find(id)
      return placed && !initial.has(placed.file) ? sum + placed.bytes : sum
    }, 0)
    const placed = find(importedId)
    if (!placed) {
      // Rendered to nothing (everything it exports is unused, or it was inlined): no bytes moved.
      record.effective = record.bytes > 0
      if (!record.effective) record.reason += '; the module rendered no code of its own in the output'
      continue
    }
    record.effective = !initial.has(placed.file)
    if (!record.effective) record.reason += `; not effective: ${displayId(importedId)} is also imported eagerly elsewhere and stays in the initial load (${placed.file})`
  }
}

/**
 * esbuild's half of `adapters/sync-load.ts`: the written chunks are rewritten in `onEnd`. A
 * plugin of its own, registered before the core plugin, whose `onEnd` measures the output.
 */
export function lazyEsbuildOutputPlugin(options: ResolvedLazyOptions | false): UnpluginOptions | undefined {
  if (options === false) return undefined
  return {
    name: 'cli-optimizer:lazy-output',
    esbuild: {
      setup(build) {
        build.onEnd(async (result) => {
          if (result.errors.length > 0) return
          const chunks: Array<{ fileName: string; code: string }> = []
          await rewriteEsbuildChunks(build, result, (code, fileName) => {
            chunks.push({ fileName, code })
            return undefined
          })
          const changed = renderSyncLoads(chunks)
          if (changed.size === 0) return
          await rewriteEsbuildChunks(build, result, (_code, fileName) => changed.get(fileName))
        })
      },
    },
  }
}
