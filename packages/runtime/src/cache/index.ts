/**
 * `@cli-optimizer/runtime/cache`: a multi-level cache for CLIs (memory, disk, Redis).
 *
 * Importing this module loads two small files and nothing else: the levels (lru-cache, the disk
 * store, ioredis) load on the cache's first operation, and ioredis only when `redis` is set.
 */
import { MultiLevelCache, type Cache } from './cache.js'
import { resolveCacheOptions, type CacheOptions } from './cache-options.js'

export type { Cache, CacheStats, LevelStats, SetOptions, WrapOptions } from './cache.js'
export type {
  CacheOptions,
  CacheSerializer,
  CacheWarning,
  CompressionOptions,
  DiskLevelOptions,
  EncryptionOptions,
  MemoryLevelOptions,
  RedisLevelOptions,
  WriteBehindOptions,
} from './cache-options.js'

/**
 * Creates a cache. Levels are tried in order memory, disk, Redis; a hit in a lower level is
 * copied to the levels above it. A bad option throws a TypeError naming it.
 *
 * @example
 * const cache = createCache({ name: 'my-cli', disk: true, ttl: 3_600_000 })
 * const tags = await cache.wrap('npm:tags:react', () => fetchTags('react'))
 */
export function createCache<V = unknown>(options?: CacheOptions): Cache<V> {
  return new MultiLevelCache<V>(resolveCacheOptions(options))
}
