import { createRequire } from 'node:module'
import path from 'node:path'

/**
 * The npm package a module id belongs to: the path segment after the last `node_modules/`
 * (scoped names keep their scope), or `null` for the app's own code and virtual modules.
 */
export function packageOf(id: string): string | null {
  const normalized = `/${id.replace(/\\/g, '/')}`
  const at = normalized.lastIndexOf('/node_modules/')
  if (at === -1) return ownPackageOf(normalized.slice(1))
  const [first, second] = normalized.slice(at + '/node_modules/'.length).split('/')
  if (!first) return null
  return first.startsWith('@') && second ? `${first}/${second}` : first
}

let runtimeDir: string | null | undefined

/**
 * The plugin's runtime is `@cli-optimizer/runtime` wherever it is installed, also when a workspace
 * links it from outside `node_modules`: its modules are never the app's own code.
 */
function ownPackageOf(id: string): string | null {
  if (!path.isAbsolute(id)) return null
  if (runtimeDir === undefined) {
    try {
      runtimeDir = path.dirname(createRequire(import.meta.url).resolve('@cli-optimizer/runtime/package.json')).replace(/\\/g, '/') + '/'
    } catch {
      runtimeDir = null
    }
  }
  return runtimeDir !== null && id.startsWith(runtimeDir) ? '@cli-optimizer/runtime' : null
}
