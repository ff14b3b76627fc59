import { closestName } from './closest-name.js'
import { describe, isPlainObject } from '../option-checks.js'

/** Turns a value into bytes and back. The default is `v8.serialize` / `v8.deserialize`. */
export interface CacheSerializer {
  serialize(value: unknown): Uint8Array
  deserialize(bytes: Uint8Array): unknown
}

/** Options of the in-process level (an `lru-cache`). Values are kept as live objects. */
export interface MemoryLevelOptions {
  /**
   * Most entries kept in memory.
   * @default 1000
   */
  max?: number
  /**
   * Bound on the summed size of the entries, in bytes (the serialized size when a disk or Redis
   * level exists, otherwise the size `v8.serialize` gives). Unbounded when not set.
   * @default undefined
   */
  maxSize?: number
  /**
   * Longest time an entry stays in memory, in milliseconds, even when its own TTL is longer
   * (the next read then goes to the disk or Redis level). No cap when not set.
   * @default undefined
   */
  ttl?: number
}

/** Options of the persistent level: one file per entry, written atomically. */
export interface DiskLevelOptions {
  /**
   * Directory of the cache. Created `0700` when missing.
   * @default the user's cache directory for `name`: `$XDG_CACHE_HOME/<name>` or `~/.cache/<name>`
   *   on Linux, `~/Library/Caches/<name>` on macOS, `%LOCALAPPDATA%\<name>\Cache` on Windows
   */
  dir?: string
  /**
   * Bound on the bytes of all entry files; least recently used entries are removed past it.
   * @default 104857600 (100 MiB)
   */
  maxBytes?: number
}

/** Options of the shared level: a real Redis server through `ioredis` (loaded on first use). */
export interface RedisLevelOptions {
  /**
   * Connection URL (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS).
   * @default 'redis://127.0.0.1:6379'
   */
  url?: string
  /**
   * Prefix of every Redis key this cache writes, so several CLIs can share one server.
   * @default `${name}:` or `'cli-optimizer:'` when `name` is not set
   */
  prefix?: string
  /**
   * When commands are pending and Redis answers none of them for this many milliseconds, it
   * counts as down: the connection is dropped, the pending operations are answered from the
   * other levels, and Redis is left alone for `retryAfter` milliseconds.
   * @default 250
   */
  commandTimeout?: number
  /**
   * Longest wait for a connection, in milliseconds.
   * @default 1000
   */
  connectTimeout?: number
  /**
   * After a failure, milliseconds before the cache tries Redis again (it reconnects on the next
   * operation after that; no background timer keeps the CLI alive).
   * @default 1000
   */
  retryAfter?: number
}

/** Options of `writeBehind`: disk and Redis writes go through a bounded queue. */
export interface WriteBehindOptions {
  /**
   * Most writes waiting in the queue; a `set` beyond it waits until the queue drains.
   * @default 1000
   */
  maxQueue?: number
}

/** Options of `compression`: values whose serialized size reaches the threshold are deflated. */
export interface CompressionOptions {
  /**
   * Smallest serialized size, in bytes, that gets compressed.
   * @default 1024
   */
  threshold?: number
}

/** Options of `encryption`: AES-256-GCM on the disk and Redis levels (memory holds live values). */
export interface EncryptionOptions {
  /** 32-byte key, as bytes, or as a 64-character hex or 44-character base64 string. */
  key: Uint8Array | string
}

