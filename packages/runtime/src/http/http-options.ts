import { isPlainObject } from '../option-checks.js'
/**
 * Options of `createHttp()` and of the plugin's `runtime: { http: {...} }`, validated in one place:
 * the plugin imports this module (`@cli-optimizer/runtime/http/options`) at build time, so a bad
 * option fails the build with the same message the runtime would give.
 */

/** When and how a failed attempt is tried again. */
export interface RetryOptions {
  /**
   * Most retries after the first attempt (`0` turns retrying off).
   * @default 2
   */
  limit?: number
  /**
   * Methods that are retried. Only idempotent ones by default: retrying a `POST` the server may
   * already have acted on could do it twice.
   * @default ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']
   */
  methods?: string[]
  /**
   * Response statuses that are retried (their body is discarded). The response of the last attempt
   * is returned as is when the limit is reached.
   * @default [408, 429, 500, 502, 503, 504]
   */
  statusCodes?: number[]
  /**
   * Delay before the first retry, in milliseconds; each further retry doubles it, up to `maxDelay`.
   * A random factor in [0.5, 1) spreads retries of many clients ("equal jitter"), so a server that
   * just came back is not hit by all of them at once.
   * @default 200
   */
  minDelay?: number
  /**
   * Longest backoff delay, in milliseconds.
   * @default 5000
   */
  maxDelay?: number
  /**
   * Longest `Retry-After` (429, 503) that is waited for, in milliseconds. A server asking for a
   * longer wait gets its response returned instead of a CLI that sleeps for minutes.
   * @default 30000
   */
  maxRetryAfter?: number
}

/** Options of `createHttp()`. Every duration is in milliseconds. */
export interface HttpOptions {
  /**
   * Most sockets per origin. Requests beyond it wait in undici's queue for a free socket. 16
   * saturates a loopback or LAN server (the benchmarks show no gain past it at 64 in flight) while
   * staying far below the per-client limits CDNs and registries enforce.
   * @default 16
   */
  connections?: number
  /**
   * Requests sent on one socket before the previous answer arrives. `1` (no pipelining): many
   * servers and proxies mishandle pipelining, and one slow answer would hold the ones behind it.
   * @default 1
   */
  pipelining?: number
  /**
   * How long an idle socket is kept for reuse when the server gives no `Keep-Alive: timeout=` hint.
   * Node's own HTTP server closes idle sockets after 5 s; 4 s stays under it.
   * @default 4000
   */
  keepAliveTimeout?: number
  /**
   * Upper bound on the server's `Keep-Alive: timeout=` hint. undici's 600 s outlives the idle
   * timeout of most proxies and load balancers (60 s is common), and reusing a socket the proxy
   * has dropped ends in "other side closed". 30 s stays well under those.
   * @default 30000
   */
  keepAliveMaxTimeout?: number
  /**
   * Longest wait for the TCP (and TLS) connection.
   * @default 10000
   */
  connectTimeout?: number
  /**
   * Longest wait for the response headers once the request is sent (undici's timer, coarse: it
   * may fire up to about a second late; use `timeout` for a precise bound).
   * @default 60000 (undici's own 300 s is long for an interactive CLI)
   */
  headersTimeout?: number
  /**
   * Longest pause between two chunks of the response body (not the whole body), undici's timer.
   * @default 60000
   */
  bodyTimeout?: number
  /**
   * Overall deadline of one request: connection, every retry and its backoff, and reading the
   * body. Checked with an own timer (undici's are coarse). `0`: no overall deadline, only the
   * stall timeouts above, so a large download is never cut off by a default.
   * @default 0
   */
  timeout?: number
  /**
   * Retrying failed attempts; `false` turns it off, `true` uses the defaults.
   * @default {} (on: 2 retries of idempotent requests)
   */
  retry?: RetryOptions | boolean
  /**
   * Redirects `request()` follows (`fetch()` follows up to 20, as the standard says, unless its
   * `redirect` init option says otherwise). `0`: redirects are returned as responses.
   * @default 0
   */
  maxRedirections?: number
  /**
   * Decode `gzip`, `deflate`, `br` (and `zstd` where Node has it) response bodies in `request()`,
   * and drop `content-encoding` / `content-length` from its headers (`fetch()` always decodes, as
   * the built-in one does). `accept-encoding` is left to the caller.
   * @default false
   */
  decompress?: boolean
  /**
   * Concurrent identical `GET` and `HEAD` requests share one response (undici's deduplicate
   * interceptor). Off by default: each caller then sees exactly the exchange it asked for.
   * @default false
   */
  dedupe?: boolean
  /**
   * HTTP caching (RFC 9111: `Cache-Control`, `Expires`, `Vary`, revalidation) through undici's
   * cache interceptor, with its entries in a `@cli-optimizer/runtime/cache` on disk. `true` uses
   * the user cache directory of `name`.
   * @default false
   */
  cache?: HttpCacheOptions | boolean
  /**
   * The CLI's name, for the default directory of `cache`.
   * @default undefined
   */
  name?: string
  /**
   * Proxies: `'env'` reads `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` (lower case too) as curl
   * and npm do; `false` connects directly.
   * @default 'env'
   */
  proxy?: 'env' | false
  /**
   * Extra trusted certificate authorities (PEM), added to Node's. There is deliberately no option
   * to skip certificate checks: a TLS error is always an error.
   * @default undefined
   */
  ca?: string | string[]
}

