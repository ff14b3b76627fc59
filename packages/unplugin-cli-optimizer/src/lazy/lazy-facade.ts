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

/** The facade module's code, or undefined for an id that is not a facade. */
export function facadeSource(id: string): string | undefined {
  const sync = id.indexOf(SYNC_FACADE_QUERY)
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
