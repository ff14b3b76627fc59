import { Readable } from 'node:stream'
import { Call, send, type ResponseData, type Target } from './http-call.js'
import { decodeResponse } from './http-decode.js'
import { createDispatchers } from './http-dispatcher.js'
import { redactUrl } from './http-errors.js'
import { HttpMonitor, type HttpEventListener, type HttpStats } from './http-events.js'
import { downloadWith, type DownloadOptions, type DownloadResult } from './http-download.js'
import { createFetch } from './http-fetch.js'
import { resolveHttpOptions, type HttpOptions, type ResolvedHttpOptions } from './http-options.js'

/** Options of one `request()`. */
export interface HttpRequestOptions {
  /** @default 'GET' */
  method?: string
  headers?: Record<string, string | string[] | number | undefined> | Iterable<[string, string]>
  /** A string or bytes can be retried and redirected; a stream is sent once. */
  body?: string | Uint8Array | Readable | null
  signal?: AbortSignal
  /**
   * Overall deadline of this call, in milliseconds (`0`: none).
   * @default the client's `timeout`
   */
  timeout?: number
  /**
   * `false`: no retry for this call.
   * @default true (the client's `retry`)
   */
  retry?: boolean
}

/** undici's response shape: `statusCode`, `headers`, `body` (a Readable with `.json()`, `.text()`...). */
export type HttpResponse = ResponseData

export interface Http {
  /** A WHATWG `fetch` over the pool; see `docs/runtime-http.md` for where it differs from the built-in one. */
  fetch: typeof globalThis.fetch
  /** undici's `request()` shape over the pool, with retries and the deadline. Never throws for a status. */
  request(url: string | URL, options?: HttpRequestOptions): Promise<HttpResponse>
  /** Parallel downloads to files, atomic and resumable: see `http-download.ts`. */
  download(urls: readonly string[], options: DownloadOptions): Promise<DownloadResult[]>
  stats(): HttpStats
  /** Calls `listener` with every event (responses, retries, errors, sockets); returns the unsubscribe function. */
  subscribe(listener: HttpEventListener): () => void
  /** Waits for calls in flight (their bodies read), then closes every socket. Later calls fail. */
  close(): Promise<void>
}

