import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, unlinkSync, utimes, writeFileSync } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { decodeEntry, decodeEntryHeader, type DecodedEntry, type EntryHeader } from './entry-codec.js'

const DIR_MODE = 0o700
const FILE_MODE = 0o600
/** Eviction goes below the bound so the next few writes do not trigger another scan. */
const LOW_WATER = 0.9
/** A temp file older than this belongs to a writer that died; scans remove it. */
const STALE_TEMP_MS = 10 * 60 * 1000
/** Reads mark entries as recently used; the marks are written to disk in batches. */
const TOUCH_DELAY_MS = 1000

interface FileInfo {
  file: string
  size: number
  mtimeMs: number
}

/**
 * A file per entry under `<dir>/v1/<2 hex>/<sha256(key) hex>`. Writes go to a temp file in the
 * same file system and are renamed into place, so a reader sees the old entry, the new one, or
 * nothing, never half of one (rename is atomic on POSIX and NTFS); concurrent writers of one
 * key each complete and the last rename wins. Every entry carries a CRC-32 checked on read,
 * which catches what rename cannot (a torn page after power loss): such an entry is removed and
 * read as a miss. Keys are hashed, so no key can name a path outside the directory.
 */
export class DiskStore {
  readonly root: string
  readonly #tmp: string
  readonly #maxBytes: number
  readonly #madeDirs = new Set<string>()
  readonly #touched = new Set<string>()
  #touchTimer: NodeJS.Timeout | undefined
  /** Total bytes at the last scan (undefined before the first) and bytes written since. */
  #scannedBytes: number | undefined
  #writtenSinceScan = 0
  #evicting: Promise<void> | undefined
  #counter = 0
  readonly #tag = `${process.pid}-${randomBytes(4).toString('hex')}`

  /** Creates the directories (0700); throws when the directory cannot be created. */
  constructor(dir: string, maxBytes: number) {
    this.root = path.join(path.resolve(dir), 'v1')
    this.#tmp = path.join(this.root, 'tmp')
    this.#maxBytes = maxBytes
    mkdirSync(this.#tmp, { recursive: true, mode: DIR_MODE })
  }

  pathOf(key: string): string {
    const hash = createHash('sha256').update(key).digest('hex')
    return path.join(this.root, hash.slice(0, 2), hash.slice(2))
  }

  /**
   * Reads an entry synchronously (a warm small read is faster than a trip through the thread
   * pool). Returns undefined on a miss; 'corrupt' when the file failed its check (and was removed).
   */
  read(key: string): DecodedEntry | 'corrupt' | undefined {
    const file = this.pathOf(key)
    let bytes: Buffer
    try {
      bytes = readFileSync(file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    const entry = decodeEntry(bytes)
    if (!entry) {
      this.#remove(file)
      return 'corrupt'
    }
    // Another key with the same hash (or a file copied here): not ours, a miss.
    if (entry.key !== key) return undefined
    this.#touch(file)
    return entry
  }

  async write(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.pathOf(key)
    const tmp = path.join(this.#tmp, `${this.#tag}-${this.#counter++}`)
    try {
      await writeFile(tmp, bytes, { mode: FILE_MODE, flag: 'wx' })
      await this.#ensureDir(path.dirname(file))
      await renameWithRetry(tmp, file)
    } catch (error) {
      await unlink(tmp).catch(() => {})
      throw error
    }
    this.#accountWrite(bytes.length)
  }

  /** Synchronous write, for flushing queued writes from a process 'exit' handler. */
  writeSync(key: string, bytes: Uint8Array): void {
    const file = this.pathOf(key)
    const tmp = path.join(this.#tmp, `${this.#tag}-${this.#counter++}`)
    try {
      writeFileSync(tmp, bytes, { mode: FILE_MODE, flag: 'wx' })
      mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE })
      renameSync(tmp, file)
    } catch (error) {
      try {
        unlinkSync(tmp)
      } catch {}
      throw error
    }
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch(ignoreMissing)
  }

  async clear(): Promise<void> {
    for (const name of await readdir(this.root).catch(() => [] as string[])) {
      if (name !== 'tmp') await rm(path.join(this.root, name), { recursive: true, force: true })
    }
    this.#madeDirs.clear()
    this.#scannedBytes = 0
    this.#writtenSinceScan = 0
  }

  /**
   * The header of every entry (a scan reads the first 4 KiB of each file, not the values);
   * files that are not entries are removed on the way.
   */
  async *entries(): AsyncGenerator<EntryHeader & { file: string }> {
    for (const info of await this.#scan()) {
      const header = await readHeader(info.file)
      if (header === 'gone') continue
      if (header === undefined) {
        this.#remove(info.file)
        continue
      }
      yield { ...header, file: info.file }
    }
  }

  async removeFile(file: string): Promise<void> {
    await unlink(file).catch(ignoreMissing)
  }

  /** Removes expired and corrupt entries and a dead writer's temp files, then applies maxBytes. */
  async prune(now: number): Promise<number> {
    let removed = 0
    for await (const entry of this.entries()) {
      if (entry.staleUntil <= now) {
        await this.removeFile(entry.file)
        removed++
      }
    }
    await this.evict(true)
    return removed
  }

  /** Applies maxBytes: removes least recently used entries (by mtime) down to 90% of it. */
  evict(force = false): Promise<void> {
    if (this.#evicting) return this.#evicting
    if (!force && this.#scannedBytes !== undefined && this.#scannedBytes + this.#writtenSinceScan <= this.#maxBytes) {
      return Promise.resolve()
    }
    this.#evicting = this.#evict().finally(() => {
      this.#evicting = undefined
    })
    return this.#evicting
  }

  /** Writes pending recency marks and waits for a running eviction. */
  async flush(): Promise<void> {
    await this.#flushTouches()
    await this.#evicting
  }

  async #evict(): Promise<void> {
    await this.#flushTouches()
    this.#writtenSinceScan = 0
    const files = await this.#scan()
    let total = 0
    for (const info of files) total += info.size
    if (total > this.#maxBytes) {
      files.sort((a, b) => a.mtimeMs - b.mtimeMs)
      const target = this.#maxBytes * LOW_WATER
      for (const info of files) {
        if (total <= target) break
        await unlink(info.file).catch(ignoreMissing)
        total -= info.size
      }
    }
    this.#scannedBytes = total
  }

  async #scan(): Promise<FileInfo[]> {
    const out: FileInfo[] = []
    const now = Date.now()
    for (const name of await readdir(this.#tmp).catch(() => [] as string[])) {
      const file = path.join(this.#tmp, name)
      const info = await stat(file).catch(() => undefined)
      if (info && now - info.mtimeMs > STALE_TEMP_MS) await unlink(file).catch(ignoreMissing)
    }
    const dirs = await readdir(this.root).catch(() => [] as string[])
    await Promise.all(
      dirs.map(async (dir) => {
        if (dir === 'tmp' || dir.length !== 2) return
        const sub = path.join(this.root, dir)
        for (const name of await readdir(sub).catch(() => [] as string[])) {
          const file = path.join(sub, name)
          const info = await stat(file).catch(() => undefined)
          if (info?.isFile()) out.push({ file, size: info.size, mtimeMs: info.mtimeMs })
        }
      }),
    )
    return out
  }

  #accountWrite(size: number): void {
    this.#writtenSinceScan += size
    if (this.#scannedBytes === undefined || this.#scannedBytes + this.#writtenSinceScan > this.#maxBytes) {
      // Errors here only delay eviction to the next write; they must not fail the set().
      this.evict().catch(() => {})
    }
  }

  async #ensureDir(dir: string): Promise<void> {
    if (this.#madeDirs.has(dir)) return
    await mkdir(dir, { recursive: true, mode: DIR_MODE })
    this.#madeDirs.add(dir)
  }

  #touch(file: string): void {
    this.#touched.add(file)
    if (!this.#touchTimer) {
      this.#touchTimer = setTimeout(() => void this.#flushTouches(), TOUCH_DELAY_MS)
      // A pending mark must never keep the CLI alive.
      this.#touchTimer.unref()
    }
  }

