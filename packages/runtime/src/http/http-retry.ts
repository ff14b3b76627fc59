import type { ResolvedRetryOptions } from './http-options.js'

/**
 * Backoff before retry number `retry` (1-based): `minDelay * 2^(retry-1)` capped at `maxDelay`, times
 * a random factor in [0.5, 1) ("equal jitter": never less than half the step, so retries still back
 * off, but clients that failed together do not come back together).
 */
export function backoffDelay(retry: ResolvedRetryOptions, attempt: number, random: () => number = Math.random): number {
  const step = Math.min(retry.maxDelay, retry.minDelay * 2 ** (attempt - 1))
  // Floor, not round: with random() near 1, rounding would reach the full step the doc excludes.
  return Math.floor(step * (0.5 + random() / 2))
}

/**
 * Milliseconds a `Retry-After` header asks for (delta-seconds or an HTTP-date), or `undefined`
 * when there is none or it cannot be read (RFC 9110 §10.2.3).
 */
export function retryAfterDelay(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve()
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
