import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../core/fs/write-file-atomic.js'

/**
 * A persistent store of analysis results, one JSON file per entry, keyed by a hash of what the
 * result was computed from (module contents, analysis kind) and by the plugin version: a new
 * version never reads an older version's results.
 *
 * Reads never fail: a missing, unreadable or corrupt entry (a half-written file from a killed
 * build, a file from another version, bad JSON) is a miss, and the next `set` rewrites it.
 * Writes are atomic (temporary file + rename), so concurrent builds sharing a folder never see
 * half an entry; a write that fails (read-only folder, full disk) is dropped, never an error.
 */
export interface AnalysisCache<T> {
  get(key: string): Promise<T | undefined>
  set(key: string, value: T): Promise<void>
  /** Hits and misses since creation, for benchmarks and tests. */
  readonly stats: { hits: number; misses: number; writes: number }
}

export interface AnalysisCacheOptions {
  /** Folder of the entries; created on first write. `false` keeps results in memory only. */
  dir: string | false
  /** Plugin version and analysis schema: part of every entry's identity. */
  version: string
}

interface StoredEntry<T> {
  version: string
  key: string
  value: T
}

/** Hash of the inputs an analysis depends on; use it (or any string) as a cache key. */
export function contentKey(...parts: readonly string[]): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\0')
  return hash.digest('hex')
}

export function createAnalysisCache<T>({ dir, version }: AnalysisCacheOptions): AnalysisCache<T> {
  const memory = new Map<string, T>()
  const stats = { hits: 0, misses: 0, writes: 0 }
  const fileOf = (key: string): string => {
    const name = contentKey(version, key)
    return path.join(dir as string, name.slice(0, 2), `${name.slice(2)}.json`)
  }

  return {
    stats,
    async get(key) {
      if (memory.has(key)) {
        stats.hits++
        return memory.get(key)
      }
      if (dir === false) {
        stats.misses++
        return undefined
      }
      try {
        const stored = JSON.parse(await readFile(fileOf(key), 'utf8')) as StoredEntry<T>
        if (stored && stored.version === version && stored.key === key && 'value' in stored) {
          memory.set(key, stored.value)
          stats.hits++
          return stored.value
        }
      } catch {
        // Missing, unreadable or corrupt: a miss; the caller's `set` rewrites the entry.
      }
      stats.misses++
      return undefined
    },
    async set(key, value) {
      memory.set(key, value)
      if (dir === false) return
      const entry: StoredEntry<T> = { version, key, value }
      try {
        await writeFileAtomic(fileOf(key), JSON.stringify(entry))
        stats.writes++
      } catch {
        // A cache that cannot be written only costs speed.
      }
    },
  }
}