  async #flushTouches(): Promise<void> {
    if (this.#touchTimer) clearTimeout(this.#touchTimer)
    this.#touchTimer = undefined
    if (this.#touched.size === 0) return
    const files = [...this.#touched]
    this.#touched.clear()
    const now = new Date()
    await Promise.all(files.map((file) => new Promise<void>((resolve) => utimes(file, now, now, () => resolve()))))
  }

  #remove(file: string): void {
    try {
      unlinkSync(file)
    } catch {}
  }
}

/** An entry file's header; 'gone' when the file vanished (evicted or replaced meanwhile). */
async function readHeader(file: string): Promise<EntryHeader | 'gone' | undefined> {
  let handle
  try {
    handle = await open(file, 'r')
  } catch {
    return 'gone'
  }
  try {
    let size = 4096
    for (;;) {
      const buffer = Buffer.allocUnsafe(size)
      const { bytesRead } = await handle.read(buffer, 0, size, 0)
      const header = decodeEntryHeader(buffer.subarray(0, bytesRead))
      if (typeof header !== 'number') return header
      // Longer than this file: a torn or foreign file.
      if (header <= size || bytesRead < size) return undefined
      size = header
    }
  } catch {
    return 'gone'
  } finally {
    await handle.close().catch(() => {})
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // The entry's directory was removed by a concurrent clear(): recreate it once.
      if (code === 'ENOENT' && attempt === 0) {
        await mkdir(path.dirname(to), { recursive: true, mode: DIR_MODE })
        continue
      }
      // Windows refuses to replace a file another process has open; that is brief.
      if (process.platform === 'win32' && (code === 'EPERM' || code === 'EACCES') && attempt < 5) {
        await new Promise((resolve) => setTimeout(resolve, 10 * (attempt + 1)))
        continue
      }
      throw error
    }
  }
}
