import path from 'node:path'
import { homedir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { userCacheDir } from '../src/cache/cache-dir.js'
import { resolveCacheOptions } from '../src/cache/cache-options.js'
import { createCache } from '../src/cache/index.js'

describe('cache options (#7)', () => {
  it('fills defaults: memory on, disk and redis off', () => {
    const o = resolveCacheOptions(undefined)
    expect(o.memory).toEqual({ max: 1000, maxSize: undefined, ttl: undefined })
    expect(o.disk).toBeUndefined()
    expect(o.redis).toBeUndefined()
    expect(o.writeBehind).toBeUndefined()
    const full = resolveCacheOptions({ name: 'my-cli', disk: true, redis: true, writeBehind: true, compression: true })
    expect(full.disk).toEqual({ dir: undefined, maxBytes: 100 * 1024 * 1024 })
    expect(full.redis).toMatchObject({ url: 'redis://127.0.0.1:6379', prefix: 'my-cli:', commandTimeout: 250 })
    expect(full.writeBehind).toEqual({ maxQueue: 1000 })
    expect(full.compression).toEqual({ threshold: 1024 })
  })

  it.each([
    [{ ttl: -1 }, 'cache option ttl must be a positive number of milliseconds, got number -1'],
    [{ memory: { max: 1.5 } }, 'cache option memory.max must be a positive integer, got number 1.5'],
    [{ memory: 'big' }, 'cache option memory must be a boolean or an object, got string "big"'],
    [{ disk: { dir: '/tmp/x', maxBytes: '1GB' } }, 'cache option disk.maxBytes must be a positive integer, got string "1GB"'],
    [{ disk: true }, 'cache option disk needs name'],
    [{ disk: { dir: '' } }, 'cache option disk.dir must be a non-empty string path'],
    [{ redis: { url: 'http://x' } }, 'cache option redis.url must be a redis:// or rediss:// URL'],
    [{ redis: { commandTimeout: 0 } }, 'cache option redis.commandTimeout must be a positive integer, got number 0'],
    [{ name: '../evil' }, 'cache option name must be a file-name-safe string'],
    [{ refreshAhead: 1 }, 'cache option refreshAhead must be a number from 0 (off) to below 1, got number 1'],
    [{ serializer: JSON }, 'cache option serializer must be an object with serialize() and deserialize() methods'],
    [{ encryption: { key: 'short' } }, 'cache option encryption.key must be a 32-byte key'],
    [{ memroy: {} }, 'unknown cache option memroy'],
    [{ disk: { dir: '/tmp/x', max: 1 } }, 'unknown cache option disk.max'],
  ])('rejects %j with a TypeError naming the option', (options, message) => {
    expect(() => createCache(options as never)).toThrow(TypeError)
    expect(() => createCache(options as never)).toThrow(message)
  })

  it('suggests the closest known cache option for a typo (issue 17)', () => {
    expect(() => resolveCacheOptions({ memroy: {} } as never)).toThrow(/unknown cache option memroy\. Did you mean memory\? Known: name, ttl,/)
    expect(() => resolveCacheOptions({ redis: { ulr: 'redis://x' } } as never)).toThrow('unknown cache option redis.ulr. Did you mean redis.url?')
    expect(() => resolveCacheOptions({ zzzzzz: 1 } as never)).toThrow(/unknown cache option zzzzzz\. Known:/)
  })

  it('accepts a 32-byte encryption key as bytes, hex or base64', () => {
    const bytes = new Uint8Array(32).fill(7)
    for (const key of [bytes, Buffer.from(bytes).toString('hex'), Buffer.from(bytes).toString('base64')]) {
      expect(Buffer.from(resolveCacheOptions({ encryption: { key } }).encryptionKey!)).toEqual(Buffer.from(bytes))
    }
  })

  it('rejects bad keys and operation options with a TypeError naming them', async () => {
    const cache = createCache()
    await expect(cache.get('')).rejects.toThrow('cache key must be a non-empty string')
    await expect(cache.set(42 as never, 1)).rejects.toThrow('cache key must be a non-empty string, got number')
    await expect(cache.set('k', 1, { ttl: 0 })).rejects.toThrow('set option ttl must be a positive number')
    await expect(cache.set('k', 1, { tags: [1] as never })).rejects.toThrow('set option tags must be an array of non-empty strings')
    await expect(cache.wrap('k', 1 as never)).rejects.toThrow('wrap loader for key "k" must be a function')
    await expect(cache.invalidate({} as never)).rejects.toThrow('invalidate() needs { tags: string[] }')
  })
})

describe('user cache directory by platform (#7)', () => {
  const home = homedir()
  it('follows XDG on Linux, ignoring a relative XDG_CACHE_HOME', () => {
    expect(userCacheDir('my-cli', 'linux', {})).toBe(path.join(home, '.cache', 'my-cli'))
    expect(userCacheDir('my-cli', 'linux', { XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/my-cli')
    expect(userCacheDir('my-cli', 'linux', { XDG_CACHE_HOME: 'rel' })).toBe(path.join(home, '.cache', 'my-cli'))
  })
  it('uses ~/Library/Caches on macOS and %LOCALAPPDATA% on Windows', () => {
    expect(userCacheDir('my-cli', 'darwin', {})).toBe(path.join(home, 'Library', 'Caches', 'my-cli'))
    expect(userCacheDir('my-cli', 'win32', { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' })).toBe('C:\\Users\\u\\AppData\\Local\\my-cli\\Cache')
  })
})
