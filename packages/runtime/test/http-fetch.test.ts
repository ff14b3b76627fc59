import type { IncomingMessage, ServerResponse } from 'node:http'
import zlib from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { createHttp } from '../src/http/index.js'
import { readBody, useTestServers, type TestServer } from './helpers/http-server.js'
import { sleep } from './helpers/temp-dir.js'

const startServer = useTestServers()
const builtinFetch = globalThis.fetch
const pooled = createHttp({ retry: false })
afterAll(() => pooled.close())

/** What a caller can observe of a fetch outcome, with the headers that always differ (date) left out. */
async function observe(fetcher: typeof fetch, input: string | URL | Request, init?: RequestInit): Promise<unknown> {
  let response: Response
  try {
    response = await fetcher(input, init)
  } catch (error) {
    const e = error as Error
    return { rejected: e instanceof TypeError ? 'TypeError' : e.constructor.name, name: e.name, message: e.message, causeName: (e.cause as Error | undefined)?.name }
  }
  const headers = [...response.headers].filter(([name]) => name !== 'date' && name !== 'keep-alive' && name !== 'connection')
  let body: unknown
  try {
    body = response.body === null ? null : await response.text()
  } catch (error) {
    body = { bodyRejected: (error as Error).name, message: (error as Error).message }
  }
  return {
    isResponse: response instanceof Response,
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    url: response.url,
    redirected: response.redirected,
    type: response.type,
    headers,
    setCookies: response.headers.getSetCookie(),
    body,
    bodyUsed: response.bodyUsed,
  }
}

/** Runs the same call with the built-in fetch and the pooled one; both see the same server. */
async function same(input: string | URL | (() => Request), init?: RequestInit | (() => RequestInit)): Promise<unknown> {
  const args = (): [string | URL | Request, RequestInit | undefined] => [typeof input === 'function' ? input() : input, typeof init === 'function' ? init() : init]
  const builtin = await observe(builtinFetch, ...args())
  const ours = await observe(pooled.fetch, ...args())
  expect(ours).toEqual(builtin)
  return ours
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, 'http://x')
  const other = url.searchParams.get('other')
  switch (url.pathname) {
    case '/json':
      res.setHeader('content-type', 'application/json')
      res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/'])
      return void res.end(JSON.stringify({ hello: 'world' }))
    case '/status':
      res.statusCode = Number(url.searchParams.get('code'))
      res.statusMessage = 'Custom Reason'
      return void res.end(res.statusCode === 204 || res.statusCode === 304 ? undefined : 'status body')
    case '/gzip':
      res.setHeader('content-encoding', 'gzip')
      return void res.end(zlib.gzipSync('gzipped text'))
    case '/deflate':
      res.setHeader('content-encoding', 'deflate')
      return void res.end(zlib.deflateSync('deflated text'))
    case '/br':
      res.setHeader('content-encoding', 'br')
      return void res.end(zlib.brotliCompressSync('brotli text'))
    case '/unknown-coding':
      res.setHeader('content-encoding', 'snappy')
      return void res.end('raw bytes')
    case '/echo':
      return void readBody(req).then((body) => {
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'connection' && k !== 'content-type'))
        const type = req.headers['content-type']?.replace(/boundary=.*/, 'boundary=...')
        res.end(JSON.stringify({ method: req.method, url: req.url, headers, type, body: body.replace(/-{2,}\S+/g, '--boundary') }))
      })
    case '/redirect':
      res.statusCode = Number(url.searchParams.get('code') ?? 302)
      res.setHeader('location', other ?? url.searchParams.get('to') ?? '/echo')
      return void res.end('redirecting')
    case '/loop':
      res.statusCode = 302
      res.setHeader('location', '/loop')
      return void res.end()
    case '/chunks':
      res.write('first,')
      return void setTimeout(() => res.end('second'), 50)
    case '/stall-body':
      res.writeHead(200, { 'content-length': '100' })
      return void res.write('part')
    case '/slow':
      return void setTimeout(() => res.end('slow'), 2000)
    default:
      res.statusCode = 404
      res.end('not found')
  }
}