/** Options of `createCache()`. */
export interface CacheOptions {
  /**
   * The CLI's name: the default disk directory and Redis prefix derive from it.
   * @default undefined (then `disk.dir` is required for a disk level)
   */
  name?: string
  /**
   * Default time to live of `set` and `wrap` entries, in milliseconds. No expiry when not set.
   * @default undefined
   */
  ttl?: number
  /**
   * The in-process level; `false` turns it off.
   * @default {} (on, 1000 entries)
   */
  memory?: MemoryLevelOptions | boolean
  /**
   * The persistent level; `true` uses the defaults.
   * @default false
   */
  disk?: DiskLevelOptions | boolean
  /**
   * The shared level; `true` uses the defaults (Redis on 127.0.0.1:6379).
   * @default false
   */
  redis?: RedisLevelOptions | boolean
  /**
   * Queue disk and Redis writes instead of waiting for them in `set`. The queue is flushed
   * before the process exits and `close()` waits for it.
   * @default false (write-through: `set` resolves once every level has the value)
   */
  writeBehind?: WriteBehindOptions | boolean
  /**
   * Refresh-ahead for `wrap`: when less than this fraction of an entry's TTL is left, `wrap`
   * returns the cached value and reloads it in the background. `0` turns it off.
   * @default 0
   */
  refreshAhead?: number
  /**
   * How values become bytes on the disk and Redis levels.
   * @default v8.serialize / v8.deserialize
   */
  serializer?: CacheSerializer
  /**
   * Compress serialized values from a size threshold (`true`: 1024 bytes).
   * @default false
   */
  compression?: CompressionOptions | boolean
  /**
   * Encrypt entries on the disk and Redis levels. A tampered entry is a miss plus a warning.
   * @default undefined (no encryption)
   */
  encryption?: EncryptionOptions
  /**
   * Receives the cache's warnings (Redis down, disk read-only, tampered entry), each once.
   * @default warnings go to `process.emitWarning` with a `CLI_OPTIMIZER_CACHE_*` code
   */
  onWarning?: (warning: CacheWarning) => void
  /**
   * The clock expiry, staleness and refresh-ahead are measured with, in milliseconds since the
   * epoch. Tests and simulations pass a fake clock to step time without sleeping (a stalled
   * machine then cannot change their outcome). Redis expiry runs on the server's clock and disk
   * temp-file ages on file times, which this does not affect.
   * @default Date.now
   */
  now?: () => number
}

/** A warning the cache emits instead of failing. */
export interface CacheWarning {
  code: string
  message: string
}

export interface ResolvedMemoryOptions {
  max: number
  maxSize: number | undefined
  ttl: number | undefined
}

export interface ResolvedDiskOptions {
  dir: string | undefined
  maxBytes: number
}

export interface ResolvedRedisOptions {
  url: string
  prefix: string
  commandTimeout: number
  connectTimeout: number
  retryAfter: number
}

export interface ResolvedCacheOptions {
  name: string | undefined
  ttl: number | undefined
  memory: ResolvedMemoryOptions | undefined
  disk: ResolvedDiskOptions | undefined
  redis: ResolvedRedisOptions | undefined
  writeBehind: { maxQueue: number } | undefined
  refreshAhead: number
  serializer: CacheSerializer | undefined
  compression: { threshold: number } | undefined
  encryptionKey: Uint8Array | undefined
  onWarning: ((warning: CacheWarning) => void) | undefined
  now: () => number
}

const KNOWN: Record<string, readonly string[]> = {
  '': ['name', 'ttl', 'memory', 'disk', 'redis', 'writeBehind', 'refreshAhead', 'serializer', 'compression', 'encryption', 'onWarning', 'now'],
  memory: ['max', 'maxSize', 'ttl'],
  disk: ['dir', 'maxBytes'],
  redis: ['url', 'prefix', 'commandTimeout', 'connectTimeout', 'retryAfter'],
  writeBehind: ['maxQueue'],
  compression: ['threshold'],
  encryption: ['key'],
}

function fail(path: string, expected: string, value: unknown): never {
  throw new TypeError(`[cli-optimizer] cache option ${path} must be ${expected}, got ${describe(value)}`)
}

function checkKeys(section: string, value: Record<string, unknown>): void {
  const known = KNOWN[section]!
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const path = section ? `${section}.${key}` : key
      const closest = closestName(key, known)
      const hint = closest === undefined ? '' : ` Did you mean ${section ? `${section}.${closest}` : closest}?`
      throw new TypeError(`[cli-optimizer] unknown cache option ${path}.${hint} Known: ${known.join(', ')}`)
    }
  }
}

function positiveInteger(path: string, value: unknown, fallback: number): number
function positiveInteger(path: string, value: unknown, fallback: undefined): number | undefined
function positiveInteger(path: string, value: unknown, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) fail(path, 'a positive integer', value)
  return value
}

function duration(path: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(path, 'a positive number of milliseconds', value)
  return value
}

function section<T extends string>(name: T, value: unknown, defaultOn: boolean): Record<string, unknown> | undefined {
  if (value === undefined) return defaultOn ? {} : undefined
  if (value === false) return undefined
  if (value === true) return {}
  if (!isPlainObject(value)) fail(name, 'a boolean or an object', value)
  checkKeys(name, value)
  return value
}

function decodeKey(value: unknown): Uint8Array {
  let bytes: Uint8Array | undefined
  if (value instanceof Uint8Array) bytes = value
  else if (typeof value === 'string') {
    if (/^[0-9a-f]{64}$/i.test(value)) bytes = Buffer.from(value, 'hex')
    else if (/^[A-Za-z0-9+/]{43}=$/.test(value)) bytes = Buffer.from(value, 'base64')
  }
  if (!bytes || bytes.length !== 32) fail('encryption.key', 'a 32-byte key (Uint8Array, 64 hex characters or 44 base64 characters)', typeof value === 'string' ? `string of length ${value.length}` : value)
  return bytes
}

