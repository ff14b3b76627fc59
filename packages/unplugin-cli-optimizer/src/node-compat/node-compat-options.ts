import { checkKnownKeys, isPlainObject, optionError, optionalBoolean } from '../core/options-validation.js'

/** Making bundled Node code run as ESM output. */
export interface NodeCompatOptions {
  /**
   * Give every output chunk whose code still reads the CommonJS globals `require`, `__filename`
   * or `__dirname` (bundled CommonJS, requires left for runtime) a definition of them, built
   * from `import.meta.url`. Only chunks that reference them get it.
   * @default true
   */
  globals?: boolean
  /**
   * A dynamic `import('pkg')` of a package that is not installed stays a runtime import, with a
   * build warning, so the program's own `try`/`catch` or `.catch()` handles its absence. So does a
   * CommonJS `require('pkg')` of a package that is not installed (optional engines required
   * inside functions): under Node it throws only when it runs, and so it does in the bundle.
   * @default true
   */
  optionalImports?: boolean
}

export interface ResolvedNodeCompatOptions {
  globals: boolean
  optionalImports: boolean
}

/** `nodeCompat: false` turns both off; `true` (the default) turns both on. */
export function resolveNodeCompatOptions(value: unknown): ResolvedNodeCompatOptions | false {
  if (value === false) return false
  if (value === undefined || value === true) return { globals: true, optionalImports: true }
  if (!isPlainObject(value)) throw optionError('nodeCompat', 'a boolean or an object { globals?, optionalImports? }', value)
  checkKnownKeys('nodeCompat', value, ['globals', 'optionalImports'])
  return {
    globals: optionalBoolean('nodeCompat.globals', value.globals, true),
    optionalImports: optionalBoolean('nodeCompat.optionalImports', value.optionalImports, true),
  }
}
