// Everything the memory and disk levels need, loaded by the cache on its first operation so
// that importing `@cli-optimizer/runtime/cache` costs almost nothing.
export { LRUCache } from 'lru-cache'
export { userCacheDir } from './cache-dir.js'
export { DiskStore } from './disk-store.js'
export { decodeEntry, decodeRedisEntry, encodeEntry, encodeRedisEntry } from './entry-codec.js'
export { TamperedEntryError, ValueCodec } from './value-codec.js'
