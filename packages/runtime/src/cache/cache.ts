import type { LRUCache } from 'lru-cache'
import type { CacheWarning, ResolvedCacheOptions } from './cache-options.js'
import type { DiskStore } from './disk-store.js'
import type { DecodedEntry, EntryMeta } from './entry-codec.js'
import type { RedisLevel } from './redis-level.js'
import type { ValueCodec } from './value-codec.js'

type Levels = typeof import('./levels.js')

/** Options of `set()`. */
export interface SetOptions {
  /** Time to live in milliseconds. @default the cache's `ttl` (no expiry when that is unset) */
  ttl?: number
  /** Labels for `invalidate({ tags })`. @default [] */
  tags?: string[]
}

/** Options of `wrap()`. */
export interface WrapOptions extends SetOptions {
  /**
   * Milliseconds after expiry during which `wrap` still returns the old value at once and
   * reloads it in the background.
   * @default 0
   */
  staleWhileRevalidate?: number
  /** Refresh-ahead fraction of the TTL for this call. @default the cache's `refreshAhead` */
  refreshAhead?: number
}

/** Counters of one level. */
export interface LevelStats {
  hits: number
  misses: number
  sets: number
  errors: number
}

export interface CacheStats {
  /** Lookups (`get`, `has`, `wrap`) answered with a fresh value from any level. */
  hits: number
  /** Lookups no level could answer with a fresh value. */
  misses: number
  /** `wrap` calls answered with a stale value while it reloads. */
  staleHits: number
  levels: {
    memory?: LevelStats & { entries: number }
    disk?: LevelStats & { corrupt: number; enabled: boolean }
    redis?: LevelStats & { connected: boolean }
  }
}

export interface Cache<V = unknown> {
  /** The fresh value of `key`, or undefined. */
  get(key: string): Promise<V | undefined>
  /** Stores `value` in every level (write-through), or in memory plus the write-behind queue. */
  set(key: string, value: V, options?: SetOptions): Promise<void>
  has(key: string): Promise<boolean>
  delete(key: string): Promise<void>
  clear(): Promise<void>
  /**
   * Read-through: the cached value, or `loader()`'s result, stored. Concurrent misses of one key
   * in this process share one loader call.
   */
  wrap<T extends V>(key: string, loader: () => T | Promise<T>, options?: WrapOptions): Promise<T>
  /** Removes the entries carrying any of `tags`, or whose key starts with `prefix`, from every level. */
  invalidate(selector: { tags: string[] } | { prefix: string }): Promise<void>
  stats(): CacheStats
  /** Removes expired entries, non-entry files and a crashed writer's temp files, then applies `disk.maxBytes`. */
  prune(): Promise<void>
  /** Flushes the write-behind queue, waits for background writes and disconnects from Redis. */
  close(): Promise<void>
}

/** What the memory level holds: the live value and its times. */
interface MemoryEntry {
  v: unknown
  /** expires at (ms since epoch; Infinity: never) */
  e: number
  /** servable stale until */
  s: number
  /** created at */
  c: number
  t: string[] | undefined
}

/** A pending lower-level write: the entry in disk form and in Redis form (each when that level exists). */
type QueuedWrite = { kind: 'set'; disk: Buffer | undefined; redis: Buffer | undefined; ttl: number | undefined; tags: string[] | undefined } | { kind: 'delete' }

const WRITE_BATCH = 32

function noop(): void {}

function newLevelStats(): LevelStats {
  return { hits: 0, misses: 0, sets: 0, errors: 0 }
}

function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') {
    throw new TypeError(`[cli-optimizer] cache key must be a non-empty string, got ${key === '' ? 'empty string' : typeof key}`)
  }
}

