/** Shared checks for option objects: one error shape for every option of every capability. */

import { closestName } from './did-you-mean.js'

const PREFIX = '[cli-optimizer]'

/** The `code` of every option error, for tools that match errors without reading messages. */
export const OPTION_ERROR_CODE = 'CLI_OPTIMIZER_INVALID_OPTION'

function codedTypeError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: OPTION_ERROR_CODE })
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`
  return typeof value
}

/** Throws the one error shape every option check uses. */
export function optionError(path: string, expected: string, value: unknown): TypeError {
  return codedTypeError(`${PREFIX} ${path} must be ${expected}, got ${describe(value)}`)
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Rejects keys the option object does not define; a typo must not be ignored silently. */
export function checkKnownKeys(path: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const where = path ? `${path}.${key}` : key
      const closest = closestName(key, known)
      const hint = closest === undefined ? '' : ` Did you mean ${path ? `${path}.${closest}` : closest}?`
      throw codedTypeError(`${PREFIX} unknown option ${where}.${hint} Known options${path ? ` of ${path}` : ''}: ${known.join(', ')}`)
    }
  }
}

export function optionalString(path: string, value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '') throw optionError(path, 'a non-empty string path', value)
  return value
}

export function optionalBoolean(path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw optionError(path, 'a boolean', value)
  return value
}