/** Validates `createCache()` options and fills the defaults; a bad option throws a `TypeError` naming it. */
export function resolveCacheOptions(options: unknown): ResolvedCacheOptions {
  if (options === undefined) options = {}
  if (!isPlainObject(options)) fail('(options)', 'an object', options)
  checkKeys('', options)
  const name = options.name
  if (name !== undefined && (typeof name !== 'string' || !/^[\w.@-][\w.@ -]*$/.test(name) || name.includes('..'))) {
    fail('name', 'a file-name-safe string (letters, digits, . _ - @ and spaces)', name)
  }
  const ttl = duration('ttl', options.ttl)

  const m = section('memory', options.memory, true)
  const memory = m && {
    max: positiveInteger('memory.max', m.max, 1000),
    maxSize: positiveInteger('memory.maxSize', m.maxSize, undefined),
    ttl: duration('memory.ttl', m.ttl),
  }

  const d = section('disk', options.disk, false)
  let disk: ResolvedDiskOptions | undefined
  if (d) {
    if (d.dir !== undefined && (typeof d.dir !== 'string' || d.dir === '')) fail('disk.dir', 'a non-empty string path', d.dir)
    if (d.dir === undefined && name === undefined) {
      throw new TypeError('[cli-optimizer] cache option disk needs name (the CLI\'s name, for the user cache directory) or disk.dir')
    }
    disk = { dir: d.dir as string | undefined, maxBytes: positiveInteger('disk.maxBytes', d.maxBytes, 100 * 1024 * 1024) }
  }

  const r = section('redis', options.redis, false)
  let redis: ResolvedRedisOptions | undefined
  if (r) {
    if (r.url !== undefined && (typeof r.url !== 'string' || !/^rediss?:\/\//.test(r.url))) fail('redis.url', 'a redis:// or rediss:// URL', r.url)
    if (r.prefix !== undefined && typeof r.prefix !== 'string') fail('redis.prefix', 'a string', r.prefix)
    redis = {
      url: (r.url as string | undefined) ?? 'redis://127.0.0.1:6379',
      prefix: (r.prefix as string | undefined) ?? `${name ?? 'cli-optimizer'}:`,
      commandTimeout: positiveInteger('redis.commandTimeout', r.commandTimeout, 250),
      connectTimeout: positiveInteger('redis.connectTimeout', r.connectTimeout, 1000),
      retryAfter: positiveInteger('redis.retryAfter', r.retryAfter, 1000),
    }
  }

  const w = section('writeBehind', options.writeBehind, false)
  const writeBehind = w && { maxQueue: positiveInteger('writeBehind.maxQueue', w.maxQueue, 1000) }

  const refreshAhead = options.refreshAhead ?? 0
  if (typeof refreshAhead !== 'number' || !(refreshAhead >= 0 && refreshAhead < 1)) fail('refreshAhead', 'a number from 0 (off) to below 1', refreshAhead)

  const serializer = options.serializer
  if (serializer !== undefined && !(isPlainObject(serializer) && typeof serializer.serialize === 'function' && typeof serializer.deserialize === 'function')) {
    fail('serializer', 'an object with serialize() and deserialize() methods', serializer)
  }

  const c = section('compression', options.compression, false)
  const compression = c && { threshold: positiveInteger('compression.threshold', c.threshold, 1024) }

  let encryptionKey: Uint8Array | undefined
  if (options.encryption !== undefined) {
    if (!isPlainObject(options.encryption)) fail('encryption', 'an object { key }', options.encryption)
    checkKeys('encryption', options.encryption)
    encryptionKey = decodeKey(options.encryption.key)
  }

  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') fail('onWarning', 'a function', options.onWarning)
  if (options.now !== undefined && typeof options.now !== 'function') fail('now', 'a function returning milliseconds since the epoch', options.now)

  return {
    name: name as string | undefined,
    ttl,
    memory,
    disk,
    redis,
    writeBehind,
    refreshAhead,
    serializer: serializer as CacheSerializer | undefined,
    compression,
    encryptionKey,
    onWarning: options.onWarning as ((warning: CacheWarning) => void) | undefined,
    now: (options.now as (() => number) | undefined) ?? Date.now,
  }
}
