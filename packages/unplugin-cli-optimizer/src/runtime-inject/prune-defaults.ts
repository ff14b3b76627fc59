import { isPlainObject } from '../core/options-validation.js'

/**
 * What a service's options must carry into the bundle: `options` without every key (nested keys
 * included) whose removal leaves the resolved options the same. The runtime fills the defaults
 * again, so a key equal to its default only costs bytes on every start.
 *
 * Removal is checked against the service's own resolver (`fingerprint` resolves and serializes;
 * it covers each environment the resolver reads, so a key that only equals its default when a
 * variable is unset stays), never against a copied table of defaults that could drift. Keys in
 * `keep` stay whatever their value: their default depends on where the CLI runs (the program
 * name, the core count), which the build machine cannot judge.
 */
export function withoutDefaults(options: Record<string, unknown>, fingerprint: (options: Record<string, unknown>) => string, keep: readonly string[] = []): Record<string, unknown> {
  const target = fingerprint(options)
  const same = (candidate: Record<string, unknown>): boolean => {
    try {
      return fingerprint(candidate) === target
    } catch {
      // A candidate the resolver refuses (say, a minimum now above a written maximum) is not the same.
      return false
    }
  }
  let current = options
  const visit = (path: string[]): void => {
    const node = at(current, path)
    for (const key of Object.keys(node)) {
      const keyPath = [...path, key]
      if (keep.includes(keyPath.join('.'))) continue
      const candidate = omit(current, keyPath)
      if (same(candidate)) current = candidate
      else if (isPlainObject(node[key])) visit(keyPath)
    }
  }
  visit([])
  return current
}

/** `JSON.stringify` that keeps the content of `Set`s (resolvers turn lists into sets); functions drop out. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Set ? [...v] : v))
}

function at(root: Record<string, unknown>, path: string[]): Record<string, unknown> {
  return path.reduce((node, key) => node[key] as Record<string, unknown>, root)
}

/** A copy of `root` without the key at `path`, every other key in its written order. */
function omit(root: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const [head, ...rest] = path as [string, ...string[]]
  const copy: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(root)) {
    if (key !== head) copy[key] = value
    else if (rest.length > 0) copy[key] = omit(value as Record<string, unknown>, rest)
  }
  return copy
}
