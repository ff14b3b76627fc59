/**
 * Builtin calls that only build a value, and what their arguments may be for the call to be
 * dropped when its result is unused without changing anything observable:
 * - `fresh`: the first argument is a new object/array/function literal (freezing an existing
 *   object is an effect on it; freezing a fresh one is not), no other arguments;
 * - `literal`: every argument is a literal value (no identifiers as direct arguments: `Symbol(x)`
 *   would call `x.toString()`, `new Map(x)` would iterate `x`); identifiers inside array and
 *   object literals are fine (`new Map([['a', handler]])`);
 * - `values`: any side-effect-free value, identifiers included (`Object.create(proto)`).
 */
export type ArgumentRule = 'fresh' | 'literal' | 'values'

/** `'Symbol'` is a call, `'new Map'` a construction; keys are the callee as written. */
export const KNOWN_PURE_CALLS: ReadonlyMap<string, ArgumentRule> = new Map([
  ['Object.freeze', 'fresh'],
  ['Object.seal', 'fresh'],
  ['Object.preventExtensions', 'fresh'],
  ['Object.create', 'values'],
  ['Object.fromEntries', 'literal'],
  ['Symbol', 'literal'],
  ['Symbol.for', 'literal'],
  ['new Map', 'literal'],
  ['new Set', 'literal'],
  ['new WeakMap', 'literal'],
  ['new WeakSet', 'literal'],
  ['new WeakRef', 'fresh'],
  ['new Error', 'literal'],
  ['new TypeError', 'literal'],
  ['new RangeError', 'literal'],
  ['new RegExp', 'literal'],
  ['RegExp', 'literal'],
  ['Array.of', 'literal'],
  ['String.raw', 'literal'],
  ['BigInt', 'literal'],
  ['new URL', 'literal'],
  ['new TextEncoder', 'literal'],
  ['new TextDecoder', 'literal'],
])

/** The global names the built-in list calls: a module declaring one of them locally is not calling the builtin. */
export function globalRoot(callee: string): string {
  return callee.replace(/^new /, '').split('.')[0]!
}
