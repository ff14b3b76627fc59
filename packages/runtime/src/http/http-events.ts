import { channel } from 'node:diagnostics_channel'
import type { HttpErrorCode } from './http-errors.js'

/**
 * What the client reports, for the monitoring service and for tests. Labels are origins
 * (`https://host:port`), methods, statuses and codes: never paths, queries, headers or credentials.
 */
export type HttpEvent =
  | { type: 'response'; origin: string; method: string; status: number; attempts: number; durationMs: number }
  | { type: 'retry'; origin: string; method: string; attempt: number; delayMs: number; reason: string }
  | { type: 'error'; origin: string; method: string; code: HttpErrorCode; attempts: number; durationMs: number }
  | { type: 'socket'; origin: string; action: 'open' | 'close' }

export type HttpEventListener = (event: HttpEvent) => void

/**
 * Every client also publishes its events on this `node:diagnostics_channel` channel, so a monitor
 * can observe the `fetch` the bootstrap installed without a reference to its client. Publishing
 * costs nothing while no one subscribes.
 */
export const HTTP_EVENTS_CHANNEL = 'cli-optimizer:http'

/** Counters of one client since it was created. */
export interface HttpStats {
  /** Calls of `request()` and `fetch()` that went to the network (each redirect hop counts). */
  requests: number
  /** Attempts sent, retries included. */
  attempts: number
  /** Responses received (of any status; each redirect hop counts, retried ones do not). */
  responses: number
  /** Calls that ended in an error (aborts by the caller's signal included). */
  errors: number
  retries: number
  /** Calls waiting for a response or still reading their body. */
  inFlight: number
  socketsOpened: number
  /** Attempts sent on a socket that was already open (attempts minus sockets opened, from 0). */
  socketsReused: number
  /** Sockets open now. `0` after `close()`. */
  socketsOpen: number
  /** Time to response headers over the last 1024 responses, in milliseconds. */
  latency: { count: number; meanMs: number; p50Ms: number; p99Ms: number; maxMs: number }
  /** Requests, errors and open sockets per origin. */
  origins: Record<string, { requests: number; errors: number; socketsOpen: number }>
}

const WINDOW = 1024

/** Collects the counters and fans events out to listeners and the diagnostics channel. */
export class HttpMonitor {
  readonly #listeners = new Set<HttpEventListener>()
  readonly #channel = channel(HTTP_EVENTS_CHANNEL)
  readonly #latencies = new Float64Array(WINDOW)
  #latencyCount = 0
  readonly #origins = new Map<string, { requests: number; errors: number; socketsOpen: number }>()
  requests = 0
  attempts = 0
  responses = 0
  errors = 0
  retries = 0
  inFlight = 0
  socketsOpened = 0
  socketsOpen = 0

  subscribe(listener: HttpEventListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #origin(origin: string): { requests: number; errors: number; socketsOpen: number } {
    let entry = this.#origins.get(origin)
    if (!entry) this.#origins.set(origin, (entry = { requests: 0, errors: 0, socketsOpen: 0 }))
    return entry
  }

  #emit(event: HttpEvent): void {
    for (const listener of this.#listeners) listener(event)
    if (this.#channel.hasSubscribers) this.#channel.publish(event)
  }

  started(origin: string): void {
    this.requests++
    this.inFlight++
    this.#origin(origin).requests++
  }

  /** The call is over (body read, cancelled or failed). */
  settled(): void {
    this.inFlight--
  }

  response(origin: string, method: string, status: number, attempts: number, durationMs: number): void {
    this.responses++
    this.#latencies[this.#latencyCount++ % WINDOW] = durationMs
    if (this.#listeners.size > 0 || this.#channel.hasSubscribers) this.#emit({ type: 'response', origin, method, status, attempts, durationMs })
  }

  retry(origin: string, method: string, attempt: number, delayMs: number, reason: string): void {
    this.retries++
    this.#emit({ type: 'retry', origin, method, attempt, delayMs, reason })
  }

  error(origin: string, method: string, code: HttpErrorCode, attempts: number, durationMs: number): void {
    this.errors++
    this.#origin(origin).errors++
    this.#emit({ type: 'error', origin, method, code, attempts, durationMs })
  }

  socket(origin: string, action: 'open' | 'close'): void {
    const entry = this.#origin(origin)
    if (action === 'open') {
      this.socketsOpened++
      this.socketsOpen++
      entry.socketsOpen++
    } else {
      this.socketsOpen--
      entry.socketsOpen--
    }
    this.#emit({ type: 'socket', origin, action })
  }

  stats(): HttpStats {
    const n = Math.min(this.#latencyCount, WINDOW)
    const sorted = Array.from(this.#latencies.subarray(0, n)).sort((a, b) => a - b)
    const at = (q: number): number => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.ceil(q * n) - 1)]!)
    return {
      requests: this.requests,
      attempts: this.attempts,
      responses: this.responses,
      errors: this.errors,
      retries: this.retries,
      inFlight: this.inFlight,
      socketsOpened: this.socketsOpened,
      socketsReused: Math.max(0, this.attempts - this.socketsOpened),
      socketsOpen: this.socketsOpen,
      latency: {
        count: n,
        meanMs: n === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / n,
        p50Ms: at(0.5),
        p99Ms: at(0.99),
        maxMs: n === 0 ? 0 : sorted[n - 1]!,
      },
      origins: Object.fromEntries(Array.from(this.#origins, ([origin, entry]) => [origin, { ...entry }])),
    }
  }
}
