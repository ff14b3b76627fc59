import { checkKnownKeys, isPlainObject, optionError } from '../core/options-validation.js'

/** Files a module reads relative to itself, made available next to the chunk that reads them. */
export interface AssetsOptions {
  /**
   * Files at most this many bytes, read synchronously as text with a static path
   * (`readFileSync(…, 'utf8')`, `createRequire(import.meta.url)('./x.json')`), are inlined into
   * the chunk instead of copied: no file to ship and no read at startup, but their bytes are
   * then parsed as part of the JS every start loads (a `package.json` read for `--version`
   * would be). `0` copies everything.
   * @default 0
   */
  inlineLimit?: number
  /**
   * Folder, relative to the output folder, that copied files go to.
   * @default 'assets'
   */
  dir?: string
}

export interface ResolvedAssetsOptions {
  inlineLimit: number
  dir: string
}

/** `assets: false` leaves file reads untouched; `true` (the default) uses the defaults. */
export function resolveAssetsOptions(value: unknown): ResolvedAssetsOptions | false {
  if (value === false) return false
  const defaults: ResolvedAssetsOptions = { inlineLimit: 0, dir: 'assets' }
  if (value === undefined || value === true) return defaults
  if (!isPlainObject(value)) throw optionError('assets', 'a boolean or an object { inlineLimit?, dir? }', value)
  checkKnownKeys('assets', value, ['inlineLimit', 'dir'])
  const inlineLimit = value.inlineLimit ?? defaults.inlineLimit
  if (typeof inlineLimit !== 'number' || !Number.isInteger(inlineLimit) || inlineLimit < 0) {
    throw optionError('assets.inlineLimit', 'a non-negative integer (bytes)', value.inlineLimit)
  }
  const dir = value.dir ?? defaults.dir
  if (typeof dir !== 'string' || dir === '' || dir.startsWith('/') || dir.split(/[\\/]/).includes('..')) {
    throw optionError('assets.dir', 'a non-empty relative folder inside the output folder', value.dir)
  }
  return { inlineLimit, dir: dir.replace(/\\/g, '/').replace(/\/+$/, '') }
}
