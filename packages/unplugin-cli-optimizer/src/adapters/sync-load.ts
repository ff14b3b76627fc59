/**
 * Rendering of synchronous deferrals (`lazy/rewrite-lazy-imports.ts`, `rewriteSyncImport`) in
 * the output, shared by every bundler:
 *
 * - **The load.** The transform leaves `__cliOptimizerRequire(import("…?cli-optimizer-sync=…"))`,
 *   so the bundler splits the facade into a chunk of its own and renders its path. After
 *   rendering, the `import()` is dropped: `__cliOptimizerRequire("./facade-x.js")` `require()`s
 *   that chunk (Node >= 20.19 / >= 22.12 load an ES module synchronously and return the same
 *   namespace `import()` would). Rolldown (so Vite 8) has no `renderDynamicImport` hook and
 *   esbuild no render hook at all, hence one textual rewrite of the rendered chunks for all.
 * - **No cycle at require time.** `require()` throws `ERR_REQUIRE_CYCLE_MODULE` when the graph it
 *   loads contains a module still evaluating. Rollup and Rolldown put modules an entry and a
 *   deferred module share into the entry's chunk, which is still evaluating while its top level
 *   runs `main()`. So every module a synchronously loaded facade reaches is assigned to a chunk
 *   by the set of entry points (entries and dynamic imports) that reach it, as esbuild does by
 *   itself: such a chunk holds only modules of deferred graphs, which never reach the importer
 *   (the analysis refuses that cycle), so a chunk it imports cannot be an ancestor of the use.
 * - **Node without require(esm)** (21.x, 22.0-22.11, or `--no-experimental-require-module`):
 *   the bootstrap imports the preload module before the program when
 *   `process.features.require_module` is not true, and it imports every synchronously loaded
 *   chunk (their modules are free of effects, so evaluating them first is invisible); the
 *   helper then returns those namespaces. Deferral falls back to eager there, never to a crash.
 */
import { createHash } from 'node:crypto'
import path from 'node:path'
import { SYNC_MARKER } from '../lazy/rewrite-lazy-imports.js'

/** The call the preload module makes; its empty list is filled with the chunks to preload. */
export const PRELOAD_MARKER = '__cliOptimizerPreload'
/** The query of the preload module's id (appended to the entry's path, like the facades). */
export const PRELOAD_QUERY = '?cli-optimizer-sync-preload'
export const PRELOAD_SOURCE = `await ${PRELOAD_MARKER}([]);\nexport {};\n`
const REGISTRY = 'cli-optimizer.sync'

