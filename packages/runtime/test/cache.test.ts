import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { CacheWarning } from '../src/cache/cache-options.js'
import { createCache } from '../src/cache/index.js'
import { entryFiles, listFiles, sleep, useTempDirs } from './helpers/temp-dir.js'

const tempDir = useTempDirs()

/** A clock the test steps by hand: expiry no longer depends on how long the machine stalls. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_700_000_000_000
  return { now: () => t, advance: (ms) => void (t += ms) }
}

function collectWarnings(): { warnings: CacheWarning[]; onWarning: (warning: CacheWarning) => void } {
  const warnings: CacheWarning[] = []
  return { warnings, onWarning: (warning) => warnings.push(warning) }
}

describe('cache API, memory level (#7)', () => {
  it('gets, sets, has, deletes and clears', async () => {
    const cache = createCache()
    expect(await cache.get('a')).toBeUndefined()
    await cache.set('a', { n: 1 })
    await cache.set('b', 2)
    expect(await cache.get('a')).toEqual({ n: 1 })
    expect(await cache.has('b')).toBe(true)
    await cache.delete('b')
    expect(await cache.has('b')).toBe(false)
    await cache.clear()
    expect(await cache.get('a')).toBeUndefined()
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 3, levels: { memory: { entries: 0 } } })
  })

  it('expires entries after their ttl', async () => {
    const clock = fakeClock()
    const cache = createCache({ ttl: 40, now: clock.now })
    await cache.set('default', 1)
    await cache.set('long', 2, { ttl: 60_000 })
    clock.advance(39)
    expect(await cache.get('default')).toBe(1)
    clock.advance(1)
    expect(await cache.get('default')).toBeUndefined()
    expect(await cache.get('long')).toBe(2)
  })

  it('bounds the memory level by entries', async () => {
    const cache = createCache({ memory: { max: 3 } })
    for (const key of ['a', 'b', 'c', 'd']) await cache.set(key, key)
    expect(await cache.has('a')).toBe(false)
    expect(await cache.get('d')).toBe('d')
  })

  it('bounds the memory level by size (memory.maxSize)', async () => {
    const cache = createCache({ memory: { max: 1000, maxSize: 10_000 } })
    for (let i = 0; i < 10; i++) await cache.set(`k${i}`, 'x'.repeat(3000))
    const kept = (await Promise.all(Array.from({ length: 10 }, (_, i) => cache.has(`k${i}`)))).filter(Boolean).length
    expect(kept).toBeGreaterThanOrEqual(2)
    expect(kept).toBeLessThanOrEqual(3)
    expect(await cache.has('k9')).toBe(true)
  })

  it('wrap calls the loader once for concurrent misses of one key', async () => {
    const cache = createCache()
    let calls = 0
    const loader = async (): Promise<string> => {
      calls++
      await sleep(20)
      return 'loaded'
    }
    const values = await Promise.all(Array.from({ length: 10 }, () => cache.wrap('k', loader)))
    expect(values).toEqual(Array(10).fill('loaded'))
    expect(calls).toBe(1)
    expect(await cache.wrap('k', loader)).toBe('loaded')
    expect(calls).toBe(1)
  })

  it('wrap does not cache a loader error, and passes it to every waiting caller', async () => {
    const cache = createCache()
    let calls = 0
    const failing = async (): Promise<never> => {
      calls++
      await sleep(5)
      throw new Error('boom')
    }
    const results = await Promise.allSettled([cache.wrap('k', failing), cache.wrap('k', failing)])
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected'])
    expect(calls).toBe(1)
    expect(await cache.wrap('k', () => 'ok')).toBe('ok')
  })

  it('wrap serves a stale value within staleWhileRevalidate and reloads it behind', async () => {
    const clock = fakeClock()
    const cache = createCache({ now: clock.now })
    let version = 0
    const loader = async (): Promise<number> => ++version
    expect(await cache.wrap('k', loader, { ttl: 30, staleWhileRevalidate: 60_000 })).toBe(1)
    clock.advance(50)
    expect(await cache.get('k')).toBeUndefined() // get never returns a stale value
    expect(await cache.wrap('k', loader, { ttl: 30, staleWhileRevalidate: 60_000 })).toBe(1)
    await cache.close() // waits for the background reload
    expect(version).toBe(2)
    expect(await cache.wrap('k', loader, { ttl: 30 })).toBe(2)
    expect(cache.stats().staleHits).toBe(1)
  })

  it('wrap refreshes ahead of expiry when refreshAhead is set', async () => {
    const clock = fakeClock()
    const cache = createCache({ refreshAhead: 0.5, now: clock.now })
    let version = 0
    const loader = (): number => ++version
    expect(await cache.wrap('k', loader, { ttl: 1000 })).toBe(1)
    clock.advance(499)
    expect(await cache.wrap('k', loader, { ttl: 1000 })).toBe(1) // more than half left: no refresh
    expect(version).toBe(1)
    clock.advance(201) // less than half the TTL left
    expect(await cache.wrap('k', loader, { ttl: 1000 })).toBe(1)
    await cache.close()
    expect(version).toBe(2)
    expect(await cache.get('k')).toBe(2)
  })

  it('callers during a background reload get the cached value at once, and the loader runs once', async () => {
    const clock = fakeClock()
    const cache = createCache({ now: clock.now })
    let calls = 0
    let release = (): void => {}
    const slow = (): Promise<string> => {
      calls++
      return new Promise((resolve) => (release = () => resolve(`v${calls}`)))
    }
    const first = cache.wrap('k', slow, { ttl: 20, staleWhileRevalidate: 60_000 })
    while (calls === 0) await sleep(1)
    release()
    expect(await first).toBe('v1')
    clock.advance(30)
    const during = await Promise.all([1, 2, 3].map(() => cache.wrap('k', slow, { ttl: 20, staleWhileRevalidate: 60_000 })))
    expect(during).toEqual(['v1', 'v1', 'v1'])
    expect(calls).toBe(2)
    // The reload is still running: a later caller must not wait for it.
    const later = await Promise.race([cache.wrap('k', slow, { ttl: 20, staleWhileRevalidate: 60_000 }), sleep(1000).then(() => 'waited for the reload')])
    expect(later).toBe('v1')
    release()
    await cache.close()
    expect(await cache.get('k')).toBe('v2')
  })

  it('a failing background reload warns and keeps the old value', async () => {
    const { warnings, onWarning } = collectWarnings()
    const clock = fakeClock()
    const cache = createCache({ onWarning, now: clock.now })
    await cache.wrap('k', () => 'old', { ttl: 20, staleWhileRevalidate: 60_000 })
    clock.advance(30)
    expect(await cache.wrap('k', () => Promise.reject(new Error('offline')), { ttl: 20, staleWhileRevalidate: 60_000 })).toBe('old')
    await cache.close()
    expect(warnings.map((warning) => warning.code)).toEqual(['CLI_OPTIMIZER_CACHE_REFRESH_FAILED'])
    expect(warnings[0]!.message).toContain('offline')
  })

  it('invalidates by tags and by prefix', async () => {
    const cache = createCache()
    await cache.set('user:1', 1, { tags: ['users'] })
    await cache.set('user:2', 2, { tags: ['users', 'admins'] })
    await cache.set('repo:1', 3, { tags: ['repos'] })
    await cache.invalidate({ tags: ['admins'] })
    expect([await cache.has('user:1'), await cache.has('user:2'), await cache.has('repo:1')]).toEqual([true, false, true])
    await cache.invalidate({ prefix: 'user:' })
    expect([await cache.has('user:1'), await cache.has('repo:1')]).toEqual([false, true])
  })
})

describe('cache disk level (#7)', () => {
  it('persists across cache instances (a second run), with 0600 files and 0700 directories', async () => {
    const dir = tempDir()
    const first = createCache({ disk: { dir } })
    await first.set('config', { theme: 'dark', list: [1, 2, 3] }, { tags: ['cfg'] })
    await first.close()
    const second = createCache({ disk: { dir } })
    expect(await second.get('config')).toEqual({ theme: 'dark', list: [1, 2, 3] })
    expect(second.stats().levels.disk).toMatchObject({ hits: 1 })
    // Second lookup is a memory hit: promoted.
    await second.get('config')
    expect(second.stats().levels.memory).toMatchObject({ hits: 1 })
    for (const info of listFiles(dir)) expect(info.mode).toBe(info.isDir ? 0o700 : 0o600)
  })

  it('hashes keys: no key can name a path outside the cache directory', async () => {
    const root = tempDir()
    const dir = path.join(root, 'cache')
    const cache = createCache({ disk: { dir }, memory: false })
    const keys = ['../../escape', '/etc/passwd', 'a\\..\\..\\b', 'x'.repeat(5000), 'ünïcødé 🚀']
    for (const key of keys) await cache.set(key, key)
    for (const key of keys) expect(await cache.get(key)).toBe(key)
    const files = listFiles(root).filter((info) => !info.isDir)
    expect(files).toHaveLength(keys.length)
    for (const { file } of files) {
      expect(file.startsWith(dir + path.sep)).toBe(true)
      expect(path.basename(file)).toMatch(/^[0-9a-f]{62}$/)
    }
  })

  it('a corrupt or torn entry is removed and read as a miss', async () => {
    const dir = tempDir()
    const cache = createCache({ disk: { dir }, memory: false })
    await cache.set('a', 'x'.repeat(1000))
    await cache.set('b', 'y'.repeat(1000))
    const [fileA, fileB] = entryFiles(dir).map((info) => info.file).sort()
    const bytes = readFileSync(fileA!)
    bytes[bytes.length - 10] ^= 0xff // bit rot
    writeFileSync(fileA!, bytes)
    writeFileSync(fileB!, readFileSync(fileB!).subarray(0, 500)) // torn write
    expect(await cache.get('a')).toBeUndefined()
    expect(await cache.get('b')).toBeUndefined()
    expect(entryFiles(dir)).toHaveLength(0)
    expect(cache.stats().levels.disk).toMatchObject({ corrupt: 2, hits: 0 })
  })

  it('ignores a file another key left under the same name (key stored and compared)', async () => {
    const dir = tempDir()
    const cache = createCache({ disk: { dir }, memory: false })
    await cache.set('a', 'A')
    // Told apart by order of creation, not content: the binary header can hold any byte, 'A' included.
    const [a] = entryFiles(dir).map((info) => info.file)
    await cache.set('b', 'B')
    const b = entryFiles(dir).map((info) => info.file).find((file) => file !== a)!
    // Copy a's entry over b's file: a well-formed entry, but for another key.
    writeFileSync(b, readFileSync(a))
    expect(await cache.get('b')).toBeUndefined()
    expect(await cache.get('a')).toBe('A')
  })

  it('expired entries are misses; prune removes them and dead writers\' temp files', async () => {
    const dir = tempDir()
    const clock = fakeClock()
    const cache = createCache({ disk: { dir }, memory: false, now: clock.now })
    await cache.set('short', 1, { ttl: 20 })
    await cache.set('long', 2)
    clock.advance(40)
    expect(await cache.get('short')).toBeUndefined()
    await cache.set('short2', 1, { ttl: 20 })
    // A dead writer's temp file (an hour old), a fresh one (a live writer's), and a foreign file.
    const deadTemp = path.join(dir, 'v1', 'tmp', 'dead-writer-0')
    const liveTemp = path.join(dir, 'v1', 'tmp', 'live-writer-0')
    writeFileSync(deadTemp, 'half an entry')
    writeFileSync(liveTemp, 'being written')
    const hourAgo = new Date(Date.now() - 3600_000)
    utimesSync(deadTemp, hourAgo, hourAgo)
    mkdirSync(path.join(dir, 'v1', 'ab'), { recursive: true })
    writeFileSync(path.join(dir, 'v1', 'ab', 'c'.repeat(62)), 'not an entry')
    clock.advance(40)
    await cache.prune()
    expect(entryFiles(dir)).toHaveLength(1)
    expect(await cache.get('long')).toBe(2)
    expect(existsSync(deadTemp)).toBe(false)
    expect(existsSync(liveTemp)).toBe(true)
  })

  it('invalidates tags and prefixes on disk, seen by the next run', async () => {
    const dir = tempDir()
    const cache = createCache({ disk: { dir } })
    await cache.set('user:1', 1, { tags: ['users'] })
    await cache.set('user:2', 2)
    await cache.set('repo:1', 3, { tags: ['repos'] })
    await cache.invalidate({ tags: ['users'] })
    await cache.invalidate({ prefix: 'repo:' })
    await cache.close()
    const next = createCache({ disk: { dir } })
    expect([await next.has('user:1'), await next.has('user:2'), await next.has('repo:1')]).toEqual([false, true, false])
  })

  it('clear empties the disk level', async () => {
    const dir = tempDir()
    const cache = createCache({ disk: { dir } })
    for (let i = 0; i < 5; i++) await cache.set(`k${i}`, i)
    await cache.clear()
    expect(entryFiles(dir)).toHaveLength(0)
    await cache.set('again', 1)
    expect(entryFiles(dir)).toHaveLength(1)
  })

  it('honours maxBytes within 10% after writing ten times that amount, evicting least recently used', async () => {
    const dir = tempDir()
    const maxBytes = 200_000
    const cache = createCache({ disk: { dir, maxBytes }, memory: false })
    const value = 'v'.repeat(2000)
    await cache.set('hot', value)
    let written = 0
    for (let i = 0; written < 10 * maxBytes; i++) {
      await cache.set(`k${i}`, value)
      written += value.length
      // Reading marks 'hot' as recently used, so eviction spares it.
      if (i % 20 === 0) expect(await cache.get('hot')).toBe(value)
    }
    await cache.close()
    const total = entryFiles(dir).reduce((sum, info) => sum + info.size, 0)
    expect(total).toBeLessThanOrEqual(maxBytes * 1.1)
    expect(total).toBeGreaterThan(maxBytes * 0.5)
    const next = createCache({ disk: { dir, maxBytes }, memory: false })
    expect(await next.get('hot')).toBe(value)
    expect(await next.get('k0')).toBeUndefined()
  })

  it('round-trips values exactly, whichever encoding (JSON for small plain data, v8 otherwise) is used', async () => {
    const dir = tempDir()
    const cache = createCache({ disk: { dir }, memory: false })
    const sparse = [1, , 3] // eslint-disable-line no-sparse-arrays
    const decorated = Object.assign([1, 2], { extra: true })
    const values: unknown[] = [
      { name: 'react', versions: ['18.3.1'], nested: { ok: true, n: null } },
      'plain string',
      42,
      null,
      undefined,
      { missing: undefined },
      [NaN, -0, Infinity],
      new Date(0),
      new Map([['a', 1]]),
      new Set([1]),
      10n,
      sparse,
      decorated,
      new Uint8Array([1, 2, 3]),
      JSON.parse('{"__proto__": {"polluted": true}}'),
      'x'.repeat(20_000),
      { rows: Array.from({ length: 2000 }, (_, i) => ({ i })) },
    ]
    for (const [i, value] of values.entries()) await cache.set(`k${i}`, value)
    const next = createCache({ disk: { dir }, memory: false })
    for (const [i, value] of values.entries()) expect(await next.get(`k${i}`), `value ${i}`).toStrictEqual(value)
    expect(Object.keys((await next.get('k12')) as object)).toEqual(['0', '1', 'extra'])
    expect(1 in ((await next.get('k11')) as unknown[])).toBe(false)
    expect(Object.is(((await next.get('k6')) as number[])[1], -0)).toBe(true)
  })

  it('compresses values above the threshold', async () => {
    const dir = tempDir()
    const cache = createCache({ disk: { dir }, memory: false, compression: { threshold: 1024 } })
    const big = 'abc'.repeat(50_000)
    await cache.set('big', big)
    await cache.set('small', 'tiny')
    expect(entryFiles(dir).reduce((sum, info) => sum + info.size, 0)).toBeLessThan(5_000)
    expect(await cache.get('big')).toBe(big)
    expect(await cache.get('small')).toBe('tiny')
  })

  it('uses a custom serializer, and misses entries written with another one', async () => {
    const dir = tempDir()
    const json = { serialize: (value: unknown) => Buffer.from(JSON.stringify(value)), deserialize: (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString()) }
    const cache = createCache({ disk: { dir }, memory: false, serializer: json })
    await cache.set('k', { a: [1, 'two'] })
    expect(await cache.get('k')).toEqual({ a: [1, 'two'] })
    expect(readFileSync(entryFiles(dir)[0]!.file).toString()).toContain('{"a":[1,"two"]}')
    const v8Cache = createCache({ disk: { dir }, memory: false })
    expect(await v8Cache.get('k')).toBeUndefined()
  })

  it('encrypts entries; a tampered entry is a miss plus a warning, never returned', async () => {
    const dir = tempDir()
    const key = Buffer.alloc(32, 1)
    const { warnings, onWarning } = collectWarnings()
    const cache = createCache({ disk: { dir }, memory: false, encryption: { key }, onWarning })
    await cache.set('secret', 'token-123456')
    const file = entryFiles(dir)[0]!.file
    const bytes = readFileSync(file)
    expect(bytes.includes('token-123456')).toBe(false)
    expect(await cache.get('secret')).toBe('token-123456')
    // Change a ciphertext byte and fix the CRC, as an attacker would.
    bytes[bytes.length - 1] ^= 1
    bytes.writeUInt32LE(crc32(bytes.subarray(8)), 4)
    writeFileSync(file, bytes)
    expect(await cache.get('secret')).toBeUndefined()
    expect(await cache.get('secret')).toBeUndefined()
    expect(warnings.map((warning) => warning.code)).toEqual(['CLI_OPTIMIZER_CACHE_TAMPERED'])
    // Another key cannot read it either.
    await cache.set('secret', 'token-123456')
    const other = createCache({ disk: { dir }, memory: false, encryption: { key: Buffer.alloc(32, 2) }, onWarning })
    expect(await other.get('secret')).toBeUndefined()
  })

  it('compression and encryption together round-trip, small and large values', async () => {
    const dir = tempDir()
    const options = { disk: { dir }, memory: false, compression: true, encryption: { key: 'a'.repeat(64) } } as const
    const cache = createCache(options)
    const big = { text: 'lorem ipsum '.repeat(10_000), when: new Date(5) }
    await cache.set('big', big)
    await cache.set('small', { n: 1 })
    const next = createCache(options)
    expect(await next.get('big')).toStrictEqual(big)
    expect(await next.get('small')).toStrictEqual({ n: 1 })
    expect(entryFiles(dir).reduce((sum, info) => sum + info.size, 0)).toBeLessThan(10_000)
  })

  it('a value that cannot be serialized is a TypeError naming the key, and changes nothing', async () => {
    const dir = tempDir()
    const cache = createCache({ disk: { dir } })
    await expect(cache.set('fn', () => 1)).rejects.toThrow(TypeError)
    await expect(cache.set('fn', { f: Symbol('x') })).rejects.toThrow('cache value for key "fn" cannot be serialized')
    await expect(cache.wrap('w', () => ({ f() {} }))).rejects.toThrow('cache value for key "w" cannot be serialized')
    expect(await cache.has('fn')).toBe(false)
    expect(entryFiles(dir)).toHaveLength(0)
  })

  it('an unwritable disk turns into memory only with one warning', async () => {
    const root = tempDir()
    const { warnings, onWarning } = collectWarnings()
    // The directory cannot be created: a file is in the way.
    writeFileSync(path.join(root, 'file'), '')
    const blocked = createCache({ disk: { dir: path.join(root, 'file', 'cache') }, onWarning })
    await blocked.set('a', 1)
    expect(await blocked.get('a')).toBe(1)
    expect(blocked.stats().levels.disk?.enabled).toBe(false)
    // The directory goes away under a running cache (like a disk turning read-only).
    const dir = path.join(root, 'cache')
    const cache = createCache({ disk: { dir }, onWarning })
    await cache.set('b', 1)
    rmSync(path.join(dir, 'v1', 'tmp'), { recursive: true })
    writeFileSync(path.join(dir, 'v1', 'tmp'), '')
    await cache.set('b', 2)
    await cache.set('c', 3)
    expect([await cache.get('b'), await cache.get('c')]).toEqual([2, 3])
    expect(cache.stats().levels.disk).toMatchObject({ enabled: false })
    expect(warnings.map((warning) => warning.code)).toEqual(['CLI_OPTIMIZER_CACHE_DISK_UNAVAILABLE', 'CLI_OPTIMIZER_CACHE_DISK_UNAVAILABLE'])
    // The old value of b was removed, so no later run reads 1.
    const next = createCache({ disk: { dir } })
    expect(await next.get('b')).toBeUndefined()
  })

  it('writeBehind: set returns before the disk write, close() waits for the queue', async () => {
    const dir = tempDir()
    const cache = createCache({ disk: { dir }, writeBehind: { maxQueue: 100 } })
    for (let i = 0; i < 20; i++) await cache.set(`k${i}`, i)
    expect(await cache.get('k5')).toBe(5)
    expect(entryFiles(dir).length).toBeLessThan(20)
    await cache.close()
    expect(entryFiles(dir)).toHaveLength(20)
  })

  it('writeBehind: a value evicted from memory before its disk write is read from the queue, not the older disk entry', async () => {
    const dir = tempDir()
    const before = createCache({ disk: { dir } })
    await before.set('a', 'old')
    await before.close()
    const cache = createCache({ disk: { dir }, memory: { max: 1 }, writeBehind: true })
    await cache.set('a', 'new')
    await cache.set('b', 'other') // evicts a from memory; neither is on disk yet
    expect(await cache.get('a')).toBe('new')
    await cache.delete('a')
    await cache.set('c', 'other')
    expect(await cache.get('a')).toBeUndefined()
    await cache.close()
  })

  it('writeBehind: a full queue makes set wait for it', async () => {
    const dir = tempDir()
    const cache = createCache({ disk: { dir }, writeBehind: { maxQueue: 3 } })
    await cache.set('a', 1)
    await cache.set('b', 2)
    await cache.set('c', 3)
    expect(entryFiles(dir)).toHaveLength(3)
    await cache.delete('a')
    await cache.close()
    expect(entryFiles(dir)).toHaveLength(2)
  })
})
