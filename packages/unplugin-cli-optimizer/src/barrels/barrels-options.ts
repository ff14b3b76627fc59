import { checkKnownKeys, isPlainObject, optionError } from '../core/options-validation.js'

/** A package name or path fragment (string) or a pattern tested against the resolved file path. */
export type ModulePattern = string | RegExp

/** Export-tree (barrel) rewriting. */
export interface BarrelsOptions {
  /**
   * Barrels whose imports may be rewritten. A string matches an import specifier's package name
   * (`'lodash-es'`, `'@scope/pkg'`) or a path fragment of the barrel's resolved file
   * (`'src/components/'`); a RegExp is tested against the resolved absolute path. Barrels of
   * packages that declare `"sideEffects": false` are rewritten only when listed here (the
   * bundler already drops their unused re-exports; listing them saves build time).
   * @default undefined (every barrel, except those of packages declaring `"sideEffects": false`)
   */
  include?: ModulePattern | ModulePattern[]
  /**
   * Barrels never rewritten, same patterns as `include`; wins over `include`.
   * @default undefined
   */
  exclude?: ModulePattern | ModulePattern[]
}

export interface ResolvedBarrelsOptions {
  include: ModulePattern[] | undefined
  exclude: ModulePattern[]
}

function patterns(path: string, value: unknown): ModulePattern[] | undefined {
  if (value === undefined) return undefined
  const list = Array.isArray(value) ? value : [value]
  for (const item of list) {
    if (!(item instanceof RegExp) && (typeof item !== 'string' || item === '')) {
      throw optionError(path, 'a string, a RegExp or an array of them', value)
    }
  }
  return list as ModulePattern[]
}

/** `barrels: false` turns rewriting off; `true`/`undefined` rewrites every barrel. */
export function resolveBarrelsOptions(value: unknown): ResolvedBarrelsOptions | false {
  if (value === false) return false
  if (value === undefined || value === true) return { include: undefined, exclude: [] }
  if (!isPlainObject(value)) throw optionError('barrels', 'a boolean or an object { include?, exclude? }', value)
  checkKnownKeys('barrels', value, ['include', 'exclude'])
  return { include: patterns('barrels.include', value.include), exclude: patterns('barrels.exclude', value.exclude) ?? [] }
}

function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

function matches(pattern: ModulePattern, specifier: string, id: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(id)
  if (packageName(specifier) === pattern) return true
  return id.split('\\').join('/').includes(pattern.replace(/^\.\//, ''))
}

/** Whether `include` names this barrel (the default "every barrel" does not count). */
export function barrelExplicitlyIncluded(options: ResolvedBarrelsOptions, specifier: string, id: string): boolean {
  return options.include !== undefined && options.include.some((p) => matches(p, specifier, id))
}

/** Whether an import of `specifier` landing on `id` may be rewritten under these options. */
export function barrelIsCandidate(options: ResolvedBarrelsOptions, specifier: string, id: string): boolean {
  if (options.exclude.some((p) => matches(p, specifier, id))) return false
  return options.include === undefined || options.include.some((p) => matches(p, specifier, id))
}
