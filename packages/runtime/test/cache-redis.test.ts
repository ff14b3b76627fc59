import { spawn } from 'node:child_process'
import path from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CacheWarning } from '../src/cache/cache-options.js'
import { createCache } from '../src/cache/index.js'
import { cacheModuleForChildren, removeChildBundle, WORKERS_DIR } from './helpers/cache-bundle.js'
import { startRedisServer, type RedisServer } from './helpers/redis-server.js'
import { entryFiles, sleep, useTempDirs } from './helpers/temp-dir.js'

const tempDir = useTempDirs()
let server: RedisServer
let raw: Redis
let prefixCounter = 0
const nextPrefix = (): string => `t${prefixCounter++}:`

beforeAll(async () => {
  server = await startRedisServer()
  raw = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: (times) => Math.min(times * 50, 500) })
  raw.on('error', () => {})
})

afterAll(async () => {
  removeChildBundle()
  raw?.disconnect()
  await server?.stop()
})

function collectWarnings(): { warnings: CacheWarning[]; onWarning: (warning: CacheWarning) => void } {
  const warnings: CacheWarning[] = []
  return { warnings, onWarning: (warning) => warnings.push(warning) }
}

describe('cache Redis level against a real redis-server (#7)', () => {
  it('shares entries between caches (machines) under its key prefix, with TTL', async () => {
    const prefix = nextPrefix()
    const a = createCache({ memory: false, redis: { url: server.url, prefix } })
    const b = createCache({ memory: false, redis: { url: server.url, prefix } })
    await a.set('build:42', { ok: true, files: ['a.js'] }, { ttl: 60_000 })
    expect(await b.get('build:42')).toEqual({ ok: true, files: ['a.js'] })
    expect(await raw.keys(`${prefix}*`)).toEqual([`${prefix}k:build:42`])
    const pttl = await raw.pttl(`${prefix}k:build:42`)
    expect(pttl).toBeGreaterThan(50_000)
    expect(pttl).toBeLessThanOrEqual(60_000)
    const other = createCache({ memory: false, redis: { url: server.url, prefix: nextPrefix() } })
    expect(await other.get('build:42')).toBeUndefined()
    expect(b.stats().levels.redis).toMatchObject({ hits: 1, connected: true })
    await Promise.all([a.close(), b.close(), other.close()])
  })

  it('a Redis hit is copied to the disk and memory levels', async () => {
    const prefix = nextPrefix()
    const writer = createCache({ memory: false, redis: { url: server.url, prefix } })
    await writer.set('k', 'shared')
    const dir = tempDir()
    const reader = createCache({ disk: { dir }, redis: { url: server.url, prefix } })
    expect(await reader.get('k')).toBe('shared')
    await reader.close()
    expect(entryFiles(dir)).toHaveLength(1)
    expect(reader.stats().levels.redis?.hits).toBe(1)
    const offline = createCache({ disk: { dir } })
    expect(await offline.get('k')).toBe('shared')
    // Tags travel with the entry: invalidating by tag after the copy reaches every level.
    await writer.set('tagged', 1, { tags: ['release'] })
    const second = createCache({ disk: { dir }, redis: { url: server.url, prefix } })
    expect(await second.get('tagged')).toBe(1)
    await second.invalidate({ tags: ['release'] })
    await second.close()
    expect(await createCache({ disk: { dir } }).get('tagged')).toBeUndefined()
    expect(await writer.get('tagged')).toBeUndefined()
    await writer.close()
  })

  it('deletes, clears and invalidates by tags and prefix on the server', async () => {
    const prefix = nextPrefix()
    const cache = createCache({ memory: false, redis: { url: server.url, prefix } })
    await cache.set('user:1', 1, { tags: ['users'] })
    await cache.set('user:2', 2, { tags: ['users', 'admins'] })
    await cache.set('repo:1', 3, { tags: ['repos'] })
    await cache.set('repo:2', 4)
    await cache.set('x', 5)
    await cache.invalidate({ tags: ['admins'] })
    expect(await cache.has('user:2')).toBe(false)
    expect(await cache.has('user:1')).toBe(true)
    await cache.invalidate({ prefix: 'repo:' })
    expect([await cache.has('repo:1'), await cache.has('repo:2'), await cache.has('x')]).toEqual([false, false, true])
    await cache.delete('x')
    expect(await cache.has('x')).toBe(false)
    const neighbour = createCache({ memory: false, redis: { url: server.url, prefix: nextPrefix() } })
    await neighbour.set('x', 'kept')
    await cache.clear()
    expect(await raw.keys(`${prefix}*`)).toEqual([])
    expect(await neighbour.get('x')).toBe('kept')
    await neighbour.close()
    await cache.close()
  })

  it('keeps serving from memory and disk when Redis is killed mid-run, warns once, and reconnects', async () => {
    const { warnings, onWarning } = collectWarnings()
    const prefix = nextPrefix()
    const cache = createCache({ disk: { dir: tempDir() }, redis: { url: server.url, prefix, retryAfter: 100 }, onWarning })
    await cache.set('before', 1)
    expect(await raw.exists(`${prefix}k:before`)).toBe(1)

    await server.kill()
    expect(await cache.get('before')).toBe(1)
    await cache.set('during', 2) // resolves: the Redis write fails quietly
    expect(await cache.get('during')).toBe(2)
    expect(await cache.wrap('loaded', () => 3)).toBe(3)
    expect(await cache.get('missing')).toBeUndefined()
    await sleep(150)
    expect(await cache.get('missing2')).toBeUndefined() // a reconnect attempt that fails
    expect(warnings.map((warning) => warning.code)).toEqual(['CLI_OPTIMIZER_CACHE_REDIS_UNAVAILABLE'])
    expect(cache.stats().levels.redis?.connected).toBe(false)

    await server.restart()
    const deadline = Date.now() + 5_000
    while (!cache.stats().levels.redis?.connected) {
      if (Date.now() > deadline) throw new Error('the cache did not reconnect to Redis')
      await sleep(50)
      await cache.get('poke')
    }
    await cache.set('after', 4)
    expect(await raw.exists(`${prefix}k:after`)).toBe(1)
    expect(warnings).toHaveLength(1)
    await cache.close()
  })

  it('treats a Redis that stops answering for commandTimeout as down, answers from the other levels, and comes back', async () => {
    const { warnings, onWarning } = collectWarnings()
    const prefix = nextPrefix()
    const cache = createCache({ redis: { url: server.url, prefix, commandTimeout: 100, retryAfter: 100 }, onWarning })
    await cache.set('k', 1)
    await raw.client('PAUSE', 1000, 'ALL')
    try {
      expect(await cache.get('k')).toBe(1) // memory
      expect(await cache.get('other')).toBeUndefined() // Redis times out: a miss, not an error
      expect(await cache.wrap('w', () => 'loaded')).toBe('loaded')
    } finally {
      await raw.client('UNPAUSE')
    }
    expect(warnings.map((warning) => warning.code)).toEqual(['CLI_OPTIMIZER_CACHE_REDIS_UNAVAILABLE'])
    expect(warnings[0]!.message).toMatch(/timed out/i)
    const deadline = Date.now() + 5_000
    while (!cache.stats().levels.redis?.connected) {
      if (Date.now() > deadline) throw new Error('the cache did not use Redis again')
      await sleep(50)
      await cache.get('poke')
    }
    await cache.set('after', 2)
    expect(await raw.exists(`${prefix}k:after`)).toBe(1)
    await cache.close()
  })

  it('starts without Redis (nothing listening): memory only, one warning, no error', async () => {
    const { warnings, onWarning } = collectWarnings()
    const cache = createCache({ redis: { url: 'redis://user:s3cret@127.0.0.1:1', prefix: nextPrefix() }, onWarning })
    await cache.set('k', 1)
    expect(await cache.get('k')).toBe(1)
    expect(await cache.wrap('w', () => 2)).toBe(2)
    expect(warnings.map((warning) => warning.code)).toEqual(['CLI_OPTIMIZER_CACHE_REDIS_UNAVAILABLE'])
    expect(warnings[0]!.message).not.toContain('s3cret')
    await cache.close()
  })

  it('does not keep a CLI alive that never calls close()', async () => {
    const cacheModule = await cacheModuleForChildren()
    const child = spawn(process.execPath, [path.join(WORKERS_DIR, 'redis-no-close.mjs')], {
      env: { ...process.env, CACHE_MODULE: cacheModule, REDIS_URL: server.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])))
    clearTimeout(timer)
    expect(signal).toBeNull()
    expect(code).toBe(0)
    expect(stdout).toBe('v')
  })
})