describe('fetch from createHttp behaves as the built-in fetch (#13)', () => {
  let server: TestServer
  const url = (p: string): string => `${server.origin}${p}`
  const start = async (): Promise<void> => {
    server = await startServer(handler)
  }

  it('GET: status, headers (set-cookie too), body, url, type', async () => {
    await start()
    const seen = await same(url('/json'))
    expect(seen).toMatchObject({ isResponse: true, status: 200, body: '{"hello":"world"}', type: 'basic', setCookies: ['a=1; Path=/', 'b=2; Path=/'] })
    await same(url('/missing'))
    await same(new URL(url('/json#fragment')))
  })

  it('statuses with and without a body, custom reason phrases, HEAD', async () => {
    await start()
    for (const code of [200, 201, 204, 304, 400, 418, 500, 503]) await same(url(`/status?code=${code}`))
    const head = await same(url('/json'), { method: 'HEAD' })
    expect(head).toMatchObject({ body: null })
  })

  it('decodes gzip, deflate and br; leaves an unknown coding as sent', async () => {
    await start()
    expect(await same(url('/gzip'))).toMatchObject({ body: 'gzipped text' })
    expect(await same(url('/deflate'))).toMatchObject({ body: 'deflated text' })
    expect(await same(url('/br'))).toMatchObject({ body: 'brotli text' })
    expect(await same(url('/unknown-coding'))).toMatchObject({ body: 'raw bytes' })
  })

  it('sends the same request: default headers, string, bytes, URLSearchParams, FormData, Blob and stream bodies', async () => {
    await start()
    await same(url('/echo'))
    await same(url('/echo?q=1'), { method: 'post', body: 'text body', headers: { 'x-custom': 'yes', Accept: 'application/json' } })
    await same(url('/echo'), { method: 'PUT', body: new Uint8Array([104, 105]) })
    await same(url('/echo'), { method: 'PATCH', body: 'patched' })
    await same(url('/echo'), { method: 'POST', body: new URLSearchParams({ a: '1', b: 'two' }) })
    await same(url('/echo'), () => {
      const form = new FormData()
      form.set('field', 'value')
      return { method: 'POST', body: form }
    })
    await same(url('/echo'), { method: 'POST', body: new Blob(['blob body'], { type: 'text/x-blob' }) })
    await same(url('/echo'), () => ({
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('streamed '))
          controller.enqueue(new TextEncoder().encode('upload'))
          controller.close()
        },
      }),
      duplex: 'half',
    }) as RequestInit)
    await same(() => new Request(url('/echo'), { method: 'DELETE', headers: new Headers([['x-a', '1'], ['x-a', '2']]) }))
  })

  it('follows redirects as the standard says: 301/302 POST becomes GET, 303 too, 307/308 keep method and body', async () => {
    await start()
    for (const code of [301, 302, 303, 307, 308]) {
      const seen = await same(url(`/redirect?code=${code}`), { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } })
      expect(seen).toMatchObject({ redirected: true, url: url('/echo') })
    }
    await same(url('/redirect?code=302'), { method: 'PUT', body: 'kept' })
  })

  it('a redirect to another origin drops Authorization; redirect: manual and error; a loop ends with an error', async () => {
    await start()
    const second = await startServer(handler)
    const seen = await same(url(`/redirect?other=${encodeURIComponent(`${second.origin}/echo`)}`), { headers: { authorization: 'Bearer x', 'x-keep': '1' } })
    expect(JSON.parse((seen as { body: string }).body).headers).not.toHaveProperty('authorization')
    expect(await same(url('/redirect?code=301'), { redirect: 'manual' })).toMatchObject({ status: 301, redirected: false })
    expect(await same(url('/redirect'), { redirect: 'error' })).toMatchObject({ rejected: 'TypeError', message: 'fetch failed' })
    expect(await same(url('/loop'))).toMatchObject({ rejected: 'TypeError', message: 'fetch failed' })
  })

  it('rejects bad input the same way', async () => {
    await start()
    expect(await same('not a url')).toMatchObject({ rejected: 'TypeError' })
    expect(await same(url('/echo'), { method: 'GET', body: 'not allowed' })).toMatchObject({ rejected: 'TypeError' })
    expect(await same(url('/echo'), { method: 'CONNECT' })).toMatchObject({ rejected: 'TypeError' })
    expect(await same(url('/echo'), { method: 'bad method' })).toMatchObject({ rejected: 'TypeError' })
    expect(await same(url('/echo'), { headers: { 'bad header': 'x' } })).toMatchObject({ rejected: 'TypeError' })
    expect(await same('http://127.0.0.1:1/')).toMatchObject({ rejected: 'TypeError', message: 'fetch failed' })
    // Non-HTTP schemes go to the built-in fetch.
    expect(await same('data:text/plain,hello')).toMatchObject({ status: 200, body: 'hello' })
    expect(await same('ftp://127.0.0.1/')).toMatchObject({ rejected: 'TypeError' })
  })

  it('AbortSignal: before the call, while waiting for headers, while reading the body', async () => {
    await start()
    const aborted = new AbortController()
    aborted.abort()
    expect(await same(url('/json'), { signal: aborted.signal })).toMatchObject({ rejected: 'DOMException', name: 'AbortError' })
    expect(await same(url('/slow'), () => ({ signal: AbortSignal.timeout(50) }))).toMatchObject({ rejected: 'DOMException', name: 'TimeoutError' })
    const custom = new Error('my reason')
    const during = async (fetcher: typeof fetch): Promise<unknown> => {
      const controller = new AbortController()
      const response = await fetcher(url('/stall-body'), { signal: controller.signal })
      setTimeout(() => controller.abort(custom), 20)
      return response.text().catch((e: unknown) => e)
    }
    expect(await during(builtinFetch)).toBe(custom)
    expect(await during(pooled.fetch)).toBe(custom)
  })

  it('streams: the body arrives chunk by chunk; Response methods and clone()', async () => {
    await start()
    const chunks = async (fetcher: typeof fetch): Promise<string[]> => {
      const reader = (await fetcher(url('/chunks'))).body!.getReader()
      const out: string[] = []
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return out
        out.push(new TextDecoder().decode(value))
      }
    }
    expect(await chunks(pooled.fetch)).toEqual(await chunks(builtinFetch))
    expect(await chunks(pooled.fetch)).toEqual(['first,', 'second'])

    const response = await pooled.fetch(url('/json'))
    const copy = response.clone()
    expect(await response.json()).toEqual({ hello: 'world' })
    expect(response.bodyUsed).toBe(true)
    await expect(response.text()).rejects.toThrow(TypeError)
    expect(copy.url).toBe(url('/json'))
    expect(copy.type).toBe('basic')
    expect(new Uint8Array(await copy.arrayBuffer())).toEqual(new TextEncoder().encode('{"hello":"world"}'))
    const blob = await (await pooled.fetch(url('/json'))).blob()
    expect(blob.type).toBe('application/json')

    // Cancelling a body releases the socket for the next call.
    const big = await pooled.fetch(url('/stall-body'))
    await big.body!.cancel()
    await sleep(20)
    expect(pooled.stats().inFlight).toBe(0)
  })
})
