import { createHash } from 'node:crypto'
import { appendFile, mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../core/fs/write-file-atomic.js'

/**
 * A persistent store of analysis results, keyed by a hash of what the result was computed from
 * (module contents, analysis kind) and by the plugin version: a new version never reads an older
 * version's results.
 *
 * One append-only log per version (`<dir>/<version hash>.log`), one line per entry:
 * `<key as JSON> TAB <length> TAB <value as JSON>`. It is read once, on the first `get`, and each
 * batch of new entries is one append: thousands of entries cost a handful of system calls, where
 * a file per entry cost a mkdir, an open, a write and a rename each (and a warm build thousands of
 * reads, slower than the analyses they saved).
 *
 * Reads never fail: a missing or unreadable log, or a corrupt line (half-written by a killed
 * build, bad JSON, a length that does not match) is a miss, and the next `set` appends the entry
 * again (the last line of a key wins). Appends from concurrent builds sharing a folder can only
 * interleave into lines that fail that check. A write that fails (read-only folder, full disk)
 * is dropped, never an error. A log over {@link MAX_LOG_BYTES} is started afresh.
 */
export interface AnalysisCache<T> {
  get(key: string): Promise<T | undefined>
  /** Reads the log (once); after it, `peek` answers from disk entries too. */
  load(): Promise<void>
  /** `get` without waiting: entries set in this process, and the log's once `load` resolved. */
  peek(key: string): T | undefined
  /** Resolves once the entry is on disk (or its write failed and was dropped). */
  set(key: string, value: T): Promise<void>
  /** Hits and misses since creation, for benchmarks and tests. */
  readonly stats: { hits: number; misses: number; writes: number }
}

export interface AnalysisCacheOptions {
  /** Folder of the log; created on first write. `false` keeps results in memory only. */
  dir: string | false
  /** Plugin version and analysis schema: part of every entry's identity. */
  version: string
}

/** Past this size the log is replaced by the entries written from then on. */
export const MAX_LOG_BYTES = 64 * 1024 * 1024

/** Hash of the inputs an analysis depends on; use it (or any string) as a cache key. */
export function contentKey(...parts: readonly string[]): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\0')
  return hash.digest('hex')
}

/** The log of one version in `dir`. */
export function analysisLogFile(dir: string, version: string): string {
  return path.join(dir, `${contentKey(version).slice(0, 32)}.log`)
}

/** Entries of a log, as raw JSON text by key (parsed on first use); later lines win. */
function readLog(text: string): Map<string, string> {
  const entries = new Map<string, string>()
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = text.length
    const keyEnd = text.indexOf('\t', start)
    const lengthEnd = keyEnd === -1 || keyEnd > end ? -1 : text.indexOf('\t', keyEnd + 1)
    if (lengthEnd !== -1 && lengthEnd < end) {
      const length = Number(text.slice(keyEnd + 1, lengthEnd))
      if (end - lengthEnd - 1 === length) {
        try {
          const key: unknown = JSON.parse(text.slice(start, keyEnd))
          if (typeof key === 'string') entries.set(key, text.slice(lengthEnd + 1, end))
        } catch {
          // A corrupt line: its key is a miss.
        }
      }
    }
    start = end + 1
  }
  return entries
}

function logLine(key: string, value: unknown): string {
  const json = JSON.stringify(value)
  return `${JSON.stringify(key)}\t${json.length}\t${json}\n`
}

export function createAnalysisCache<T>({ dir, version }: AnalysisCacheOptions): AnalysisCache<T> {
  const memory = new Map<string, T>()
  const stats = { hits: 0, misses: 0, writes: 0 }
  const file = dir === false ? undefined : analysisLogFile(dir, version)
  let stored: Promise<Map<string, string>> | undefined
  /** Replace the log instead of appending (it was too large). */
  let replace = false
  let pending: string[] = []
  let flushing: Promise<void> | undefined
  let writing: Promise<void> = Promise.resolve()

  let loaded: Map<string, string> | undefined
  const load = (): Promise<Map<string, string>> =>
    (stored ??= (async () => {
      try {
        const text = await readFile(file!, 'utf8')
        if (text.length > MAX_LOG_BYTES) {
          replace = true
          return (loaded = new Map())
        }
        return (loaded = readLog(text))
      } catch {
        return (loaded = new Map())
      }
    })())

  const peek = (key: string): T | undefined => {
    if (memory.has(key)) {
      stats.hits++
      return memory.get(key)
    }
    const raw = loaded?.get(key)
    if (raw !== undefined) {
      loaded!.delete(key)
      try {
        const value = JSON.parse(raw) as T
        memory.set(key, value)
        stats.hits++
        return value
      } catch {
        // Corrupt: a miss; the caller's `set` appends the entry again.
      }
    }
    stats.misses++
    return undefined
  }

  const write = async (lines: string[]): Promise<void> => {
    try {
      if (replace) {
        replace = false
        await writeFileAtomic(file!, lines.join(''))
      } else {
        // The leading newline ends a line a killed writer may have left unfinished.
        const text = `\n${lines.join('')}`
        try {
          await appendFile(file!, text)
        } catch {
          // The folder does not exist yet (or was removed): create it once, then append.
          await mkdir(path.dirname(file!), { recursive: true })
          await appendFile(file!, text)
        }
      }
      stats.writes += lines.length
    } catch {
      // A cache that cannot be written only costs speed.
    }
  }
  const flush = (): Promise<void> => {
    const lines = pending
    pending = []
    flushing = undefined
    // One write at a time, in order: a replaced log never loses a batch appended meanwhile.
    writing = writing.then(() => write(lines))
    return writing
  }

  return {
    stats,
    async get(key) {
      if (file !== undefined && !memory.has(key)) await load()
      return peek(key)
    },
    async load() {
      if (file !== undefined) await load()
    },
    peek,
    set(key, value) {
      memory.set(key, value)
      if (file === undefined) return Promise.resolve()
      pending.push(logLine(key, value))
      // Entries set in the same turn of the event loop go out in one append.
      flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(flush)
      return flushing
    },
  }
}
