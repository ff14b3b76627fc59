/** The checks behind every `TypeError` the scale service throws for a bad option. */
import { checkKeys, fail, isPlainObject } from '../option-checks.js'

export { describe, fail, isPlainObject } from '../option-checks.js'

export function objectOption(path: string, value: unknown, known: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {}
  if (!isPlainObject(value)) fail(path, 'an object', value)
  checkKeys(path, value, known)
  return value
}

export function positiveInteger(path: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) fail(path, 'a positive integer', value)
  return value
}

export function nonNegativeInteger(path: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(path, 'a non-negative integer', value)
  return value
}

/** A count that may also be `Infinity` (no bound). */
export function countOrInfinity(path: string, value: unknown, fallback: number): number {
  if (value === Infinity) return Infinity
  return nonNegativeInteger(path, value, fallback)
}

/** Milliseconds: a non-negative finite number, or `Infinity` where `allowInfinity`. */
export function duration(path: string, value: unknown, fallback: number, allowInfinity = false): number {
  if (value === undefined) return fallback
  if (allowInfinity && value === Infinity) return Infinity
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(path, allowInfinity ? 'a non-negative number of milliseconds or Infinity' : 'a non-negative number of milliseconds', value)
  }
  return value
}

export function oneOf<T extends string>(path: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || !choices.includes(value as T)) fail(path, `one of ${choices.map((c) => `'${c}'`).join(', ')}`, value)
  return value as T
}

export function optionalFunction<F>(path: string, value: unknown): F | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'function') fail(path, 'a function', value)
  return value as F
}

export function optionalSignal(path: string, value: unknown): AbortSignal | undefined {
  if (value === undefined || value === null) return undefined
  if (!(value instanceof AbortSignal)) fail(path, 'an AbortSignal', value)
  return value
}