/** Options of the HTTP cache (`cache: {...}`). */
export interface HttpCacheOptions {
  /**
   * Directory of the entries.
   * @default the user cache directory of `name`, subfolder `http`
   */
  dir?: string
  /**
   * Bound on the bytes of the cached responses on disk.
   * @default 52428800 (50 MiB)
   */
  maxBytes?: number
  /**
   * Largest response body that is cached, in bytes.
   * @default 5242880 (5 MiB)
   */
  maxEntrySize?: number
}

export interface ResolvedRetryOptions {
  limit: number
  methods: ReadonlySet<string>
  statusCodes: ReadonlySet<number>
  minDelay: number
  maxDelay: number
  maxRetryAfter: number
}

export interface ResolvedHttpOptions {
  connections: number
  pipelining: number
  keepAliveTimeout: number
  keepAliveMaxTimeout: number
  connectTimeout: number
  headersTimeout: number
  bodyTimeout: number
  timeout: number
  retry: ResolvedRetryOptions
  maxRedirections: number
  decompress: boolean
  dedupe: boolean
  cache: { dir: string | undefined; maxBytes: number; maxEntrySize: number } | false
  name: string | undefined
  proxy: 'env' | false
  ca: string[] | undefined
}

const TOP_KEYS = [
  'connections', 'pipelining', 'keepAliveTimeout', 'keepAliveMaxTimeout', 'connectTimeout', 'headersTimeout',
  'bodyTimeout', 'timeout', 'retry', 'maxRedirections', 'decompress', 'dedupe', 'cache', 'name', 'proxy', 'ca',
]
const RETRY_KEYS = ['limit', 'methods', 'statusCodes', 'minDelay', 'maxDelay', 'maxRetryAfter']
const CACHE_KEYS = ['dir', 'maxBytes', 'maxEntrySize']

