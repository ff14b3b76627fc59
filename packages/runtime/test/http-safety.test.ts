import { createServer as createNetServer, connect as netConnect } from 'node:net'
import type { IncomingMessage } from 'node:http'
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { backoffDelay, retryAfterDelay } from '../src/http/http-retry.js'
import { resolveHttpOptions } from '../src/http/http-options.js'
import { createHttp, HttpError, type HttpEvent } from '../src/http/index.js'
import { selfSignedCert, useTestServers } from './helpers/http-server.js'

const startServer = useTestServers()

describe('http options: bad input is a TypeError naming the option (#13)', () => {
  it.each([
    [{ connections: 'many' }, /^\[cli-optimizer\] http option connections must be an integer >= 1, got "many"$/],
    [{ connections: 0 }, /http option connections must be an integer >= 1, got number 0/],
    [{ keepAliveMaxTimeout: 1.5 }, /http option keepAliveMaxTimeout must be an integer >= 1/],
    [{ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 5000 }, /http option keepAliveTimeout must be at most keepAliveMaxTimeout \(5000\)/],
    [{ timeout: -1 }, /http option timeout must be a nonnegative integer, got number -1/],
    [{ retry: { limit: 'x' } }, /http option retry.limit must be a nonnegative integer, got "x"/],
    [{ retry: { methods: 'GET' } }, /http option retry.methods must be an array of method names/],
    [{ retry: { statusCodes: [700] } }, /http option retry.statusCodes must be an array of HTTP statuses/],
    [{ retry: { minDelay: 100, maxDelay: 10 } }, /http option retry.minDelay must be at most retry.maxDelay/],
    [{ retry: { jitter: true } }, /unknown http option retry.jitter \(known: limit, methods/],
    [{ retry: 3 }, /http option retry must be a boolean or an object/],
    [{ proxy: 'http://proxy' }, /http option proxy must be 'env' or false/],
    [{ ca: 'not a pem' }, /http option ca must be a PEM certificate string/],
    [{ cache: true }, /http option cache needs name/],
    [{ cache: { dir: 3 } }, /http option cache.dir must be a non-empty string path/],
    [{ decompress: 'yes' }, /http option decompress must be a boolean/],
    [{ conections: 4 }, /unknown http option conections \(known: connections/],
    ['fast', /http option \(options\) must be an object, got "fast"/],
  ])('%j', (options, message) => {
    expect(() => createHttp(options as never)).toThrow(TypeError)
    expect(() => createHttp(options as never)).toThrow(message)
  })

  it('the plugin path names the option as the user wrote it', () => {
    expect(() => resolveHttpOptions({ retry: { limit: -1 } }, 'runtime.http.')).toThrow('[cli-optimizer] runtime.http.retry.limit must be a nonnegative integer, got number -1')
  })

  it('defaults: keep-alive capped well under undici\'s 600 s, idempotent retries', () => {
    const resolved = resolveHttpOptions({})
    expect(resolved).toMatchObject({ connections: 16, pipelining: 1, keepAliveTimeout: 4000, keepAliveMaxTimeout: 30_000, timeout: 0, proxy: 'env', cache: false })
    expect([...resolved.retry.methods]).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE'])
  })

  it('request(): invalid URL, unsupported protocol, bad per-call options', async () => {
    const http = createHttp()
    await expect(http.request('not a url')).rejects.toThrow(/^\[cli-optimizer\] http request url must be an absolute http: or https: URL, got "not a url"$/)
    await expect(http.request('ftp://example.com/file')).rejects.toThrow(/http request url must be an http: or https: URL, got protocol "ftp:"/)
    await expect(http.request(42 as never)).rejects.toThrow(/http request url must be a string or a URL, got number/)
    await expect(http.request('http://127.0.0.1/', { timeout: 'soon' } as never)).rejects.toThrow(/http request timeout must be a nonnegative integer/)
    await expect(http.request('http://127.0.0.1/', { body: {} } as never)).rejects.toThrow(/http request body must be a string, a Uint8Array or a Readable/)
    await expect(http.request('http://127.0.0.1/', { methd: 'GET' } as never)).rejects.toThrow(/unknown http request option methd/)
    await expect(http.request('http://127.0.0.1/', { method: 'GE T' })).rejects.toThrow(TypeError)
    await http.close()
  })
})

describe('http retry delays (#13)', () => {
  const retry = resolveHttpOptions({ retry: { minDelay: 100, maxDelay: 1000 } }).retry
  it('exponential, capped, with equal jitter in [step/2, step)', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(retry, n, () => 0))).toEqual([50, 100, 200, 400, 500])
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(retry, n, () => 0.999999))).toEqual([99, 199, 399, 799, 999])
  })
  it('Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterDelay('3')).toBe(3000)
    expect(retryAfterDelay(new Date(10_000).toUTCString(), 4000)).toBe(6000)
    expect(retryAfterDelay('soon')).toBeUndefined()
    expect(retryAfterDelay(undefined)).toBeUndefined()
  })
})

