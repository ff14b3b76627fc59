import { pipeline, Readable } from 'node:stream'
import type { Dispatcher } from 'undici'

type RequestRedirect = 'follow' | 'error' | 'manual'
type RequestInfo = Request | string
import { Call, send, type ResponseData, type Target } from './http-call.js'
import { decoders, type Decoder } from './http-decode.js'
import { HttpError, HttpFetchError, redactUrl } from './http-errors.js'
import type { HttpMonitor } from './http-events.js'
import type { ResolvedHttpOptions } from './http-options.js'

let builtinFetch: typeof globalThis.fetch | undefined

/**
 * The fetch to hand what the pool does not do (`data:`, `blob:` and other non-HTTP URLs, a caller's
 * own `dispatcher`). The bootstrap replaces `globalThis.fetch`, so the install module passes the
 * original here before anything else can call it.
 */
export function setBuiltinFetch(fetch: typeof globalThis.fetch): void {
  builtinFetch = fetch
}

interface FetchContext {
  resolved: ResolvedHttpOptions
  monitor: HttpMonitor
  dispatcher: Dispatcher
  isClosed(): boolean
  closedError(url: URL, method: string): unknown
}

interface Prepared {
  url: URL
  method: string
  headers: Record<string, string | string[]>
  body: string | Uint8Array | Readable | null
  replayable: boolean
  signal: AbortSignal | undefined
  redirect: RequestRedirect
}

/** The headers Node's built-in fetch adds when the caller did not set them (Node 20's undici). */
const DEFAULT_HEADERS: [string, string][] = [
  ['accept', '*/*'],
  ['accept-language', '*'],
  ['sec-fetch-mode', 'cors'],
  ['user-agent', 'node'],
  ['accept-encoding', 'gzip, deflate'],
]
/** `RequestInit` keys the fast path understands; the others only matter in browsers (Node ignores them). */
const SIMPLE_INIT_KEYS = new Set(['method', 'headers', 'body', 'signal', 'redirect', 'cache', 'credentials', 'mode', 'referrer', 'referrerPolicy', 'integrity', 'keepalive', 'priority', 'window'])
/** Methods the standard normalizes to upper case; PATCH is sent as written, like the built-in does. */
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'])
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])
/** Headers dropped on a redirect to another origin (what undici's fetch drops). */
const CROSS_ORIGIN_DROPPED = ['authorization', 'proxy-authorization', 'cookie', 'host']
const REQUEST_BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type', 'content-length']

function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:'
}

function headersRecord(headers: Headers, order?: string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  if (order) for (const name of order) if (name !== 'set-cookie' && out[name] === undefined && headers.has(name)) out[name] = headers.get(name)!
  for (const [name, value] of headers) {
    if (order && name !== 'set-cookie') {
      if (out[name] === undefined) out[name] = value
    } else if (name === 'set-cookie') {
      const previous = out[name]
      out[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value]
    } else out[name] = value
  }
  for (const [name, value] of DEFAULT_HEADERS) if (out[name] === undefined) out[name] = value
  return out
}

