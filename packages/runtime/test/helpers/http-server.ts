import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, info: { socketRequests: number }) => void

export interface TestServer {
  url: string
  origin: string
  /** Requests seen, by path. */
  hits: Map<string, number>
  /** Sockets ever accepted, sockets open now, most open at once. */
  sockets: { accepted: number; open: number; peak: number }
  /** TLS handshakes completed (HTTPS servers). */
  handshakes: number
  /** Raw request heads as received, for checks that secrets were or were not sent. */
  received: string[]
  /** Destroys every open socket (the server "dies" mid-body, say). */
  destroySockets(): void
  close(): Promise<void>
}

let certCache: { key: string; cert: string } | undefined

/** A self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI at test time (nothing checked in). */
export function selfSignedCert(): { key: string; cert: string } {
  if (certCache) return certCache
  const dir = mkdtempSync(path.join(tmpdir(), 'cli-opt-tls-'))
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ], { stdio: 'ignore' })
    certCache = { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') }
    return certCache
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Starts servers on free loopback ports; each is closed after the test. */
export function useTestServers(): (handler: Handler, options?: { tls?: boolean; maxConnections?: number; keepAliveTimeout?: number }) => Promise<TestServer> {
  const servers: TestServer[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })
  return async (handler, options = {}) => {
    const server: http.Server = options.tls ? https.createServer(selfSignedCert()) : http.createServer()
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout
    if (options.maxConnections !== undefined) server.maxConnections = options.maxConnections
    const open = new Set<Socket>()
    const perSocket = new WeakMap<Socket, number>()
    const state: TestServer = {
      url: '',
      origin: '',
      hits: new Map(),
      sockets: { accepted: 0, open: 0, peak: 0 },
      handshakes: 0,
      received: [],
      destroySockets: () => {
        for (const socket of open) socket.destroy()
      },
      close: () =>
        new Promise<void>((resolve) => {
          for (const socket of open) socket.destroy()
          server.close(() => resolve())
        }),
    }
    server.on('connection', (socket: Socket) => {
      state.sockets.accepted++
      open.add(socket)
      state.sockets.open = open.size
      state.sockets.peak = Math.max(state.sockets.peak, open.size)
      socket.on('close', () => {
        open.delete(socket)
        state.sockets.open = open.size
      })
    })
    server.on('secureConnection', () => state.handshakes++)
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const pathname = new URL(req.url!, 'http://x').pathname
      state.hits.set(pathname, (state.hits.get(pathname) ?? 0) + 1)
      state.received.push(`${req.method} ${req.url}\n${req.rawHeaders.join('\n')}`)
      const count = (perSocket.get(req.socket) ?? 0) + 1
      perSocket.set(req.socket, count)
      handler(req, res, { socketRequests: count })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    state.origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`
    state.url = `${state.origin}/`
    servers.push(state)
    return state
  }
}

/** Reads a request body to a string. */
export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (data += chunk))
    req.on('end', () => resolve(data))
    req.on('error', reject)
  })
}