// `import("./c.js")`, or, where the module shares its chunk with others, Rolldown's
// `import("./c.js").then((n) => n.t)` (Rollup's `.then(function (n) { return n.t; })`): the chunk
// exports the module's namespace under a short name;
// or, for a CommonJS module (a split require's facade), Rolldown's interop
// `import("./c.js").then((m) => /* @__PURE__ */ __toESM(m.default, 1))`, kept around the loaded namespace.
// A second argument (`, [ns0, ns1]`: namespaces of modules kept in the startup load, see
// `rewriteSyncImport`) only keeps those imports alive until here; it is dropped.
const THEN_MEMBER = String.raw`\.then\(\s*\(?\s*(?<arrow>[\w$]+)\s*\)?\s*=>\s*\k<arrow>\.(?<arrowMember>[\w$]+)\s*\)`
const THEN_FUNCTION_MEMBER = String.raw`\.then\(\s*function\s*\(\s*(?<param>[\w$]+)\s*\)\s*\{\s*return\s+\k<param>\.(?<functionMember>[\w$]+)\s*;?\s*\}\s*\)`
const THEN_INTEROP = String.raw`\.then\(\s*\(?\s*(?<module>[\w$]+)\s*\)?\s*=>\s*(?:\/\*\s*@__PURE__\s*\*\/\s*)?(?<interop>[\w$]+)\(\s*\k<module>\.default\s*(?<nodeMode>,\s*1\s*)?\)\s*\)`
const SYNC_CALL = new RegExp(String.raw`${SYNC_MARKER}\(\s*import\(\s*(?<quote>["'${'`'}])(?<specifier>[^"'${'`'}]+)\k<quote>\s*\)(?:\s*(?:${THEN_MEMBER}|${THEN_FUNCTION_MEMBER}|${THEN_INTEROP}))?(?:\s*,\s*\[[\w$.,\s]*\])?\s*\)`, 'g')
const UNRENDERED = new RegExp(`${SYNC_MARKER}\\((?!")`)
const PRELOAD_CALL = new RegExp(`${PRELOAD_MARKER}\\(\\s*\\[\\s*\\]\\s*\\)`)
const SOURCE_MAP_COMMENT = /\n\/\/# sourceMappingURL=[^\n]*\s*$/

// Namespaces preloaded on Node without require(esm) win; otherwise the chunk's own require loads it.
const SYNC_HELPER = `function ${SYNC_MARKER}(p) { const m = globalThis[Symbol.for(${JSON.stringify(REGISTRY)})]; return m?.get(new URL(p, import.meta.url).href) ?? process.getBuiltinModule("module").createRequire(import.meta.url)(p); }`
// One after the other: the same order on every run.
const PRELOAD_HELPER = `async function ${PRELOAD_MARKER}(files) { const m = (globalThis[Symbol.for(${JSON.stringify(REGISTRY)})] ??= new Map()); for (const f of files) { const u = new URL(f, import.meta.url).href; m.set(u, await import(u)); } }`

/** The bootstrap's line that preloads synchronously loaded chunks where `require()` cannot load them. */
export function preloadLine(preloadId: string): string {
  return `process.features.require_module || await import(${JSON.stringify(preloadId)});`
}

export interface RenderedChunkCode {
  /** POSIX path relative to the output folder. */
  fileName: string
  code: string
}

export class SyncLoadError extends Error {
  readonly code = 'CLI_OPTIMIZER_SYNC_LOAD_UNRENDERED'
}

function appendCode(code: string, addition: string): string {
  const comment = SOURCE_MAP_COMMENT.exec(code)
  if (!comment) return `${code}\n${addition}\n`
  return `${code.slice(0, comment.index)}\n${addition}${code.slice(comment.index)}`
}

/**
 * Rewrites every chunk's synchronous loads and fills the preload list; returns the chunks that
 * changed (new code by file name). Throws `SyncLoadError` when a load was not rendered as a
 * plain `import("./chunk.js")` (dynamic imports inlined, a non-ESM format).
 */
export function renderSyncLoads(chunks: readonly RenderedChunkCode[]): Map<string, string> {
  const changed = new Map<string, string>()
  const targets = new Set<string>()
  for (const chunk of chunks) {
    if (!chunk.code.includes(SYNC_MARKER)) continue
    let found = false
    let code = chunk.code.replace(SYNC_CALL, (...args: unknown[]) => {
      const groups = args.at(-1) as Record<string, string | undefined>
      const specifier = groups.specifier!
      found = true
      targets.add(path.posix.normalize(path.posix.join(path.posix.dirname(chunk.fileName), specifier)))
      const load = `${SYNC_MARKER}(${JSON.stringify(specifier)})`
      if (groups.interop) return `${groups.interop}(${load}.default${groups.nodeMode ? ', 1' : ''})`
      const member = groups.arrowMember ?? groups.functionMember
      return `${load}${member ? `.${member}` : ''}`
    })
    if (UNRENDERED.test(code)) {
      throw new SyncLoadError(
        `[cli-optimizer] CLI_OPTIMIZER_SYNC_LOAD_UNRENDERED: ${chunk.fileName}: a deferred import's chunk was not rendered as a separate chunk (dynamic imports inlined, or an output format other than ES modules); set \`lazy: false\` or keep code splitting on with ESM output`,
      )
    }
    if (found) {
      code = appendCode(code, SYNC_HELPER)
      changed.set(chunk.fileName, code)
    }
  }
  for (const chunk of chunks) {
    const code = changed.get(chunk.fileName) ?? chunk.code
    if (!PRELOAD_CALL.test(code)) continue
    const dir = path.posix.dirname(chunk.fileName)
    const list = [...targets].sort().map((target) => {
      const relative = path.posix.relative(dir, target)
      return relative.startsWith('.') ? relative : `./${relative}`
    })
    changed.set(chunk.fileName, appendCode(code.replace(PRELOAD_CALL, `${PRELOAD_MARKER}(${JSON.stringify(list)})`), PRELOAD_HELPER))
  }
  return changed
}

interface ModuleInfoLike {
  isEntry: boolean
  isExternal?: boolean
  importedIds: readonly string[]
  dynamicallyImportedIds: readonly string[]
}

/**
 * The chunk name of every module a synchronously loaded facade reaches: one chunk per set of
 * entry points (entries and dynamic-import targets) that statically reach the module, so such a
 * chunk holds only modules of deferred graphs (see the header). Other modules are left to the
 * bundler.
 */
export function syncChunkNames(facades: ReadonlySet<string>, moduleIds: Iterable<string>, info: (id: string) => ModuleInfoLike | null): Map<string, string> {
  const ids = [...moduleIds]
  const entryPoints = new Set<string>()
  for (const id of ids) {
    const module = info(id)
    if (!module || module.isExternal) continue
    if (module.isEntry) entryPoints.add(id)
    for (const dynamic of module.dynamicallyImportedIds) entryPoints.add(dynamic)
  }
  const reachedBy = new Map<string, string[]>()
  for (const entry of [...entryPoints].sort()) {
    const seen = new Set<string>([entry])
    const queue = [entry]
    while (queue.length > 0) {
      const id = queue.pop()!
      const module = info(id)
      if (!module || module.isExternal) continue
      let list = reachedBy.get(id)
      if (!list) reachedBy.set(id, (list = []))
      list.push(entry)
      for (const next of module.importedIds) {
        if (!seen.has(next)) {
          seen.add(next)
          queue.push(next)
        }
      }
    }
  }
  // Rollup's CommonJS plugin imports a CommonJS facade (a split require) through its own proxy, `<facade>?commonjs-es-import`.
  const isFacade = (entry: string): boolean => facades.has(entry) || [...facades].some((facade) => entry.replace(/^\0/, '').startsWith(`${facade}?`))
  const names = new Map<string, string>()
  for (const [id, entries] of reachedBy) {
    const facade = entries.find(isFacade)
    if (!facade) continue
    const signature = entries.join('\n')
    const base = path.basename(facade.replace(/[?#].*$/, '')).replace(/\.[^.]*$/, '').replace(/[^\w-]/g, '_') || 'lazy'
    names.set(id, `${base}-${createHash('sha256').update(signature).digest('hex').slice(0, 8)}`)
  }
  return names
}
