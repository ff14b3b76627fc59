import { stat } from 'node:fs/promises'
import http from 'node:http'
import type { Socket } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLERS, buildFixture, loadedFiles, type BuiltFixture } from './harness/index.js'

/** A registry-like server: counts the sockets open at once, answers after a short delay so calls overlap. */
let server: http.Server
let base = ''
const sockets = { open: 0, peak: 0 }
beforeAll(async () => {
  server = http.createServer((req, res) => {
    setTimeout(() => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ path: req.url, index: req.headers['x-index'] }))
    }, 30)
  })
  server.on('connection', (socket: Socket) => {
    sockets.peak = Math.max(sockets.peak, ++sockets.open)
    socket.on('close', () => sockets.open--)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

async function measure(fn: () => Promise<unknown>): Promise<number> {
  sockets.peak = 0
  await fn()
  return sockets.peak
}

async function loadedBytes(built: BuiltFixture, args: string[]): Promise<{ files: string[]; bytes: number }> {
  const files = await loadedFiles(built, args)
  let bytes = 0
  for (const file of files) bytes += (await stat(path.join(built.outDir, file))).size
  return { files, bytes }
}

describe.each(BUNDLERS)('runtime: { http } injects a pooled global fetch (#13, %s)', (bundler) => {
  it('every fetch of the CLI goes through the pool, with the same output as the source', async () => {
    const built = await buildFixture('runtime-http', bundler, { plugin: { cacheDir: false, runtime: { http: { connections: 1 } } } })
    let source: Awaited<ReturnType<BuiltFixture['run']>> | undefined
    const sourcePeak = await measure(async () => (source = await built.runSource(['get', base, '6'])))
    let bundled: Awaited<ReturnType<BuiltFixture['run']>> | undefined
    const bundledPeak = await measure(async () => (bundled = await built.run(['get', base, '6'])))
    expect(bundled).toEqual(source)
    expect(bundled!.code).toBe(0)
    expect(bundled!.stdout).toContain('200 application/json {"path":"/item/5","index":"5"} true')
    expect(bundled!.stdout).toContain('data: inline')
    expect(bundled!.stdout).toContain('refused: TypeError fetch failed')
    // The built-in fetch opens a socket per concurrent call; the pool keeps to `connections: 1`.
    expect(sourcePeak).toBeGreaterThan(1)
    expect(bundledPeak).toBe(1)
  })

  it('a run that never fetches loads nothing of the client: --version loads only the bootstrap\'s few bytes more', async () => {
    const withHttp = await buildFixture('runtime-http', bundler, { plugin: { cacheDir: false, runtime: { http: true } } })
    const without = await buildFixture('runtime-http', bundler, { plugin: { cacheDir: false, runtime: true } })
    expect((await withHttp.run(['--version'])).stdout).toBe('1.0.0\n')
    const a = await loadedBytes(withHttp, ['--version'])
    const b = await loadedBytes(without, ['--version'])
    expect(a.files.length).toBe(b.files.length)
    // Figures for the report: `CLI_OPTIMIZER_PRINT_BYTES=1 npx vitest run test/runtime-http-inject.test.ts`.
    if (process.env.CLI_OPTIMIZER_PRINT_BYTES) console.log(`${bundler}: --version loads ${a.bytes} B with runtime.http, ${b.bytes} B without (+${a.bytes - b.bytes} B)`)
    expect(a.bytes - b.bytes).toBeGreaterThan(0)
    // The lazy fetch, 86-97 B as the bundlers print it; default options add no config line.
    expect(a.bytes - b.bytes).toBeLessThanOrEqual(100)
  })
})

describe('runtime.http options are validated at build time (#13)', () => {
  it('a bad option fails the build with a TypeError naming runtime.http.<option>', async () => {
    const { resolveRuntimeOptions } = await import('../packages/unplugin-cli-optimizer/src/runtime-inject/runtime-options.js')
    expect(() => resolveRuntimeOptions({ http: { retry: { limit: 'x' } } })).toThrow('[cli-optimizer] runtime.http.retry.limit must be a nonnegative integer, got "x"')
    expect(resolveRuntimeOptions({ http: true })).toMatchObject({ services: { http: {} } })
    expect(resolveRuntimeOptions({})).toMatchObject({ services: {} })
  })
})
