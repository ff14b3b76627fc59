/**
 * A dynamic import keeps the whole namespace of its target: `import('lodash-es')` brings every
 * export of lodash-es into the bundle, where the static `import { groupBy }` it replaced let the
 * bundler drop the rest. So a deferred ES module is loaded through a facade that re-exports only
 * the names the importer used, and the bundler tree-shakes the target as before.
 *
 * The facade's id is the target's own path plus a query, so every bundler resolves the facade's
 * folder like the target's and other plugins leave the id alone.
 */
const FACADE_QUERY = '?cli-optimizer-lazy='
export const FACADE_ID = /\?cli-optimizer-lazy=/

/** The specifier the loader imports: `file` re-exported with only `names` (`default` included). */
export function facadeSpecifier(file: string, names: readonly string[]): string {
  return `${file}${FACADE_QUERY}${[...new Set(names)].sort().map(encodeURIComponent).join(',')}`
}

/**
 * The facade a synchronous load goes through: its own dynamic entry, so the bundler gives it a
 * chunk of its own that `require()` can load (see `adapters/sync-load.ts`). A static re-export
 * also gives CommonJS targets the interop of the static import it replaces. `names` lists the
 * exports used, or is `*` when the whole namespace is (exported as `__cliNs`, the same object).
 */
const SYNC_FACADE_QUERY = '?cli-optimizer-sync='
export const SYNC_FACADE_ID = /\?cli-optimizer-sync=/
export const WHOLE_NAMESPACE = '__cliNs'

export function syncFacadeSpecifier(file: string, names: readonly string[] | '*'): string {
  return `${file}${SYNC_FACADE_QUERY}${names === '*' ? '*' : [...new Set(names)].sort().map(encodeURIComponent).join(',')}`
}

/**
 * The facade of a split `require()` (`require-split.ts`): a CommonJS module exporting a function
 * that requires the target. Loading its chunk evaluates nothing of the target (bundlers wrap
 * CommonJS modules in functions run on first require), so the target still evaluates exactly when
 * the require runs, on every Node version (where the bootstrap preloads the chunk, too). The
 * `.cjs` ending makes Rollup's CommonJS plugin take it as CommonJS.
 */
const REQUIRE_FACADE = '@require.cjs'
export const REQUIRE_FACADE_MEMBER = 'load'

export function requireFacadeSpecifier(file: string): string {
  return `${file}${SYNC_FACADE_QUERY}${REQUIRE_FACADE}`
}

/**
 * Whether `id` is a facade itself, not another plugin's module derived from one (Rollup's
 * CommonJS plugin loads `<facade>?commonjs-es-import` for a CommonJS facade imported by `import()`).
 */
export function isFacadeId(id: string): boolean {
  const at = Math.max(id.indexOf(SYNC_FACADE_QUERY), id.indexOf(FACADE_QUERY))
  return at !== -1 && !id.slice(at + 1).includes('?')
}

/** The facade module's code, or undefined for an id that is not a facade. */
export function facadeSource(id: string): string | undefined {
  if (!isFacadeId(id)) return undefined
  const sync = id.indexOf(SYNC_FACADE_QUERY)
  if (sync !== -1 && id.slice(sync + SYNC_FACADE_QUERY.length) === REQUIRE_FACADE) {
    return `exports.${REQUIRE_FACADE_MEMBER} = () => require(${JSON.stringify(id.slice(0, sync))});\n`
  }
  if (sync !== -1 && id.slice(sync + SYNC_FACADE_QUERY.length) === '*') {
    return `export * as ${WHOLE_NAMESPACE} from ${JSON.stringify(id.slice(0, sync))};\n`
  }
  const query = sync === -1 ? FACADE_QUERY : SYNC_FACADE_QUERY
  const at = sync === -1 ? id.indexOf(FACADE_QUERY) : sync
  if (at === -1) return undefined
  const file = id.slice(0, at)
  const names = id
    .slice(at + query.length)
    .split(',')
    .filter(Boolean)
    .map(decodeURIComponent)
  const list = names.map((name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name))).join(', ')
  return `export { ${list} } from ${JSON.stringify(file)};\n`
}
