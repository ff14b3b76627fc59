import { optionError } from '../core/options-validation.js'

/**
 * `cacheDir`: where analysis results persist between builds, relative to `root` unless absolute.
 * `false` keeps them in memory for one build only.
 * @default 'node_modules/.cache/cli-optimizer'
 */
export type CacheDirOption = string | false

export const DEFAULT_CACHE_DIR = 'node_modules/.cache/cli-optimizer'

export function resolveCacheDirOption(value: unknown): string | false {
  if (value === undefined) return DEFAULT_CACHE_DIR
  if (value === false) return false
  if (typeof value !== 'string' || value === '') throw optionError('cacheDir', 'false or a non-empty string path', value)
  return value
}
