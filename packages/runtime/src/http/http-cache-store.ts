import path from 'node:path'
import { Writable } from 'node:stream'
import type { interceptors } from 'undici'
import { userCacheDir } from '../cache/cache-dir.js'
import { createCache, type Cache } from '../cache/index.js'

type CacheStore = NonNullable<NonNullable<Parameters<typeof interceptors.cache>[0]>['store']>
type CacheKey = Parameters<CacheStore['get']>[0]
type CacheValue = Parameters<CacheStore['createWriteStream']>[1]

/** One stored response: undici's metadata, the method and the body bytes. */
interface StoredResponse extends CacheValue {
  method: string
  body: Uint8Array
}

export interface HttpCacheStore extends CacheStore {
  close(): Promise<void>
}

function headerEquals(a: string | string[] | null | undefined, b: string | string[] | null | undefined): boolean {
  if (a == null || b == null) return a == null && b == null
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i])
  return a === b
}

function matches(key: CacheKey, entry: StoredResponse, now: number): boolean {
  if (entry.deleteAt <= now || entry.method !== key.method) return false
  if (!entry.vary) return true
  for (const name in entry.vary) if (!headerEquals(key.headers?.[name], entry.vary[name])) return false
  return true
}

/**
 * undici's cache interceptor keeps the HTTP semantics (freshness, `Vary`, revalidation, invalidation
 * by unsafe methods); this store only keeps its entries, in a `@cli-optimizer/runtime/cache` disk
 * level, so they survive between runs of the CLI (the point for a CLI: each run is a new process,
 * and undici's memory store would start empty every time). One cache key per origin and path holds
 * the variants (`Vary`), as undici's own stores do.
 */
export function createHttpCacheStore(options: { dir: string | undefined; maxBytes: number; maxEntrySize: number }, name: string | undefined): HttpCacheStore {
  const dir = options.dir ?? path.join(userCacheDir(name!), 'http')
  const cache: Cache<StoredResponse[]> = createCache<StoredResponse[]>({ memory: { max: 100 }, disk: { dir, maxBytes: options.maxBytes } })
  const topKey = (key: CacheKey): string => `${key.origin} ${key.path}`
  // Writes still being stored, by key: the next request for the key right after a response was
  // read (the usual case in a CLI) waits for it instead of missing.
  const pending = new Map<string, Promise<void>>()

  return {
    async get(key) {
      await pending.get(topKey(key))
      const entries = await cache.get(topKey(key))
      const now = Date.now()
      const entry = entries?.find((e) => matches(key, e, now))
      if (!entry) return undefined
      const { method: _method, body, ...value } = entry
      return { ...value, cacheControlDirectives: value.cacheControlDirectives ?? {}, body: Buffer.from(body.buffer, body.byteOffset, body.byteLength) }
    },
    createWriteStream(key, value) {
      const chunks: Buffer[] = []
      let size = 0
      const k = topKey(key)
      let settle!: () => void
      const written = new Promise<void>((resolve) => (settle = resolve))
      pending.set(k, written)
      void written.then(() => pending.get(k) === written && pending.delete(k))
      const stream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          size += chunk.byteLength
          // Too big to keep: stop collecting; undici then does not store the response.
          if (size > options.maxEntrySize) return callback(new Error('response larger than cache.maxEntrySize'))
          chunks.push(chunk)
          callback()
        },
        final(callback) {
          const entry: StoredResponse = { ...value, method: key.method, body: Buffer.concat(chunks, size) }
          void (async () => {
            const now = Date.now()
            const kept = ((await cache.get(k)) ?? []).filter((e) => e.deleteAt > now && !(e.method === entry.method && headerEquals(JSON.stringify(e.vary ?? null), JSON.stringify(entry.vary ?? null))))
            const entries = [...kept, entry]
            const ttl = Math.max(...entries.map((e) => e.deleteAt)) - now
            if (ttl > 0) await cache.set(k, entries, { ttl })
          })().then(() => callback(), callback)
        },
      })
      stream.once('close', settle)
      return stream
    },
    async delete(key) {
      await cache.delete(topKey(key))
    },
    close: () => cache.close(),
  }
}