function checkSetOptions(options: WrapOptions | undefined, method: string): void {
  if (options === undefined) return
  if (typeof options !== 'object' || options === null) throw new TypeError(`[cli-optimizer] ${method} options must be an object, got ${options === null ? 'null' : typeof options}`)
  const { ttl, tags, staleWhileRevalidate, refreshAhead } = options
  if (ttl !== undefined && !(typeof ttl === 'number' && ttl > 0 && Number.isFinite(ttl))) {
    throw new TypeError(`[cli-optimizer] ${method} option ttl must be a positive number of milliseconds, got ${String(ttl)}`)
  }
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string' && tag !== ''))) {
    throw new TypeError(`[cli-optimizer] ${method} option tags must be an array of non-empty strings`)
  }
  if (staleWhileRevalidate !== undefined && !(typeof staleWhileRevalidate === 'number' && staleWhileRevalidate >= 0 && Number.isFinite(staleWhileRevalidate))) {
    throw new TypeError(`[cli-optimizer] ${method} option staleWhileRevalidate must be a non-negative number of milliseconds, got ${String(staleWhileRevalidate)}`)
  }
  if (refreshAhead !== undefined && !(typeof refreshAhead === 'number' && refreshAhead >= 0 && refreshAhead < 1)) {
    throw new TypeError(`[cli-optimizer] ${method} option refreshAhead must be a number from 0 to below 1, got ${String(refreshAhead)}`)
  }
}

/**
 * The levels are created on the first operation (one dynamic import), so a CLI that imports the
 * cache but takes a path that never touches it pays nothing, and Redis's client is loaded only
 * when a Redis level is configured.
 */
export class MultiLevelCache<V = unknown> implements Cache<V> {
  readonly #o: ResolvedCacheOptions
  #ready = false
  #loading: Promise<void> | undefined
  #levels: Levels | undefined
  #lru: LRUCache<string, MemoryEntry> | undefined
  #disk: DiskStore | undefined
  #redis: RedisLevel | undefined
  #codec: ValueCodec | undefined
  readonly #inflight = new Map<string, Promise<unknown>>()
  readonly #background = new Set<Promise<unknown>>()
  readonly #queue = new Map<string, QueuedWrite>()
  #flushing: Promise<void> | undefined
  readonly #warned = new Set<string>()
  readonly #counts = { hits: 0, misses: 0, staleHits: 0 }
  readonly #memoryStats = newLevelStats()
  readonly #diskStats = { ...newLevelStats(), corrupt: 0 }
  #exitHooks: { beforeExit: () => void; exit: () => void } | undefined