describe('http secrets stay secret (#13)', () => {
  const saved = { ...process.env }
  afterEach(() => {
    for (const key of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) {
      if (saved[key] === undefined) delete process.env[key]
      else process.env[key] = saved[key]
    }
  })

  it('credentials in URLs, Authorization and proxy credentials never appear in errors, warnings, stats or events', async () => {
    const SECRETS = ['hunter2pass', 'topsecret-token', 'proxy-pass-42', 'query-key-99']
    const outputs: string[] = []
    const onWarning = (w: Error): void => void outputs.push(inspect(w))
    process.on('warning', onWarning)
    const stall = await startServer(() => undefined)
    const closedPort = await new Promise<number>((resolve) => {
      const s = createNetServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number }
        s.close(() => resolve(port))
      })
    })
    const events: HttpEvent[] = []
    const record = (error: unknown): void => void outputs.push(String(error), (error as Error).message ?? '', inspect(error, { depth: 10 }), JSON.stringify(error))

    const http = createHttp({ timeout: 200, retry: { limit: 1, minDelay: 1, maxDelay: 1 } })
    http.subscribe((e) => events.push(e))
    const withSecrets = (origin: string): string => origin.replace('//', '//alice:hunter2pass@') + '/p?key=query-key-99'
    for (const origin of [stall.origin, `http://127.0.0.1:${closedPort}`]) {
      await http.request(withSecrets(origin), { headers: { authorization: 'Bearer topsecret-token' } }).catch(record)
      await http.fetch(`${origin}/p?key=query-key-99`, { headers: { authorization: 'Bearer topsecret-token' } }).catch(record)
    }
    // The built-in fetch refuses credentials in URLs, and repeats the URL in its message; ours does not.
    await http.fetch(withSecrets(stall.origin)).catch(record)
    outputs.push(JSON.stringify(http.stats()), JSON.stringify(events))
    await http.close()

    // A proxy with credentials, from the environment, that refuses the tunnel.
    const proxySockets = new Set<import('node:net').Socket>()
    const proxy = createNetServer((socket) => {
      proxySockets.add(socket)
      socket.on('data', (head) => outputs.push(`proxy received: ${head.toString().split('\r\n')[0]}`))
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n')
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    process.env.HTTPS_PROXY = process.env.HTTP_PROXY = `http://bob:proxy-pass-42@127.0.0.1:${(proxy.address() as { port: number }).port}`
    const proxied = createHttp({ retry: false })
    await proxied.request(stall.url, { headers: { authorization: 'Bearer topsecret-token' } }).catch(record)
    await proxied.fetch(stall.url).catch(record)
    outputs.push(JSON.stringify(proxied.stats()))
    await proxied.close()
    for (const socket of proxySockets) socket.destroy()
    await new Promise<void>((resolve) => proxy.close(() => resolve()))
    process.off('warning', onWarning)

    expect(outputs.length).toBeGreaterThan(20)
    // The errors above did happen, with their origin (so the check below reads real messages).
    expect(outputs.join('\n')).toContain(stall.origin)
    expect(outputs.join('\n')).toContain('CLI_OPTIMIZER_HTTP_DEADLINE')
    expect(outputs.join('\n')).toContain('CLI_OPTIMIZER_HTTP_CONNECTION_REFUSED')
    expect(outputs.join('\n')).toContain('CLI_OPTIMIZER_HTTP_PROXY')
    expect(outputs.join('\n')).toContain(`proxy received: CONNECT ${new URL(stall.url).host}`)
    for (const secret of SECRETS) for (const output of outputs) expect(output).not.toContain(secret)
  })

  it('credentials in a request() URL become a Basic Authorization header, and leave the URL', async () => {
    let seen: IncomingMessage | undefined
    const server = await startServer((req, res) => {
      seen = req
      res.end()
    })
    const http = createHttp()
    await (await http.request(server.origin.replace('//', '//al%40ice:p%3Ass@') + '/x')).body.dump()
    expect(seen!.headers.authorization).toBe(`Basic ${Buffer.from('al@ice:p:ss').toString('base64')}`)
    expect(seen!.url).toBe('/x')
    await http.close()
  })
})