const REQUEST_KEYS = new Set(['method', 'headers', 'body', 'signal', 'timeout', 'retry'])
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** Parses a URL given to the client, refusing what the pool cannot send, with the URL redacted. */
export function parseHttpUrl(input: unknown, what: string): URL {
  if (typeof input !== 'string' && !(input instanceof URL)) {
    throw new TypeError(`[cli-optimizer] ${what} must be a string or a URL, got ${input === null ? 'null' : typeof input}`)
  }
  let url: URL
  try {
    url = new URL(input)
  } catch {
    throw new TypeError(`[cli-optimizer] ${what} must be an absolute http: or https: URL, got "${redactUrl(String(input))}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`[cli-optimizer] ${what} must be an http: or https: URL, got protocol "${url.protocol}"`)
  }
  return url
}

/** `user:pass@` in a URL becomes a Basic `Authorization` header (as curl does) and leaves the URL. */
function takeCredentials(url: URL, headers: Record<string, string | string[]>): void {
  if (url.username === '' && url.password === '') return
  if (headers.authorization === undefined) {
    const user = decodeURIComponent(url.username)
    const password = decodeURIComponent(url.password)
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
  }
  url.username = ''
  url.password = ''
}

function normalizeHeaders(input: HttpRequestOptions['headers']): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {}
  if (input === undefined) return headers
  const entries: Iterable<[string, unknown]> = Symbol.iterator in input ? (input as Iterable<[string, string]>) : Object.entries(input)
  for (const [name, value] of entries) {
    if (value === undefined) continue
    if (typeof name !== 'string' || !TOKEN.test(name)) {
      throw new TypeError(`[cli-optimizer] http request headers has an invalid header name ${JSON.stringify(String(name))}`)
    }
    const key = name.toLowerCase()
    const values = Array.isArray(value) ? value.map(String) : [String(value)]
    const existing = headers[key]
    headers[key] = existing === undefined ? (values.length === 1 ? values[0]! : values) : [...(Array.isArray(existing) ? existing : [existing]), ...values]
  }
  return headers
}

/** The client behind `createHttp()`. */
export function createHttpClient(resolved: ResolvedHttpOptions): Http {
  const monitor = new HttpMonitor()
  const dispatchers = createDispatchers(resolved, monitor)
  let closing: Promise<void> | undefined

  const closedError = (url: URL, method: string): unknown => {
    const call = new Call(url, method, 0, undefined, monitor)
    return call.fail(call.error('CLI_OPTIMIZER_HTTP_CLOSED', undefined))
  }

  async function request(input: string | URL, options: HttpRequestOptions = {}): Promise<HttpResponse> {
    const url = new URL(parseHttpUrl(input, 'http request url'))
    if (typeof options !== 'object' || options === null) throw new TypeError(`[cli-optimizer] http request options must be an object, got ${options === null ? 'null' : typeof options}`)
    for (const key of Object.keys(options)) {
      if (!REQUEST_KEYS.has(key)) throw new TypeError(`[cli-optimizer] unknown http request option ${key} (known: ${[...REQUEST_KEYS].join(', ')})`)
    }
    const method = options.method === undefined ? 'GET' : options.method
    if (typeof method !== 'string' || !TOKEN.test(method)) throw new TypeError(`[cli-optimizer] http request method must be an HTTP method name, got ${typeof method === 'string' ? JSON.stringify(method) : typeof method}`)
    const body = options.body ?? null
    if (body !== null && typeof body !== 'string' && !(body instanceof Uint8Array) && !(body instanceof Readable)) {
      throw new TypeError(`[cli-optimizer] http request body must be a string, a Uint8Array or a Readable, got ${typeof body}`)
    }
    const timeout = options.timeout ?? resolved.timeout
    if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0) throw new TypeError(`[cli-optimizer] http request timeout must be a nonnegative integer, got ${typeof timeout}`)
    if (options.retry !== undefined && typeof options.retry !== 'boolean') throw new TypeError(`[cli-optimizer] http request retry must be a boolean, got ${typeof options.retry}`)
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new TypeError('[cli-optimizer] http request signal must be an AbortSignal')
    const headers = normalizeHeaders(options.headers)
    takeCredentials(url, headers)
    const upper = method.toUpperCase()
    if (closing) throw closedError(url, upper)
    options.signal?.throwIfAborted()

    const target: Target = { url, method: upper, headers, body, replayable: !(body instanceof Readable) }
    const call = new Call(url, upper, timeout, options.signal, monitor)
    try {
      const response = await send(call, target, {
        dispatcher: dispatchers.forRequest,
        retry: options.retry === false ? false : resolved.retry,
        timeout,
        monitor,
      })
      call.finishWith(response.body)
      return resolved.decompress && target.method !== 'HEAD' ? decodeResponse(response) : response
    } catch (error) {
      throw call.fail(error)
    }
  }

  const client: Http = {
    request,
    download: (urls, options) => downloadWith(client, urls, options),
    fetch: createFetch({ resolved, monitor, dispatcher: dispatchers.forFetch, isClosed: () => closing !== undefined, closedError }),
    stats: () => monitor.stats(),
    subscribe: (listener) => monitor.subscribe(listener),
    close() {
      closing ??= dispatchers.close()
      return closing
    },
  }
  return client
}

/**
 * Creates a pooled HTTP client: undici 7's own Agent with the given per-origin limits, retries, a
 * deadline, typed errors and counters. A bad option throws a `TypeError` naming it.
 *
 * @example
 * const http = createHttp({ connections: 8, timeout: 30_000 })
 * const { statusCode, body } = await http.request('https://registry.npmjs.org/react')
 * const meta = await body.json()
 * await http.close()
 */
export function createHttp(options?: HttpOptions): Http {
  return createHttpClient(resolveHttpOptions(options))
}
