/**
 * Options the cli-optimizer bootstrap injected for a service (`runtime: { http: {...} }` in the
 * plugin options), or `undefined` when the program was not built with them. The bootstrap sets
 * `globalThis[Symbol.for('cli-optimizer.runtime')]` before the program runs; a service reads its
 * key on first use, so nothing is loaded at start for a service the run never touches.
 */
export function injectedOptions<T = Record<string, unknown>>(service: string): T | undefined {
  const config = (globalThis as Record<symbol, unknown>)[Symbol.for('cli-optimizer.runtime')]
  if (typeof config !== 'object' || config === null) return undefined
  return (config as Record<string, T | undefined>)[service]
}