describe('http TLS (#13)', () => {
  it('a self-signed certificate is an error (never skipped); with `ca` it is trusted', async () => {
    const server = await startServer((_req, res) => res.end('secure'), { tls: true })
    const untrusting = createHttp()
    const error = await untrusting.request(server.url).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ code: 'CLI_OPTIMIZER_HTTP_TLS', origin: server.origin, attempts: 1 })
    await expect(untrusting.fetch(server.url)).rejects.toMatchObject({ message: 'fetch failed', code: 'CLI_OPTIMIZER_HTTP_TLS' })
    await untrusting.close()
    expect(server.handshakes).toBe(0)

    const trusting = createHttp({ ca: selfSignedCert().cert })
    expect(await (await trusting.request(server.url)).body.text()).toBe('secure')
    await trusting.close()
  })

  it('1,000 HTTPS requests to one origin cost at most `connections` TLS handshakes', async () => {
    const server = await startServer((_req, res) => res.end('ok'), { tls: true })
    const http = createHttp({ ca: selfSignedCert().cert, connections: 4 })
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 100 }, async () => (await http.request(server.url)).body.text()))
    }
    expect(server.hits.get('/')).toBe(1000)
    expect(server.handshakes).toBeGreaterThan(0)
    expect(server.handshakes).toBeLessThanOrEqual(4)
    await http.close()
  })
})

describe('http proxies from the environment (#13)', () => {
  const saved = { ...process.env }
  afterEach(() => {
    for (const key of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']) {
      if (saved[key] === undefined) delete process.env[key]
      else process.env[key] = saved[key]
    }
  })

  it('HTTP_PROXY tunnels through the proxy, NO_PROXY bypasses it, proxy: false ignores it', async () => {
    const server = await startServer((_req, res) => res.end('direct or not'))
    const tunnels: string[] = []
    const proxy = createNetServer((client) => {
      client.once('data', (head) => {
        const [, target] = /^CONNECT (\S+) /.exec(head.toString()) ?? []
        tunnels.push(target!)
        const [host, port] = target!.split(':')
        const upstream = netConnect(Number(port), host!, () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
          upstream.pipe(client).pipe(upstream)
        })
        upstream.on('error', () => client.destroy())
        client.on('error', () => upstream.destroy())
      })
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`
    try {
      const proxied = createHttp()
      expect(await (await proxied.request(server.url)).body.text()).toBe('direct or not')
      await proxied.close()
      expect(tunnels).toEqual([new URL(server.url).host])

      const off = createHttp({ proxy: false })
      await (await off.request(server.url)).body.dump()
      await off.close()
      process.env.NO_PROXY = '127.0.0.1'
      const bypassed = createHttp()
      await (await bypassed.request(server.url)).body.dump()
      await bypassed.close()
      expect(tunnels).toHaveLength(1)
      expect(server.hits.get('/')).toBe(3)
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()))
    }
  })
})
