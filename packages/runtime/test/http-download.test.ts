import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createHttp } from '../src/http/index.js'
import { useTestServers } from './helpers/http-server.js'
import { useTempDirs } from './helpers/temp-dir.js'

const startServer = useTestServers()
const tempDir = useTempDirs()
const FILE = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251))

/** Serves FILE at any path; honours Range when `ranges`; the first `cutFirst` responses die after 50 kB. */
async function fileServer(options: { ranges: boolean; cutFirst?: number }) {
  let served = 0
  let active = 0
  const state = { peak: 0, ranges: [] as string[] }
  const server = await startServer((req, res) => {
    state.peak = Math.max(state.peak, ++active)
    res.on('close', () => active--)
    const range = options.ranges ? /^bytes=(\d+)-$/.exec(req.headers.range ?? '') : null
    const start = range ? Number(range[1]) : 0
    if (req.headers.range) state.ranges.push(req.headers.range)
    const body = FILE.subarray(start)
    res.writeHead(range ? 206 : 200, { 'content-length': body.length, ...(range ? { 'content-range': `bytes ${start}-${FILE.length - 1}/${FILE.length}` } : {}) })
    if (served++ < (options.cutFirst ?? 0)) {
      res.write(body.subarray(0, 50_000))
      // Long enough for the client to write what it received: a socket reset discards undici's unread buffer.
      return setTimeout(() => res.socket!.destroy(), 300)
    }
    setTimeout(() => res.end(body), 10)
  })
  return { server, state }
}

describe('http download (#13)', () => {
  it('downloads in parallel up to `concurrency`, atomically, with progress', async () => {
    const { server, state } = await fileServer({ ranges: true })
    const dir = tempDir()
    const http = createHttp()
    const progress: number[] = []
    const urls = ['a', 'b', 'c', 'd', 'e'].map((n) => `${server.origin}/files/${n}.bin`)
    const results = await http.download(urls, { dir, concurrency: 2, onProgress: (p) => p.file.endsWith('a.bin') && progress.push(p.received) })
    expect(results.map((r) => path.basename(r.file))).toEqual(['a.bin', 'b.bin', 'c.bin', 'd.bin', 'e.bin'])
    for (const r of results) expect(readFileSync(r.file).equals(FILE)).toBe(true)
    expect(state.peak).toBeLessThanOrEqual(2)
    expect(progress.at(-1)).toBe(FILE.length)
    expect(existsSync(path.join(dir, 'a.bin.part'))).toBe(false)
    await http.close()
  })

  it('an interrupted download leaves only a .part, and the next run resumes it with Range', async () => {
    const { server, state } = await fileServer({ ranges: true, cutFirst: 1 })
    const dir = tempDir()
    const http = createHttp({ retry: false })
    await expect(http.download([`${server.origin}/f.bin`], { dir })).rejects.toThrow()
    expect(existsSync(path.join(dir, 'f.bin'))).toBe(false)
    const partial = statSync(path.join(dir, 'f.bin.part')).size
    expect(partial).toBeGreaterThan(0)
    const [result] = await http.download([`${server.origin}/f.bin`], { dir })
    expect(result).toMatchObject({ resumed: true, bytes: FILE.length })
    expect(state.ranges).toEqual([`bytes=${partial}-`])
    expect(readFileSync(path.join(dir, 'f.bin')).equals(FILE)).toBe(true)
    await http.close()
  })

  it('a server that ignores Range: the part is started over, the file is still whole', async () => {
    const { server } = await fileServer({ ranges: false })
    const dir = tempDir()
    writeFileSync(path.join(dir, 'g.bin.part'), 'stale bytes')
    const http = createHttp()
    const [result] = await http.download([`${server.origin}/g.bin`], { dir })
    expect(result).toMatchObject({ resumed: false, bytes: FILE.length })
    expect(readFileSync(path.join(dir, 'g.bin')).equals(FILE)).toBe(true)
    await expect(http.download([`${server.origin}/`], { dir })).rejects.toThrow(/pass fileName/)
    await expect(http.download(['x'], { dir, concurrency: 0 })).rejects.toThrow(TypeError)
    await http.close()
  })
})
