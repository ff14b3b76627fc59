/**
 * `devkit versions <package> --registry <url>` (issue #13): the playground's network command,
 * against a registry-like server started here. Every bundler × variant output must print what the
 * unbundled source prints; the optimized outputs fetch through the runtime's pooled client
 * (`runtime: { http: true }` in the playground's build configs), the source and plain outputs through
 * the built-in fetch. Answers are cached 5 minutes with `@cli-optimizer/runtime/cache` in the user
 * cache directory (`XDG_CACHE_HOME`, a fresh one per run here unless a case shares it on purpose).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import http from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildPlayground, PLAYGROUND, PLAYGROUND_OUTPUTS as OUTPUTS, PLAYGROUND_SOURCE as SOURCE, runNode, type RunResult } from './harness/index.js'

/** Its own folder (see playground/.gitignore), so test/playground.test.ts's builds are never overwritten. */
const OUT = 'dist-test-versions'

const PACKUMENT = { name: 'semver', 'dist-tags': { latest: '3.0.0' }, versions: { '1.0.0': {}, '2.0.0': {}, '2.1.0-beta.1': {}, '2.1.0': {}, '3.0.0': {} } }
let server: http.Server
let registry = ''
let closedPort = ''
const requests: string[] = []
const tmp: string[] = []

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '')
    res.setHeader('content-type', 'application/json')
    if (req.url === '/semver' || req.url === '/@scope%2fpkg') res.end(JSON.stringify(PACKUMENT))
    else if (req.url === '/broken') res.writeHead(500).end('{"error":"down"}')
    else res.writeHead(404).end('{"error":"Not found"}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  registry = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  // A port nothing listens on: a server opened and closed at once.
  const probe = http.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  closedPort = String((probe.address() as { port: number }).port)
  await new Promise((resolve) => probe.close(resolve))
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await Promise.all(tmp.map((dir) => rm(dir, { recursive: true, force: true })))
})

async function cacheHome(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'devkit-cache-'))
  tmp.push(dir)
  return dir
}

async function run(file: string, args: string[], home?: string): Promise<RunResult> {
  return runNode(file, args, { cwd: PLAYGROUND, env: { XDG_CACHE_HOME: home ?? (await cacheHome()) } })
}

/** Cases as functions: the registry's port is known only once the server listens. */
const CASES: [string, () => string[], 0 | 1, string][] = [
  ['a range', () => ['versions', 'semver', '--registry', registry, '--range', '^2'], 0, '2 versions, latest 2.1.0'],
  ['--latest, prereleases', () => ['versions', 'semver', '--registry', `${registry}/`, '--latest', '-r', '>=2.1.0-0', '-p'], 0, '3.0.0'],
  ['a scoped package', () => ['versions', '@scope/pkg', '--registry', registry], 0, '5 versions, latest 3.0.0'],
  ['an unknown package', () => ['versions', 'nope', '--registry', registry], 1, 'package "nope" not found on 127.0.0.1'],
  ['a registry error', () => ['versions', 'broken', '--registry', registry], 1, 'answered 500 for "broken"'],
  ['a registry that refuses connections', () => ['versions', 'semver', '--registry', `http://127.0.0.1:${closedPort}`], 1, `cannot reach 127.0.0.1:${closedPort}`],
  ['a bad registry URL', () => ['versions', 'semver', '--registry', 'ftp://example.test'], 1, '--registry must be an http(s) URL'],
  ['a bad package name', () => ['versions', '../etc', '--registry', registry], 1, 'invalid package name "../etc"'],
]

describe('devkit versions --registry, source (#13)', () => {
  it.each(CASES)('%s', async (_name, args, code, shows) => {
    const result = await run(SOURCE, args())
    expect(result.code).toBe(code)
    expect(code === 0 ? result.stdout : result.stderr).toContain(shows)
  })

  it('caches the answer: a second run within 5 minutes asks the registry nothing; --refresh asks again', async () => {
    const home = await cacheHome()
    const args = ['versions', 'semver', '--registry', registry, '--latest']
    const before = requests.length
    const first = await run(SOURCE, args, home)
    expect(requests.length - before).toBe(1)
    expect(await run(SOURCE, args, home)).toEqual(first)
    expect(requests.length - before).toBe(1)
    expect(await run(SOURCE, [...args, '--refresh'], home)).toEqual(first)
    expect(requests.length - before).toBe(2)
  })
})

describe('devkit versions --registry, built (#13)', () => {
  let buildErrors = new Map<string, string>()

  beforeAll(async () => {
    buildErrors = (await buildPlayground(OUT)).errors
  }, 600_000)

  describe.each(OUTPUTS)('%s matches the source', (output) => {
    const entry = path.join(PLAYGROUND, OUT, output, 'cli.js')

    it.each(CASES)('%s', async (_name, args) => {
      expect(buildErrors.get(output)).toBeUndefined()
      const [built, source] = await Promise.all([run(entry, args()), run(SOURCE, args())])
      expect(built).toEqual(source)
    })

    if (output.endsWith('-optimized')) {
      it('starts with the bootstrap that pools the global fetch (runtime.http)', async () => {
        const report = JSON.parse(await readFile(path.join(path.dirname(entry), 'report.json'), 'utf8')) as { transforms: { kind: string; reason: string }[] }
        expect(report.transforms.filter((t) => t.kind === 'bootstrap').map((t) => t.reason)).toEqual([expect.stringContaining('services: http')])
      })
    }

    it('caches like the source', async () => {
      const home = await cacheHome()
      const args = ['versions', 'semver', '--registry', registry, '--latest']
      const before = requests.length
      const first = await run(entry, args, home)
      expect(first).toEqual({ code: 0, stdout: '3.0.0\n', stderr: '' })
      expect(await run(entry, args, home)).toEqual(first)
      expect(requests.length - before).toBe(1)
    })
  })
})
