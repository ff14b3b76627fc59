import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdir, rename, stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Http } from './http-client.js'

export interface DownloadProgress {
  url: string
  file: string
  /** Bytes on disk for this file so far (a resumed part included). */
  received: number
  /** Full size when the server said it, else undefined. */
  total: number | undefined
}

export interface DownloadOptions {
  /** Directory the files are written to (created when missing). */
  dir: string
  /**
   * Files downloaded at once.
   * @default 4
   */
  concurrency?: number
  /** Called as bytes arrive (at most once per chunk). */
  onProgress?: (progress: DownloadProgress) => void
  /**
   * File name of a URL inside `dir`.
   * @default the URL's last path segment
   */
  fileName?: (url: URL) => string
  signal?: AbortSignal
}

export interface DownloadResult {
  url: string
  file: string
  bytes: number
  /** Whether an earlier partial download was continued with `Range`. */
  resumed: boolean
}

function defaultName(url: URL): string {
  const name = decodeURIComponent(url.pathname.split('/').filter(Boolean).pop() ?? '')
  if (!name || name === '.' || name === '..' || /[\\/\0]/.test(name)) throw new TypeError(`[cli-optimizer] download cannot name a file after ${url.origin}${url.pathname}; pass fileName`)
  return name
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then((s) => s.size, () => 0)
}

async function downloadOne(http: Http, input: string, options: DownloadOptions): Promise<DownloadResult> {
  const url = new URL(input)
  const file = path.join(options.dir, (options.fileName ?? defaultName)(url))
  // The part file stays next to the target: rename() is then atomic (same file system), and a
  // later run finds it to resume.
  const part = `${file}.part`
  const have = await sizeOf(part)
  const response = await http.request(url, { headers: have > 0 ? { range: `bytes=${have}-` } : {}, signal: options.signal })
  const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(String(response.headers['content-range'] ?? ''))
  const resumed = response.statusCode === 206 && range !== null && Number(range[1]) === have
  if (response.statusCode !== 200 && !resumed) {
    await response.body.dump()
    throw new Error(`download of ${url.origin}${url.pathname} failed: status ${response.statusCode}`)
  }
  const length = Number(response.headers['content-length'])
  const total = resumed ? (range![2] === '*' ? undefined : Number(range![2])) : Number.isFinite(length) ? length : undefined
  let received = resumed ? have : 0
  response.body.on('data', (chunk: Buffer) => {
    received += chunk.length
    options.onProgress?.({ url: input, file, received, total })
  })
  // A server that ignored Range sends the whole file: start the part over.
  const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' })
  try {
    await pipeline(response.body, out)
  } catch (error) {
    // The bytes received so far must be on disk for the next run to resume from them.
    if (!out.closed) await once(out, 'close')
    throw error
  }
  if (total !== undefined && received !== total) throw new Error(`download of ${url.origin}${url.pathname} is incomplete: ${received} of ${total} bytes`)
  await rename(part, file)
  return { url: input, file, bytes: received, resumed }
}

/**
 * Downloads `urls` into `options.dir`, `concurrency` at a time. Each file streams to `<name>.part`
 * and is renamed into place once complete, so a file under its final name is always whole; a
 * `.part` left by an interrupted run is continued with `Range` when the server allows it (`206`),
 * else downloaded again. Rejects on the first failure; files already finished stay.
 */
export async function downloadWith(http: Http, urls: readonly string[], options: DownloadOptions): Promise<DownloadResult[]> {
  if (!Array.isArray(urls) || !urls.every((u) => typeof u === 'string')) throw new TypeError('[cli-optimizer] download urls must be an array of strings')
  if (typeof options?.dir !== 'string' || options.dir === '') throw new TypeError('[cli-optimizer] download dir must be a non-empty string path')
  const concurrency = options.concurrency ?? 4
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`[cli-optimizer] download concurrency must be an integer >= 1, got ${String(concurrency)}`)
  await mkdir(options.dir, { recursive: true })
  const results: DownloadResult[] = new Array(urls.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, urls.length) }, async () => {
      while (next < urls.length) {
        const index = next++
        results[index] = await downloadOne(http, urls[index]!, options)
      }
    }),
  )
  return results
}