export const DEFAULT_RETRY_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']
export const DEFAULT_RETRY_STATUS_CODES = [408, 429, 500, 502, 503, 504]

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`
  return typeof value
}

/**
 * Validates options and fills the defaults. `prefix` names where they came from in messages:
 * `'http option '` for `createHttp()`, `'runtime.http.'` for the plugin option.
 */
export function resolveHttpOptions(options: unknown, prefix = 'http option '): ResolvedHttpOptions {
  const fail = (path: string, expected: string, value: unknown): never => {
    throw new TypeError(`[cli-optimizer] ${prefix}${path} must be ${expected}, got ${describe(value)}`)
  }
  const checkKeys = (section: string, value: Record<string, unknown>, known: string[]): void => {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        throw new TypeError(`[cli-optimizer] unknown ${prefix}${section}${key} (known: ${known.join(', ')})`)
      }
    }
  }
  const integer = (path: string, value: unknown, fallback: number, min: number): number => {
    if (value === undefined) return fallback
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      fail(path, min === 0 ? 'a nonnegative integer' : `an integer >= ${min}`, value)
    }
    return value as number
  }
  const boolean = (path: string, value: unknown, fallback: boolean): boolean => {
    if (value === undefined) return fallback
    if (typeof value !== 'boolean') fail(path, 'a boolean', value)
    return value as boolean
  }

  if (options === undefined) options = {}
  if (!isPlainObject(options)) fail('(options)', 'an object', options)
  const o = options as Record<string, unknown>
  checkKeys('', o, TOP_KEYS)

  let retry: ResolvedRetryOptions
  const r = o.retry === undefined || o.retry === true ? {} : o.retry === false ? { limit: 0 } : o.retry
  if (!isPlainObject(r)) fail('retry', 'a boolean or an object { limit?, methods?, statusCodes?, minDelay?, maxDelay?, maxRetryAfter? }', o.retry)
  {
    const ro = r as Record<string, unknown>
    checkKeys('retry.', ro, RETRY_KEYS)
    const methods = ro.methods ?? DEFAULT_RETRY_METHODS
    if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string' && /^[A-Za-z]+$/.test(m))) {
      fail('retry.methods', 'an array of method names', methods)
    }
    const statusCodes = ro.statusCodes ?? DEFAULT_RETRY_STATUS_CODES
    if (!Array.isArray(statusCodes) || !statusCodes.every((s) => Number.isInteger(s) && s >= 100 && s <= 599)) {
      fail('retry.statusCodes', 'an array of HTTP statuses (100-599)', statusCodes)
    }
    retry = {
      limit: integer('retry.limit', ro.limit, 2, 0),
      methods: new Set((methods as string[]).map((m) => m.toUpperCase())),
      statusCodes: new Set(statusCodes as number[]),
      minDelay: integer('retry.minDelay', ro.minDelay, 200, 0),
      maxDelay: integer('retry.maxDelay', ro.maxDelay, 5000, 0),
      maxRetryAfter: integer('retry.maxRetryAfter', ro.maxRetryAfter, 30_000, 0),
    }
  }

  const name = o.name
  if (name !== undefined && (typeof name !== 'string' || !/^[\w.@-][\w.@ -]*$/.test(name) || name.includes('..'))) {
    fail('name', 'a file-name-safe string (letters, digits, . _ - @ and spaces)', name)
  }

  let cache: ResolvedHttpOptions['cache'] = false
  if (o.cache !== undefined && o.cache !== false) {
    const c = o.cache === true ? {} : o.cache
    if (!isPlainObject(c)) fail('cache', 'a boolean or an object { dir?, maxBytes?, maxEntrySize? }', o.cache)
    const co = c as Record<string, unknown>
    checkKeys('cache.', co, CACHE_KEYS)
    if (co.dir !== undefined && (typeof co.dir !== 'string' || co.dir === '')) fail('cache.dir', 'a non-empty string path', co.dir)
    if (co.dir === undefined && name === undefined) {
      throw new TypeError(`[cli-optimizer] ${prefix}cache needs name (the CLI's name, for the user cache directory) or cache.dir`)
    }
    cache = {
      dir: co.dir as string | undefined,
      maxBytes: integer('cache.maxBytes', co.maxBytes, 50 * 1024 * 1024, 1),
      maxEntrySize: integer('cache.maxEntrySize', co.maxEntrySize, 5 * 1024 * 1024, 1),
    }
  }

  const proxy = o.proxy ?? 'env'
  if (proxy !== 'env' && proxy !== false) fail('proxy', "'env' or false", proxy)

  let ca: string[] | undefined
  if (o.ca !== undefined) {
    const list = typeof o.ca === 'string' ? [o.ca] : o.ca
    if (!Array.isArray(list) || list.length === 0 || !list.every((c) => typeof c === 'string' && c.includes('-----BEGIN CERTIFICATE-----'))) {
      fail('ca', 'a PEM certificate string or an array of them', o.ca)
    }
    ca = list as string[]
  }

  const resolved: ResolvedHttpOptions = {
    connections: integer('connections', o.connections, 16, 1),
    pipelining: integer('pipelining', o.pipelining, 1, 1),
    keepAliveTimeout: integer('keepAliveTimeout', o.keepAliveTimeout, 4000, 1),
    keepAliveMaxTimeout: integer('keepAliveMaxTimeout', o.keepAliveMaxTimeout, 30_000, 1),
    connectTimeout: integer('connectTimeout', o.connectTimeout, 10_000, 1),
    headersTimeout: integer('headersTimeout', o.headersTimeout, 60_000, 0),
    bodyTimeout: integer('bodyTimeout', o.bodyTimeout, 60_000, 0),
    timeout: integer('timeout', o.timeout, 0, 0),
    retry,
    maxRedirections: integer('maxRedirections', o.maxRedirections, 0, 0),
    decompress: boolean('decompress', o.decompress, false),
    dedupe: boolean('dedupe', o.dedupe, false),
    cache,
    name: name as string | undefined,
    proxy: proxy as 'env' | false,
    ca,
  }
  if (resolved.keepAliveTimeout > resolved.keepAliveMaxTimeout) {
    fail('keepAliveTimeout', `at most keepAliveMaxTimeout (${resolved.keepAliveMaxTimeout})`, resolved.keepAliveTimeout)
  }
  if (resolved.retry.minDelay > resolved.retry.maxDelay) fail('retry.minDelay', `at most retry.maxDelay (${resolved.retry.maxDelay})`, resolved.retry.minDelay)
  return resolved
}
