import { checkKnownKeys, isPlainObject, optionError } from '../core/options-validation.js'

/** A file pattern as unplugin filters take it: a glob or RegExp, or a list of them. */
export type LazyFilterPattern = string | RegExp | Array<string | RegExp>

/** Which importing modules lazy-import deferral looks at. */
export interface LazyOptions {
  /**
   * Importing modules to consider (matched against their absolute id, like every unplugin
   * `include`). The app's modules and packages in `node_modules` are both considered by default.
   * @default /\.[cm]?[jt]sx?$/
   */
  include?: LazyFilterPattern
  /**
   * Importing modules never to touch; their imports stay as written.
   * @default [/^\0/] (virtual modules)
   */
  exclude?: LazyFilterPattern
  /**
   * Load imports used only inside function bodies synchronously on first use (`require()` of
   * the deferred chunk, Node >= 20.19 / >= 22.12; other versions load them at startup). `false`
   * defers only imports used in async functions, with an inserted `await`. Needs the `runtime`
   * bootstrap (ignored without it). See `docs/lazy-imports.md`, "Synchronous deferral".
   * @default true
   */
  sync?: boolean
  /**
   * With `sync`: a literal `require()` in a CommonJS module whose graph (all CommonJS) has at
   * least this many bytes of source is loaded from a chunk of its own when the require runs, so
   * a start that never reaches it does not read or compile it. Evaluation order is unchanged.
   * `false` keeps every require in its importer's chunk. See `docs/lazy-imports.md`, "Large
   * require() graphs".
   * @default 65536
   */
  splitRequireBytes?: number | false
}

export interface ResolvedLazyOptions {
  include: LazyFilterPattern
  exclude: LazyFilterPattern
  sync: boolean
  splitRequireBytes: number | false
}

export const DEFAULT_SPLIT_REQUIRE_BYTES = 64 * 1024

export const DEFAULT_LAZY_INCLUDE: LazyFilterPattern = /\.[cm]?[jt]sx?$/
export const DEFAULT_LAZY_EXCLUDE: LazyFilterPattern = [/^\0/]

function isPattern(value: unknown): value is LazyFilterPattern {
  const one = (v: unknown): boolean => (typeof v === 'string' && v !== '') || v instanceof RegExp
  return one(value) || (Array.isArray(value) && value.every(one))
}

/** `lazy: true` or omitted turns deferral on with the defaults; `false` turns it off. */
export function resolveLazyOptions(value: unknown): ResolvedLazyOptions | false {
  if (value === false) return false
  if (value === undefined || value === true) return { include: DEFAULT_LAZY_INCLUDE, exclude: DEFAULT_LAZY_EXCLUDE, sync: true, splitRequireBytes: DEFAULT_SPLIT_REQUIRE_BYTES }
  if (!isPlainObject(value)) throw optionError('lazy', 'a boolean or an object { include?, exclude?, sync?, splitRequireBytes? }', value)
  checkKnownKeys('lazy', value, ['include', 'exclude', 'sync', 'splitRequireBytes'])
  if (value.sync !== undefined && typeof value.sync !== 'boolean') throw optionError('lazy.sync', 'a boolean', value.sync)
  const split = value.splitRequireBytes
  if (split !== undefined && split !== false && !(typeof split === 'number' && Number.isInteger(split) && split >= 0)) {
    throw optionError('lazy.splitRequireBytes', 'a whole number of bytes (0 or more) or false', split)
  }
  const pattern = (key: 'include' | 'exclude', fallback: LazyFilterPattern): LazyFilterPattern => {
    const raw = value[key]
    if (raw === undefined) return fallback
    if (!isPattern(raw)) throw optionError(`lazy.${key}`, 'a glob string, a RegExp or an array of them', raw)
    return raw
  }
  const exclude = pattern('exclude', DEFAULT_LAZY_EXCLUDE)
  return {
    include: pattern('include', DEFAULT_LAZY_INCLUDE),
    sync: value.sync !== false,
    splitRequireBytes: split === undefined ? DEFAULT_SPLIT_REQUIRE_BYTES : (split as number | false),
    // Virtual modules are never worth deferring from; keep them out whatever the user lists.
    exclude: [...(Array.isArray(exclude) ? exclude : [exclude]), /^\0/] as LazyFilterPattern,
  }
}
