import type MagicString from 'magic-string'
import type { LazyCandidate, LazyUse } from './find-lazy-candidates.js'
import { WHOLE_NAMESPACE } from './lazy-facade.js'
import { registrarStub, type RegistrarShape } from './registrar-stub.js'

/** Prefix of the names the rewrite declares; a module that already has them is left alone. */
export const LAZY_PREFIX = '__cliLazy'

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

function accessor(use: LazyUse): string {
  if (use.binding.kind === 'namespace') return ''
  const name = use.binding.kind === 'default' ? 'default' : use.binding.name
  return IDENTIFIER.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`
}

/**
 * The namespace of a dynamically imported CommonJS module differs between bundlers: esbuild's
 * split chunk has only `default`, where Node and a static import also give the named exports. The
 * properties of `module.exports` are added, so named bindings read as they did.
 */
const COMMONJS_NAMESPACE =
  '(m.default != null && (typeof m.default === "object" || typeof m.default === "function") ? Object.assign(Object.create(null), m.default, m, { default: m.default }) : m)'

/**
 * `var ns` and `function nsL()`, which imports `specifier` once and keeps its namespace (as
 * `namespace`, an expression of `m`) in `ns`. Both are hoisted: no use can hit a temporal dead zone.
 */
export function cachedLoader(ns: string, specifier: string, namespace = 'm'): string {
  return `var ${ns}, ${ns}P; function ${ns}L() { return ${ns}P ??= import(${JSON.stringify(specifier)}).then((m) => (${ns} = ${namespace})); }`
}

/**
 * Replaces one static import with a cached loader and every use with a load at the use site:
 *
 * ```js
 * import { parse } from 'yaml'            var __cliLazy0, __cliLazy0P; function __cliLazy0L() {
 *                                           return __cliLazy0P ??= import("yaml").then((m) => (__cliLazy0 = m)) }
 * async function f(s) { parse(s) }   →   async function f(s) { (0, (__cliLazy0 ?? await __cliLazy0L()).parse)(s) }
 * ```
 *
 * A use inside a sync closure (`list.sort((a, b) => semver.compare(a, b))`) reads `__cliLazy0`
 * directly; the statement that creates the closure is preceded by `__cliLazy0 ?? await __cliLazy0L();`.
 *
 * `var` and a function declaration are hoisted like the import was, so no use can hit a TDZ.
 * Once loaded, `__cliLazy0 ?? …` short-circuits: later uses cost no extra `await` tick. Reading the
 * namespace's property at each use keeps ESM live-binding semantics; `(0, …)` keeps `this`
 * undefined in calls, as it was for the imported function.
 */
export function rewriteLazyImport(s: MagicString, candidate: LazyCandidate, index: number, commonjs: boolean, specifier: string = candidate.source): void {
  const ns = `${LAZY_PREFIX}${index}`
  const loader = `${ns}L`
  s.overwrite(candidate.start, candidate.end, cachedLoader(ns, specifier, commonjs ? COMMONJS_NAMESPACE : 'm'))
  const load = `(${ns} ?? await ${loader}())`
  const preloads = new Set<number>()
  for (const use of candidate.uses) {
    // Inside a sync closure the module was loaded by a statement before the closure was created.
    const value = use.preloadAt === undefined ? `${load}${accessor(use)}` : `${ns}${accessor(use)}`
    if (use.preloadAt !== undefined) preloads.add(use.preloadAt)
    let replacement: string
    if (use.shape === 'shorthand') {
      s.overwrite(use.property!.start, use.property!.end, `${use.property!.key}: ${value}`)
      continue
    }
    if (use.shape === 'callee') replacement = accessor(use) ? `(0, ${value})` : value
    else if (use.shape === 'new-callee') replacement = `(${value})`
    else replacement = value
    // `a()\n(0, x)()` would call a()'s result: a statement that now starts with `(` gets a `;`.
    if (use.startsStatement && replacement.startsWith('(')) replacement = `;${replacement}`
    s.overwrite(use.start, use.end, replacement)
  }
  for (const at of preloads) s.appendLeft(at, `;${ns} ?? await ${loader}(); `)
}

/**
 * The call the synchronous loader makes around the facade's `import()`. After rendering, the
 * output adapter turns `__cliOptimizerRequire(import("./chunk.js"))` into a synchronous
 * `require()` of that chunk (see `adapters/sync-load.ts`); the bundler still sees a dynamic
 * import, so it splits the facade into a chunk of its own.
 */
export const SYNC_MARKER = '__cliOptimizerRequire'

/**
 * Replaces one static import with a synchronous accessor that loads the module on first use:
 *
 * ```js
 * import { parse } from 'yaml'    var __cliLazy0; function __cliLazy0R() {
 *                                   return __cliLazy0 ??= __cliOptimizerRequire(import("yaml?cli-optimizer-sync=parse")) }
 * function f(s) { parse(s) }  →   function f(s) { (0, __cliLazy0R().parse)(s) }
 * ```
 *
 * Nothing is awaited, so no code runs in another order; only the module's own evaluation moves
 * to the first use (the deferred graph is proven free of effects). `whole` when the namespace
 * itself is used as a value: the facade exports it as `__cliNs`. `eagerImports`: modules of the
 * deferred graph that read changeable state at load; imported here, in the import's place, they
 * evaluate where they always did (`import "/abs/config.js";` before the accessor).
 */
export function rewriteSyncImport(s: MagicString, candidate: LazyCandidate, index: number, specifier: string, whole: boolean, eagerImports: readonly string[] = [], stubs: readonly RegistrarShape[] = []): void {
  const ns = `${LAZY_PREFIX}${index}`
  const getter = `${ns}R`
  const namespace = whole ? `.${WHOLE_NAMESPACE}` : ''
  // A namespace import handed to the load, not `import "x"`: bundlers drop a side-effect-only import
  // of a module they take to be free of effects (as the plugin's own analysis says it is), and
  // would then evaluate it later. The extra argument is removed when the load is rendered.
  const eager = eagerImports.map((id, i) => `import * as ${ns}E${i} from ${JSON.stringify(id)}; `).join('')
  const kept = eagerImports.length > 0 ? `, [${eagerImports.map((_, i) => `${ns}E${i}`).join(', ')}]` : ''
  const load = `${SYNC_MARKER}(import(${JSON.stringify(specifier)})${kept})`
  const declaration = `${eager}var ${ns}; function ${getter}() { return ${ns} ??= ${load}${namespace}; }`
  // A registrar's argument keeps its name: the stub is declared under it (`registrar-stub.ts`).
  const stubCode = stubs.map((stub) => ` ${registrarStub(stub.local, `${getter}()${accessor({ binding: stub.binding } as LazyUse)}`, stub)}`).join('')
  s.overwrite(candidate.start, candidate.end, declaration + stubCode)
  for (const use of candidate.syncUses) {
    if (use.shape === 'registrar') continue
    const value = `${getter}()${accessor(use)}`
    if (use.shape === 'shorthand') {
      s.overwrite(use.property!.start, use.property!.end, `${use.property!.key}: ${value}`)
      continue
    }
    let replacement: string
    if (use.shape === 'callee') replacement = accessor(use) ? `(0, ${value})` : value
    else if (use.shape === 'new-callee') replacement = `(${value})`
    else replacement = value
    if (use.startsStatement && replacement.startsWith('(')) replacement = `;${replacement}`
    s.overwrite(use.start, use.end, replacement)
  }
}
