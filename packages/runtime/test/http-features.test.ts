import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { createHttp, HTTP_EVENTS_CHANNEL, type HttpEvent } from '../src/http/index.js'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { useTestServers } from './helpers/http-server.js'
import { useTempDirs } from './helpers/temp-dir.js'

const startServer = useTestServers()
const tempDir = useTempDirs()

describe('http features (#13)', () => {
  it('cache: a fresh response is served from the /cache disk store, across clients (runs of a CLI)', async () => {
    const server = await startServer((_req, res) => {
      res.setHeader('cache-control', 'public, max-age=60')
      res.end(`answer ${server.hits.get('/') ?? 0}`)
    })
    const dir = tempDir()
    for (let run = 0; run < 2; run++) {
      const http = createHttp({ cache: { dir } })
      expect(await (await http.request(server.url)).body.text()).toBe('answer 1')
      expect(await (await http.fetch(server.url)).text()).toBe('answer 1')
      await http.close()
    }
    expect(server.hits.get('/')).toBe(1)
    const uncached = createHttp()
    expect(await (await uncached.request(server.url)).body.text()).toBe('answer 2')
    await uncached.close()
  })

  it('cache: no-store responses are not kept', async () => {
    const server = await startServer((_req, res) => {
      res.setHeader('cache-control', 'no-store')
      res.end('x')
    })
    const http = createHttp({ cache: { dir: tempDir() } })
    for (let i = 0; i < 3; i++) await (await http.request(server.url)).body.text()
    expect(server.hits.get('/')).toBe(3)
    await http.close()
  })

  it('dedupe: concurrent identical GETs share one exchange', async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end('shared'), 50))
    const http = createHttp({ dedupe: true })
    const bodies = await Promise.all(Array.from({ length: 5 }, async () => (await http.request(server.url)).body.text()))
    expect(bodies).toEqual(Array(5).fill('shared'))
    expect(server.hits.get('/')).toBe(1)
    await http.close()
    const plain = createHttp()
    await Promise.all(Array.from({ length: 5 }, async () => (await plain.request(server.url)).body.text()))
    expect(server.hits.get('/')).toBe(6)
    await plain.close()
  })

  it('decompress: request() bodies decoded, encoding headers dropped; off by default', async () => {
    const server = await startServer((_req, res) => {
      res.setHeader('content-encoding', 'br')
      res.end(zlib.brotliCompressSync(JSON.stringify({ ok: true })))
    })
    const http = createHttp({ decompress: true })
    const response = await http.request(server.url)
    expect(response.headers['content-encoding']).toBeUndefined()
    expect(await response.body.json()).toEqual({ ok: true })
    await http.close()
    const raw = createHttp()
    const encoded = await raw.request(server.url)
    expect(encoded.headers['content-encoding']).toBe('br')
    expect(zlib.brotliDecompressSync(Buffer.from(await encoded.body.arrayBuffer())).toString()).toBe('{"ok":true}')
    await raw.close()
  })

  it('events reach subscribers and the diagnostics channel; labels are origins, methods, statuses', async () => {
    const server = await startServer((_req, res) => res.end('ok'))
    const fromChannel: HttpEvent[] = []
    const onMessage = (message: unknown): void => void fromChannel.push(message as HttpEvent)
    subscribe(HTTP_EVENTS_CHANNEL, onMessage)
    const http = createHttp()
    const events: HttpEvent[] = []
    http.subscribe((e) => events.push(e))
    await (await http.request(`${server.url}secret/path?token=abc`)).body.text()
    await http.close()
    unsubscribe(HTTP_EVENTS_CHANNEL, onMessage)
    expect(events.map((e) => e.type)).toEqual(['socket', 'response', 'socket'])
    expect(events[1]).toMatchObject({ type: 'response', origin: server.origin, method: 'GET', status: 200, attempts: 1 })
    expect(fromChannel).toEqual(events)
    expect(JSON.stringify(events)).not.toContain('token')
  })
})