  constructor(options: ResolvedCacheOptions) {
    this.#o = options
    if (options.writeBehind) {
      // Listeners, not timers: they keep nothing alive, and are removed by close().
      const beforeExit = (): void => {
        if (this.#queue.size > 0) void this.#drain()
      }
      const exit = (): void => this.#flushQueueSync()
      process.on('beforeExit', beforeExit)
      process.on('exit', exit)
      this.#exitHooks = { beforeExit, exit }
    }
  }

  get(key: string): Promise<V | undefined> {
    // Memory hit fast path: no await, no allocation besides the returned promise.
    if (this.#ready && this.#lru !== undefined && typeof key === 'string') {
      const entry = this.#lru.get(key)
      if (entry !== undefined && (entry.e === Infinity || entry.e > this.#o.now())) {
        this.#counts.hits++
        this.#memoryStats.hits++
        return Promise.resolve(entry.v as V)
      }
    }
    return this.#getSlow(key)
  }

  // Not async: a disk hit, or a Redis round trip, costs no more promise hops than needed.
  #getSlow(key: string): Promise<V | undefined> {
    try {
      checkKey(key)
    } catch (error) {
      return Promise.reject(error)
    }
    if (!this.#ready) return this.#ensure().then(() => this.#getSlow(key))
    const now = this.#o.now()
    const local = this.#lookupLocal(key, now)
    if (local !== undefined || !this.#redis || this.#queue.has(key)) return Promise.resolve(this.#answer(local, now))
    // One promise hop for the whole Redis round trip.
    return this.#redis.get(key, (bytes) => this.#answer(this.#fromRedis(key, bytes, now), now))
  }

  #answer(entry: MemoryEntry | undefined, now: number): V | undefined {
    if (entry && entry.e > now) {
      this.#counts.hits++
      return entry.v as V
    }
    this.#counts.misses++
    return undefined
  }

  async has(key: string): Promise<boolean> {
    checkKey(key)
    if (!this.#ready) await this.#ensure()
    const now = this.#o.now()
    const entry = await this.#lookup(key, now)
    const fresh = entry !== undefined && entry.e > now
    if (fresh) this.#counts.hits++
    else this.#counts.misses++
    return fresh
  }

  set(key: string, value: V, options?: SetOptions): Promise<void> {
    try {
      checkKey(key)
      checkSetOptions(options, 'set')
      if (!this.#ready) return this.#ensure().then(() => this.set(key, value, options))
      const now = this.#o.now()
      const ttl = options?.ttl ?? this.#o.ttl
      const expiresAt = ttl === undefined ? Infinity : now + ttl
      return this.#store(key, value, now, expiresAt, expiresAt, options?.tags)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  async wrap<T extends V>(key: string, loader: () => T | Promise<T>, options?: WrapOptions): Promise<T> {
    checkKey(key)
    checkSetOptions(options, 'wrap')
    if (typeof loader !== 'function') throw new TypeError(`[cli-optimizer] wrap loader for key ${JSON.stringify(key)} must be a function, got ${typeof loader}`)
    if (!this.#ready) await this.#ensure()
    const now = this.#o.now()
    const entry = await this.#lookup(key, now)
    if (entry) {
      if (entry.e > now) {
        this.#counts.hits++
        const ahead = options?.refreshAhead ?? this.#o.refreshAhead
        if (ahead > 0 && entry.e !== Infinity && entry.e - now < ahead * (entry.e - entry.c)) this.#refresh(key, loader, options)
        return entry.v as T
      }
      // Expired but within staleWhileRevalidate: answer now, reload behind.
      this.#counts.staleHits++
      this.#refresh(key, loader, options)
      return entry.v as T
    }
    this.#counts.misses++
    return this.#load(key, loader, options, true)
  }

  async delete(key: string): Promise<void> {
    checkKey(key)
    if (!this.#ready) await this.#ensure()
    this.#lru?.delete(key)
    if (this.#o.writeBehind) return this.#enqueue(key, { kind: 'delete' })
    await this.#writeLower(key, { kind: 'delete' })
  }

  async clear(): Promise<void> {
    if (!this.#ready) await this.#ensure()
    this.#lru?.clear()
    this.#queue.clear()
    await this.#settle()
    await Promise.all([this.#disk?.clear().catch((error: Error) => this.#diskFailed(error)), this.#redis?.clear()])
  }

  async invalidate(selector: { tags: string[] } | { prefix: string }): Promise<void> {
    const tags = (selector as { tags?: unknown } | undefined)?.tags
    const prefix = (selector as { prefix?: unknown } | undefined)?.prefix
    const byTags = Array.isArray(tags) && tags.length > 0 && tags.every((tag) => typeof tag === 'string')
    if (!byTags && typeof prefix !== 'string') {
      throw new TypeError('[cli-optimizer] invalidate() needs { tags: string[] } (non-empty) or { prefix: string }')
    }
    if (!this.#ready) await this.#ensure()
    // Queued writes and copies to lower levels land first, so they are invalidated too.
    await this.#settle()
    const matches = byTags
      ? (entryTags: string[] | undefined) => entryTags !== undefined && entryTags.some((tag) => (tags as string[]).includes(tag))
      : undefined
    if (this.#lru) {
      // Collected first: deleting while iterating an lru-cache could skip entries.
      const doomed = [...this.#lru.entries()].filter(([key, entry]) => (matches ? matches(entry.t) : key.startsWith(prefix as string)))
      for (const [key] of doomed) this.#lru.delete(key)
    }
    const disk = this.#disk
    if (disk) {
      try {
        for await (const entry of disk.entries()) {
          if (matches ? matches(entry.tags) : entry.key.startsWith(prefix as string)) await disk.removeFile(entry.file)
        }
      } catch (error) {
        this.#diskFailed(error as Error)
      }
    }
    if (this.#redis) {
      if (byTags) await this.#redis.invalidateTags(tags as string[])
      else await this.#redis.invalidatePrefix(prefix as string)
    }
  }

  stats(): CacheStats {
    const levels: CacheStats['levels'] = {}
    if (this.#o.memory) levels.memory = { ...this.#memoryStats, entries: this.#lru?.size ?? 0 }
    if (this.#o.disk) levels.disk = { ...this.#diskStats, enabled: this.#ready ? this.#disk !== undefined : true }
    if (this.#o.redis) {
      const redis = this.#redis?.stats ?? newLevelStats()
      levels.redis = { ...redis, connected: this.#redis?.available ?? false }
    }
    return { ...this.#counts, levels }
  }

  async prune(): Promise<void> {
    if (!this.#ready) await this.#ensure()
    const now = this.#o.now()
    if (this.#lru) {
      const expired = [...this.#lru.entries()].filter(([, entry]) => entry.s <= now)
      for (const [key] of expired) this.#lru.delete(key)
    }
    await this.#disk?.prune(now).catch((error: Error) => this.#diskFailed(error))
  }

  async close(): Promise<void> {
    if (this.#exitHooks) {
      process.off('beforeExit', this.#exitHooks.beforeExit)
      process.off('exit', this.#exitHooks.exit)
      this.#exitHooks = undefined
    }
    if (!this.#loading) return
    await this.#loading
    await this.#settle()
    await this.#disk?.flush().catch(() => {})
    await this.#redis?.close()
  }

  // --- levels -------------------------------------------------------------------------------

  #ensure(): Promise<void> {
    if (this.#ready) return Promise.resolve()
    this.#loading ??= this.#loadLevels()
    return this.#loading
  }

  async #loadLevels(): Promise<void> {
    const levels = await import('./levels.js')
    this.#levels = levels
    const o = this.#o
    if (o.disk || o.redis || o.memory?.maxSize) this.#codec = new levels.ValueCodec(o)
    if (o.memory) {
      this.#lru = new levels.LRUCache<string, MemoryEntry>({
        max: o.memory.max,
        ...(o.memory.maxSize !== undefined && { maxSize: o.memory.maxSize }),
        ...(o.memory.ttl !== undefined && { ttl: o.memory.ttl, perf: { now: o.now } }),
      })
    }
    if (o.disk) {
      const dir = o.disk.dir ?? levels.userCacheDir(o.name!)
      try {
        this.#disk = new levels.DiskStore(dir, o.disk.maxBytes)
      } catch (error) {
        this.#diskFailed(error as Error)
      }
    }
    if (o.redis) {
      const { RedisLevel } = await import('./redis-level.js')
      const url = o.redis.url
      this.#redis = new RedisLevel(o.redis, (error) =>
        this.#warn('CLI_OPTIMIZER_CACHE_REDIS_UNAVAILABLE', `Redis at ${url.replace(/\/\/[^@/]*@/, '//***@')} is unavailable (${error.message}); the cache continues with its other levels and reconnects later`),
      )
    }
    this.#ready = true
  }

  /** The entry of `key` still servable at `now` (fresh or within its stale window), promoting it upward. */
  #lookup(key: string, now: number): MemoryEntry | undefined | Promise<MemoryEntry | undefined> {
    const local = this.#lookupLocal(key, now)
    if (local !== undefined || !this.#redis || this.#queue.has(key)) return local
    return this.#redis.get(key, (bytes) => this.#fromRedis(key, bytes, now))
  }

  /** Memory, then the write-behind queue, then disk: all synchronous. */
  #lookupLocal(key: string, now: number): MemoryEntry | undefined {
    const lru = this.#lru
    if (lru) {
      const entry = lru.get(key)
      if (entry !== undefined) {
        if (entry.s > now) {
          this.#memoryStats.hits++
          return entry
        }
        lru.delete(key)
      }
      this.#memoryStats.misses++
    }
    if (this.#queue.size > 0) {
      // A write-behind entry not yet on disk is newer than anything below.
      const queued = this.#queue.get(key)
      if (queued) return queued.kind === 'set' ? this.#fromQueue(key, queued, now) : undefined
    }
    const disk = this.#disk
    if (disk) {
      let found: DecodedEntry | 'corrupt' | undefined
      try {
        found = disk.read(key)
      } catch {
        this.#diskStats.errors++
      }
      if (found === 'corrupt') this.#diskStats.corrupt++
      else if (found !== undefined) {
        if (found.staleUntil > now) {
          const value = this.#decode(key, found, () => disk.delete(key).catch(() => {}))
          if (value !== undefined) {
            this.#diskStats.hits++
            return this.#remember(key, value.v, found, found.payload.length)
          }
        } else {
          this.#track(disk.delete(key).catch(() => {}))
        }
      }
      this.#diskStats.misses++
    }
    return undefined
  }

  #fromRedis(key: string, bytes: Buffer | undefined, now: number): MemoryEntry | undefined {
    if (!bytes) return undefined
    const found = this.#levels!.decodeRedisEntry(bytes)
    if (!found) {
      this.#track(this.#redis!.delete(key))
      return undefined
    }
    if (found.staleUntil <= now) return undefined
    const value = this.#decode(key, found, () => this.#redis!.delete(key))
    if (value === undefined) return undefined
    const entry = this.#remember(key, value.v, found, bytes.length)
    // Promote to disk: the next run of this CLI on this machine reads it locally.
    if (this.#disk) this.#track(this.#diskWrite(key, this.#levels!.encodeEntry(key, found.flags, found, found.payload)))
    return entry
  }

  #fromQueue(key: string, write: Extract<QueuedWrite, { kind: 'set' }>, now: number): MemoryEntry | undefined {
    const levels = this.#levels!
    const found = write.disk ? levels.decodeEntry(write.disk) : levels.decodeRedisEntry(write.redis!)
    if (!found || found.staleUntil <= now) return undefined
    const value = this.#decode(key, found, () => Promise.resolve())
    return value && this.#remember(key, value.v, found, (write.disk ?? write.redis!).length)
  }

  /** The value of a stored entry, or undefined (and the entry removed) when it cannot be read. */
  #decode(key: string, found: EntryMeta & { payload: Buffer }, remove: () => Promise<unknown>): { v: unknown } | undefined {
    try {
      return { v: this.#codec!.decode(key, found.flags, found.payload) }
    } catch (error) {
      if (error instanceof this.#levels!.TamperedEntryError) {
        this.#warn(`CLI_OPTIMIZER_CACHE_TAMPERED:${key}`, `cache entry for key ${JSON.stringify(key)} failed authentication (changed outside the cache, or another encryption key); it was removed and read as a miss`, 'CLI_OPTIMIZER_CACHE_TAMPERED')
      } else {
        this.#diskStats.corrupt++
      }
      this.#track(remove())
      return undefined
    }
  }

  #remember(key: string, v: unknown, meta: { createdAt: number; expiresAt: number; staleUntil: number; tags: string[] | undefined }, size: number): MemoryEntry {
    const entry: MemoryEntry = { v, e: meta.expiresAt, s: meta.staleUntil, c: meta.createdAt, t: meta.tags }
    this.#lru?.set(key, entry, this.#o.memory?.maxSize ? { size: Math.max(1, size) } : undefined)
    return entry
  }

  /** Throws (synchronously) the serialization TypeError; otherwise the promise of the lower writes. */
  #store(key: string, value: unknown, createdAt: number, expiresAt: number, staleUntil: number, tags: string[] | undefined): Promise<void> {
    const meta = { createdAt, expiresAt, staleUntil, tags: tags && tags.length > 0 ? [...tags] : undefined }
    const disk = this.#disk
    const redis = this.#redis
    let diskBytes: Buffer | undefined
    let redisBytes: Buffer | undefined
    if (disk || redis) {
      // Throws the TypeError naming the key before any level changes.
      const { flags, payload } = this.#codec!.encode(key, value)
      if (disk) diskBytes = this.#levels!.encodeEntry(key, flags, meta, payload)
      if (redis) redisBytes = this.#levels!.encodeRedisEntry(flags, meta, payload)
    }
    if (this.#lru) {
      const size = diskBytes?.length ?? redisBytes?.length ?? (this.#o.memory?.maxSize ? this.#codec!.sizeOf(value) : 1)
      this.#remember(key, value, meta, size)
      this.#memoryStats.sets++
    }
    if (!disk && !redis) return Promise.resolve()
    const ttl = staleUntil === Infinity ? undefined : Math.max(1, Math.ceil(staleUntil - this.#o.now()))
    if (!this.#o.writeBehind) {
      // Write-through, without building a queue entry.
      if (!disk) return redis!.set(key, redisBytes!, ttl, meta.tags) as Promise<unknown> as Promise<void>
      if (!redis) return this.#diskWrite(key, diskBytes!)
      return Promise.all([this.#diskWrite(key, diskBytes!), redis.set(key, redisBytes!, ttl, meta.tags)]).then(noop)
    }
    return this.#enqueue(key, { kind: 'set', disk: diskBytes, redis: redisBytes, ttl, tags: meta.tags })
  }

  #writeLower(key: string, write: QueuedWrite): Promise<void> {
    const disk = this.#disk
    const redis = this.#redis
    if (write.kind === 'set') {
      return Promise.all([
        disk && write.disk && this.#diskWrite(key, write.disk),
        redis && write.redis && redis.set(key, write.redis, write.ttl, write.tags),
      ]).then(noop)
    }
    return Promise.all([disk?.delete(key).catch((error: Error) => this.#diskFailed(error)), redis?.delete(key)]).then(noop)
  }

  async #diskWrite(key: string, bytes: Buffer): Promise<void> {
    const disk = this.#disk
    if (!disk) return
    try {
      await disk.write(key, bytes)
      this.#diskStats.sets++
    } catch (error) {
      // The old entry must not outlive the new value (a later run would read it): removing
      // works even on a full disk.
      await disk.delete(key).catch(() => {})
      this.#diskFailed(error as Error)
    }
  }

  /**
   * A disk that refuses a write (full, read-only, permissions, the directory replaced) turns the
   * level off for the rest of the run, with one warning: the cache continues in memory, and never
   * reads back an entry it could not update.
   */
  #diskFailed(error: Error): void {
    this.#diskStats.errors++
    this.#disk = undefined
    const code = (error as NodeJS.ErrnoException).code
    this.#warn('CLI_OPTIMIZER_CACHE_DISK_UNAVAILABLE', `the cache directory cannot be written (${code ?? error.message}); the cache continues in memory only for this run`)
  }

  // --- wrap helpers -------------------------------------------------------------------------

  #load<T>(key: string, loader: () => T | Promise<T>, options: WrapOptions | undefined, afterMiss: boolean): Promise<T> {
    const running = this.#inflight.get(key)
    if (running) return running as Promise<T>
    if (afterMiss) {
      // A load of this key may have finished while this caller was looking it up.
      const recent = this.#lru?.get(key)
      if (recent !== undefined && recent.e > this.#o.now()) return Promise.resolve(recent.v as T)
    }
    const promise = (async () => {
      const value = await loader()
      const now = this.#o.now()
      const ttl = options?.ttl ?? this.#o.ttl
      const expiresAt = ttl === undefined ? Infinity : now + ttl
      const staleUntil = expiresAt + (options?.staleWhileRevalidate ?? 0)
      await this.#store(key, value, now, expiresAt, staleUntil, options?.tags)
      return value
    })().finally(() => {
      this.#inflight.delete(key)
    })
    this.#inflight.set(key, promise)
    return promise
  }

  #refresh<T>(key: string, loader: () => T | Promise<T>, options: WrapOptions | undefined): void {
    if (this.#inflight.has(key)) return
    this.#track(
      this.#load(key, loader, options, false).catch((error: Error) => {
        this.#warn(`CLI_OPTIMIZER_CACHE_REFRESH_FAILED:${key}`, `background reload of cache key ${JSON.stringify(key)} failed (${error?.message ?? String(error)}); the old value stays until it expires`, 'CLI_OPTIMIZER_CACHE_REFRESH_FAILED')
      }),
    )
  }

  #track(promise: Promise<unknown>): void {
    this.#background.add(promise)
    void promise.finally(() => this.#background.delete(promise))
  }

  // --- write-behind -------------------------------------------------------------------------

  #enqueue(key: string, write: QueuedWrite): Promise<void> {
    // One pending write per key, the latest; re-inserted so the queue stays in arrival order.
    this.#queue.delete(key)
    this.#queue.set(key, write)
    this.#flushing ??= this.#flushLoop()
    if (this.#queue.size >= this.#o.writeBehind!.maxQueue) return this.#drain()
    return Promise.resolve()
  }

  async #flushLoop(): Promise<void> {
    try {
      // Let the caller's synchronous burst of sets coalesce first.
      await new Promise((resolve) => setImmediate(resolve))
      while (this.#queue.size > 0) {
        const batch: [string, QueuedWrite][] = []
        for (const item of this.#queue) {
          batch.push(item)
          if (batch.length === WRITE_BATCH) break
        }
        await Promise.all(batch.map(([key, write]) => this.#writeLower(key, write)))
        // Entries leave the queue only once written, so lookups never see the older disk value
        // in between; an entry replaced meanwhile stays for the next batch.
        for (const [key, write] of batch) if (this.#queue.get(key) === write) this.#queue.delete(key)
      }
    } finally {
      this.#flushing = undefined
    }
  }

  /** Waits for the write-behind queue and for background work (copies, reloads). */
  async #settle(): Promise<void> {
    await this.#drain()
    while (this.#background.size > 0) {
      await Promise.allSettled([...this.#background])
      await this.#drain()
    }
  }

  async #drain(): Promise<void> {
    while (this.#flushing || this.#queue.size > 0) {
      this.#flushing ??= this.#flushLoop()
      await this.#flushing
    }
  }

  /** At 'exit' only synchronous work runs: queued disk writes are written; Redis writes are lost. */
  #flushQueueSync(): void {
    const disk = this.#disk
    if (!disk) return
    for (const [key, write] of this.#queue) {
      try {
        if (write.kind === 'set' && write.disk) disk.writeSync(key, write.disk)
      } catch {
        break
      }
    }
    this.#queue.clear()
  }

  #warn(dedupe: string, message: string, code = dedupe): void {
    if (this.#warned.has(dedupe)) return
    this.#warned.add(dedupe)
    const warning: CacheWarning = { code, message: `[cli-optimizer] ${message}` }
    try {
      if (this.#o.onWarning) this.#o.onWarning(warning)
      else process.emitWarning(warning.message, { type: 'CliOptimizerCacheWarning', code })
    } catch {
      // A throwing warning handler must not break a cache operation.
    }
  }
}
