import { checkKnownKeys, isPlainObject, optionError, optionalBoolean } from '../core/options-validation.js'

/** Helping the bundler drop unused code. */
export interface TreeshakeOptions {
  /**
   * Declare modules whose top level provably has no side effects (and whose static dependencies
   * have none either) side-effect-free to the bundler, so unused ones drop even when their
   * package declares nothing. Modules of a package with a `sideEffects` field are left to it.
   * @default true
   */
  inferSideEffects?: boolean
  /**
   * Extra functions whose calls are pure (`'createLogger'`, `'defineConfig'`, `'z.object'`):
   * top-level calls of them get `/*#__PURE__*\/` so an unused result drops. Added to the
   * built-in list (`Object.freeze`, `Object.create`, `Symbol`, `Symbol.for`, `new Map`, `new Set`,
   * `new WeakMap`, `new WeakSet`, …). `false` turns annotations off.
   * @default []
   */
  pure?: string[] | false
  /**
   * List exports no module of the build imports, with their size, in the report (`deadExports`).
   * @default true
   */
  deadExports?: boolean
}

export interface ResolvedTreeshakeOptions {
  inferSideEffects: boolean
  pure: string[] | false
  deadExports: boolean
}

export function resolveTreeshakeOptions(value: unknown): ResolvedTreeshakeOptions | false {
  if (value === false) return false
  if (value === undefined || value === true) return { inferSideEffects: true, pure: [], deadExports: true }
  if (!isPlainObject(value)) throw optionError('treeshake', 'a boolean or an object { inferSideEffects?, pure?, deadExports? }', value)
  checkKnownKeys('treeshake', value, ['inferSideEffects', 'pure', 'deadExports'])
  let pure: string[] | false = []
  if (value.pure === false) pure = false
  else if (value.pure !== undefined) {
    if (!Array.isArray(value.pure) || value.pure.some((p) => typeof p !== 'string' || !/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.test(p))) {
      throw optionError('treeshake.pure', 'false or an array of function names like "createThing" or "z.object"', value.pure)
    }
    pure = value.pure as string[]
  }
  return {
    inferSideEffects: optionalBoolean('treeshake.inferSideEffects', value.inferSideEffects, true),
    pure,
    deadExports: optionalBoolean('treeshake.deadExports', value.deadExports, true),
  }
}
