import { readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * What a module's package says about its side effects (`"sideEffects"` in the nearest
 * `package.json` with a name or that field): `false` droppable when unused, `true` declared to
 * have effects, `undefined` nothing declared. Array globs follow webpack's rules: a pattern
 * without a slash matches the file name anywhere in the package.
 */
export type DeclaredSideEffects = boolean | undefined

interface PackageSideEffects {
  dir: string
  declared: boolean | RegExp[] | undefined
}

const manifests = new Map<string, PackageSideEffects | null>()

function globToRegExp(glob: string): RegExp {
  let pattern = glob.replace(/^\.\//, '')
  if (!pattern.includes('/')) pattern = `**/${pattern}`
  let source = ''
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!
    if (char === '*' && pattern[i + 1] === '*') {
      source += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*'
      i += pattern[i + 2] === '/' ? 2 : 1
    } else if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

function manifestFor(dir: string): PackageSideEffects | null {
  const cached = manifests.get(dir)
  if (cached !== undefined) return cached
  let found: PackageSideEffects | null = null
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; sideEffects?: unknown }
    const value = manifest.sideEffects
    if (typeof value === 'boolean') found = { dir, declared: value }
    else if (Array.isArray(value)) found = { dir, declared: value.filter((v): v is string => typeof v === 'string').map(globToRegExp) }
    else if (typeof manifest.name === 'string') found = { dir, declared: undefined }
  } catch {
    // No (readable) manifest here: look further up.
  }
  if (!found) {
    const parent = path.dirname(dir)
    found = parent === dir ? null : manifestFor(parent)
  }
  manifests.set(dir, found)
  return found
}

export function declaredSideEffects(id: string): DeclaredSideEffects {
  if (!path.isAbsolute(id)) return undefined
  const manifest = manifestFor(path.dirname(id))
  if (!manifest || manifest.declared === undefined) return undefined
  if (typeof manifest.declared === 'boolean') return manifest.declared
  const relative = path.relative(manifest.dir, id).split(path.sep).join('/')
  return manifest.declared.some((pattern) => pattern.test(relative))
}
