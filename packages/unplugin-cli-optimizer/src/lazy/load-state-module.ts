/**
 * The module a synchronous deferral imports in place of a deferred module whose graph reads
 * changeable state at load (`process.env.X`, `process.cwd()`, a global…): it captures that state
 * when evaluated, i.e. at the very point of the load order where the deferred module would have
 * evaluated, and its default export runs the deferred module's later evaluation with that state
 * put back (`@cli-optimizer/runtime/lazy/load-state`).
 *
 * Its id is the importer's path plus a query naming the deferral and the keys, so each deferral
 * gets a module of its own (ES modules evaluate once) and the bundler resolves it like the importer.
 */
const STATE_QUERY = '?cli-optimizer-state='
export const STATE_ID = /\?cli-optimizer-state=/

export function loadStateSpecifier(importerFile: string, index: number, keys: readonly string[]): string {
  return `${importerFile}${STATE_QUERY}${index}:${keys.map(encodeURIComponent).join(',')}`
}

/** The module's code; `runtimeModule` is the absolute path of the runtime's `lazy/load-state`. */
export function loadStateSource(id: string, runtimeModule: string): string | undefined {
  const at = id.indexOf(STATE_QUERY)
  if (at === -1) return undefined
  const query = id.slice(at + STATE_QUERY.length)
  const keys = query.slice(query.indexOf(':') + 1).split(',').filter(Boolean).map(decodeURIComponent)
  return `import { captureLoadState } from ${JSON.stringify(runtimeModule)};\nexport default captureLoadState(${JSON.stringify(keys)});\n`
}
