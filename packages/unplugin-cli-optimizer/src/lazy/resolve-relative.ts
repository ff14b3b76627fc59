import { realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Resolve, ResolvedImport } from '../adapters/resolve.js'

const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.tsx', '.jsx', '.json']
const TS_FOR_JS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'], '.jsx': ['.tsx'] }

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile()
  } catch {
    return false
  }
}

async function firstFile(candidates: readonly string[]): Promise<string | undefined> {
  for (const candidate of candidates) if (await isFile(candidate)) return realpath(candidate)
  return undefined
}

/**
 * Resolves `./x` and `../x` the way every bundler does for plain files (exact name, added
 * extension, TypeScript's `.js` → `.ts`, `index` files); `undefined` when unsure.
 */
export async function resolveRelativeFile(specifier: string, importer: string): Promise<string | undefined> {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined
  if (/[?#]/.test(specifier)) return undefined
  const base = path.resolve(path.dirname(importer.replace(/[?#].*$/, '')), specifier)
  const ext = path.extname(base)
  return firstFile([
    base,
    ...(TS_FOR_JS[ext] ?? []).map((ts) => base.slice(0, -ext.length) + ts),
    ...EXTENSIONS.map((e) => base + e),
    ...EXTENSIONS.map((e) => path.join(base, `index${e}`)),
  ])
}

/**
 * The bundler's resolver for packages, plain file resolution for relative specifiers. Rollup's
 * CommonJS plugin loads the module it resolves (to detect CommonJS), and a load waits for that
 * module's transform: resolving a module whose transform is waiting for this very analysis
 * (any import cycle) would deadlock the build. Relative specifiers never go through it.
 */
export function deadlockFreeResolver(bundler: Resolve): Resolve {
  return async (specifier, importer): Promise<ResolvedImport | null> => {
    const file = await resolveRelativeFile(specifier, importer)
    if (file) return { id: file, external: false }
    return bundler(specifier, importer)
  }
}
