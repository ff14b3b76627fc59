import { optionError } from '../core/options-validation.js'

/**
 * `workers: true` (the default): modules named with `new URL('./w.js', import.meta.url)` and run
 * in a thread (`new Worker(url)`, a pool's `task` / `filename`, `work(name, url)`) become entries
 * of the build, and thread-pool libraries that load their own files by path stay external.
 * `false` leaves both alone.
 */
export type WorkersOption = boolean

export function resolveWorkersOptions(value: unknown): boolean {
  if (value === undefined) return true
  if (typeof value !== 'boolean') throw optionError('workers', 'a boolean', value)
  return value
}
