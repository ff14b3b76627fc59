/**
 * The checks behind every `TypeError` a runtime service throws for a bad option, so each message
 * names the option's path and what it got in the same words.
 */

export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`
  if (typeof value === 'number') return `number ${value}`
  return typeof value
}

export function fail(path: string, expected: string, value: unknown): never {
  throw new TypeError(`[cli-optimizer] ${path} must be ${expected}, got ${describe(value)}`)
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function checkKeys(path: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new TypeError(`[cli-optimizer] unknown option ${path}.${key} (known: ${known.join(', ')})`)
  }
}