function parseUrl(input: string | URL): URL {
  let url: URL
  try {
    url = new URL(input)
  } catch (cause) {
    throw new TypeError(`Failed to parse URL from ${redactUrl(String(input))}`, { cause })
  }
  if (url.username !== '' || url.password !== '') {
    // The built-in message repeats the URL, password included; this one does not.
    throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${redactUrl(url.href)}`)
  }
  return url
}

/**
 * The common call (`fetch(url)`, `fetch(url, { method, headers, body: string | bytes })`) without
 * building a `Request`: the validation it needs is done here with the same outcome. `undefined`
 * sends the call through `new Request()` instead.
 */
function prepareSimple(input: string | URL, init: RequestInit | undefined): Prepared | 'builtin' | undefined {
  let method = 'GET'
  let body: string | Uint8Array | null = null
  let headers: Headers | undefined
  let signal: AbortSignal | undefined
  let redirect: RequestRedirect = 'follow'
  let order: string[] | undefined
  if (init !== undefined && init !== null) {
    if (typeof init !== 'object') return undefined
    for (const key in init) if (!SIMPLE_INIT_KEYS.has(key)) return undefined
    if (init.method !== undefined) {
      if (typeof init.method !== 'string') return undefined
      const upper = init.method.toUpperCase()
      if (NORMALIZED_METHODS.has(upper)) method = upper
      else if (init.method === 'PATCH') method = 'PATCH'
      else return undefined
    }
    if (init.body !== undefined && init.body !== null) {
      if (method === 'GET' || method === 'HEAD') return undefined
      if (typeof init.body === 'string') body = init.body
      else if (init.body instanceof Uint8Array) body = Buffer.from(init.body) // a copy, as Request makes
      else return undefined
    }
    if (init.signal !== undefined && init.signal !== null) {
      if (!(init.signal instanceof AbortSignal)) return undefined
      signal = init.signal
    }
    if (init.redirect !== undefined) {
      if (init.redirect !== 'follow' && init.redirect !== 'error' && init.redirect !== 'manual') return undefined
      redirect = init.redirect
    }
    if (init.headers !== undefined) {
      headers = new Headers(init.headers)
      // The built-in sends headers in the caller's order; iterating a Headers sorts them.
      if (!(init.headers instanceof Headers)) order = Array.isArray(init.headers) ? init.headers.map(([name]) => String(name).toLowerCase()) : Object.keys(init.headers).map((name) => name.toLowerCase())
    }
  }
  const url = parseUrl(input)
  if (!isHttp(url)) return 'builtin'
  url.hash = ''
  const record = headersRecord(headers ?? new Headers(), order)
  if (typeof body === 'string' && record['content-type'] === undefined) record['content-type'] = 'text/plain;charset=UTF-8'
  return { url, method, headers: record, body, replayable: true, signal, redirect }
}

/** Everything else goes through the built-in `Request`, which validates and encodes bodies exactly as the built-in fetch does. */
async function prepareWithRequest(input: RequestInfo | URL, init: RequestInit | undefined): Promise<Prepared | 'builtin'> {
  if (init && (init as { dispatcher?: unknown }).dispatcher !== undefined) return 'builtin'
  if (input instanceof Request) {
    if (!isHttp(new URL(input.url))) return 'builtin'
  } else if (!isHttp(parseUrl(input as string | URL))) return 'builtin'
  const request = new Request(input, init)
  const url = new URL(request.url)
  let body: Prepared['body'] = null
  let replayable = true
  const source = init?.body
  if (request.body !== null) {
    if (source instanceof ReadableStream || (typeof source === 'object' && source !== null && Symbol.asyncIterator in source)) {
      body = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream<Uint8Array>)
      replayable = false
    } else {
      body = new Uint8Array(await request.arrayBuffer())
    }
  }
  return { url, method: request.method, headers: headersRecord(request.headers), body, replayable, signal: request.signal, redirect: request.redirect }
}

/**
 * The body as an async iterable the `Response` constructor streams from. Errors become what the
 * built-in fetch gives: the caller's abort reason as is, anything else `TypeError('terminated')`.
 * A hand-written iterator, not a generator: cancelling a body never read calls `return()` on an
 * iterator that has not started, which a generator would ignore (its `finally` never runs).
 */
function bodyChunks(stream: Readable, call: Call, callerSignal: AbortSignal | undefined): AsyncIterable<Uint8Array> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>
  const end = (): void => {
    stream.destroy()
    call.finish()
  }
  const iterator: AsyncIterator<Uint8Array> = {
    async next() {
      try {
        const result = await chunks.next()
        if (result.done) end()
        return result
      } catch (error) {
        end()
        if (callerSignal?.aborted && error === callerSignal.reason) throw error
        throw new TypeError('terminated', { cause: error })
      }
    },
    async return() {
      end()
      return { done: true, value: undefined }
    },
  }
  return { [Symbol.asyncIterator]: () => iterator }
}

const responseUrls = new WeakMap<Response, { url: string; redirected: boolean; type: 'basic' | 'cors' }>()

/**
 * A `Response` whose `url`, `redirected` and `type` are what the built-in fetch reports (the
 * constructor cannot set them). Still `instanceof Response`: the global class is the base.
 */
class PooledResponse extends Response {}
function own(response: Response): { url: string; redirected: boolean; type: 'basic' | 'cors' } | undefined {
  return responseUrls.get(response)
}
const baseClone = Response.prototype.clone
Object.defineProperties(PooledResponse.prototype, {
  url: { get(this: Response) { return own(this)?.url ?? '' }, configurable: true },
  redirected: { get(this: Response) { return own(this)?.redirected ?? false }, configurable: true },
  type: { get(this: Response) { return own(this)?.type ?? 'basic' }, configurable: true },
  clone: {
    value: function clone(this: Response): Response {
      const copy = baseClone.call(this)
      const info = own(this)
      Object.defineProperties(copy, {
        url: { value: info?.url ?? '', configurable: true },
        redirected: { value: info?.redirected ?? false, configurable: true },
        type: { value: info?.type ?? 'basic', configurable: true },
      })
      return copy
    },
    configurable: true,
    writable: true,
  },
})

/** Destroys the socket stream of a response dropped unread once it is garbage-collected (the built-in does the same). */
const dropped = new FinalizationRegistry<Readable>((stream) => stream.destroy())

function toResponse(res: ResponseData, prepared: Prepared, url: URL, redirected: boolean, call: Call): Response {
  // A redirect to another origin taints the response as CORS, as in the built-in fetch (its headers stay all visible in Node).
  const type = url.origin === prepared.url.origin ? 'basic' : 'cors'
  const status = res.statusCode
  const pairs: [string, string][] = []
  for (const name in res.headers) {
    const value = res.headers[name]
    if (Array.isArray(value)) for (const v of value) pairs.push([name, v])
    else if (value !== undefined) pairs.push([name, value])
  }
  const init: ResponseInit = { status, statusText: res.statusText ?? '', headers: pairs }
  let response: Response
  if (NULL_BODY_STATUSES.has(status) || prepared.method === 'HEAD') {
    res.body.resume()
    call.finishWith(res.body)
    response = new PooledResponse(null, init)
  } else {
    const chain = decoders(res.headers['content-encoding'])
    const stream: Readable = chain.length === 0 ? res.body : (pipeline(res.body, ...(chain as [Decoder]), () => undefined) as unknown as Readable)
    response = new PooledResponse(bodyChunks(stream, call, prepared.signal) as unknown as ConstructorParameters<typeof Response>[0], init)
    dropped.register(response, stream)
  }
  responseUrls.set(response, { url: url.href, redirected, type })
  return response
}

/** The next hop of a redirect, as the Fetch standard's "HTTP-redirect fetch" computes it. */
function redirectTarget(target: Target, status: number, location: string): Target {
  let next: URL
  try {
    next = new URL(location, target.url)
  } catch (cause) {
    throw new TypeError('invalid redirect location', { cause })
  }
  if (!isHttp(next)) throw new Error('URL scheme must be a HTTP(S) scheme')
  if (status !== 303 && target.body !== null && !target.replayable) throw new Error('Cannot follow redirect with a streamed body')
  if (next.hash === '' && target.url.hash !== '') next.hash = target.url.hash
  const headers = { ...target.headers }
  let { method, body } = target
  if (((status === 301 || status === 302) && method === 'POST') || (status === 303 && method !== 'GET' && method !== 'HEAD')) {
    method = 'GET'
    body = null
    for (const name of REQUEST_BODY_HEADERS) delete headers[name]
  }
  if (next.origin !== target.url.origin) for (const name of CROSS_ORIGIN_DROPPED) delete headers[name]
  return { url: next, method, headers, body, replayable: true }
}

/** Creates the client's WHATWG `fetch`: `Response` over undici's `request` body stream, see `docs/runtime-http.md`. */
export function createFetch(ctx: FetchContext): typeof globalThis.fetch {
  const { resolved, monitor, dispatcher } = ctx
  async function pooledFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let prepared: Prepared | 'builtin' | undefined =
      typeof input === 'string' || input instanceof URL ? prepareSimple(input, init) : undefined
    if (prepared === undefined) prepared = await prepareWithRequest(input, init)
    if (prepared === 'builtin') return (builtinFetch ?? globalThis.fetch)(input, init)
    const { url, method, signal } = prepared
    if (ctx.isClosed()) throw new HttpFetchError(ctx.closedError(url, method) as HttpError)
    signal?.throwIfAborted()

    const call = new Call(url, method, resolved.timeout, signal, monitor)
    let target: Target = { url, method, headers: prepared.headers, body: prepared.body, replayable: prepared.replayable }
    let hops = 0
    try {
      for (;;) {
        const res = await send(call, target, { dispatcher, retry: resolved.retry, timeout: resolved.timeout, monitor })
        const location = res.headers.location
        if (!REDIRECT_STATUSES.has(res.statusCode) || location === undefined || prepared.redirect === 'manual') {
          return toResponse(res, prepared, target.url, hops > 0, call)
        }
        await res.body.dump().catch(() => undefined)
        if (prepared.redirect === 'error') throw new Error('unexpected redirect')
        if (++hops > 20) throw new Error('redirect count exceeded')
        target = redirectTarget(target, res.statusCode, Array.isArray(location) ? location[0]! : location)
      }
    } catch (error) {
      const failed = call.fail(error)
      throw failed instanceof HttpError ? new HttpFetchError(failed) : failed
    }
  }
  return pooledFetch as typeof globalThis.fetch
}
