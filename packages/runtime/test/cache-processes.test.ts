import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCache } from '../src/cache/index.js'
import { cacheModuleForChildren, cacheModuleWithoutIoredis, removeChildBundle, WORKERS_DIR } from './helpers/cache-bundle.js'
import { useTempDirs } from './helpers/temp-dir.js'
// @ts-expect-error plain ES module shared with the workers
import { checkValue } from './workers/value.mjs'

const tempDir = useTempDirs()
let cacheModule = ''

beforeAll(async () => {
  cacheModule = await cacheModuleForChildren()
})

afterAll(removeChildBundle)

interface Finished {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

function runWorker(name: string, env: Record<string, string>, onStdout?: (text: string, kill: () => void) => void): Promise<Finished> {
  const child = spawn(process.execPath, [path.join(WORKERS_DIR, name)], {
    env: { ...process.env, CACHE_MODULE: cacheModule, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString()
    onStdout?.(stdout, () => child.kill('SIGKILL'))
  })
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()))
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })))
}

describe('cache reliability across processes (#7)', () => {
  it('a writer killed with SIGKILL mid-write leaves every key complete or missing', async () => {
    const dir = tempDir()
    // Three writers in turn on one directory, each killed at a random moment after ten writes of
    // 0.5-2.3 MB values: about half the kills land inside a write (a partial temp file remains).
    for (let round = 0; round < 3; round++) {
      let armed = false
      const result = await runWorker('writer.mjs', { CACHE_DIR: dir }, (stdout, kill) => {
        if (armed || stdout.split('\n').length <= 10) return
        armed = true
        setTimeout(kill, Math.random() * 30)
      })
      expect(result.signal).toBe('SIGKILL')
    }
    const cache = createCache({ disk: { dir }, memory: false })
    let complete = 0
    for (let i = 0; i < 20; i++) {
      const key = `k${i}`
      if (checkValue(key, await cache.get(key))) complete++
    }
    expect(complete).toBeGreaterThanOrEqual(10)
    expect(cache.stats().levels.disk?.corrupt).toBe(0)
  })

  it('four processes reading and writing the same keys: no error, no wrong value', async () => {
    const dir = tempDir()
    const results = await Promise.all(['1', '2', '3', '4'].map((id) => runWorker('mixed.mjs', { CACHE_DIR: dir, WORKER_ID: id, DURATION_MS: '2500' })))
    for (const result of results) {
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const { ops, hits, stats } = JSON.parse(result.stdout)
      expect(ops).toBeGreaterThan(50)
      expect(hits).toBeGreaterThan(0)
      expect(stats.levels.disk.enabled).toBe(true)
    }
  })

  it.each(['natural', 'exit'])('writeBehind flushes its queue when the process ends (%s)', async (how) => {
    const dir = tempDir()
    const result = await runWorker('write-behind-exit.mjs', { CACHE_DIR: dir, HOW: how })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const cache = createCache({ disk: { dir } })
    for (let i = 0; i < 50; i++) expect(await cache.get(`k${i}`)).toEqual({ i })
  })

  it('memory and disk levels never import ioredis; a missing ioredis only turns Redis off', async () => {
    const module = await cacheModuleWithoutIoredis(tempDir())
    const result = await runWorker('no-ioredis.mjs', { CACHE_MODULE: module, CACHE_DIR: tempDir() })
    expect(result.stderr).toBe('')
    const { local, redis, warnings } = JSON.parse(result.stdout)
    expect(local).toBe(1)
    expect(redis).toBe(2) // from memory
    expect(warnings).toHaveLength(1)
    expect(warnings[0].code).toBe('CLI_OPTIMIZER_CACHE_REDIS_UNAVAILABLE')
    expect(warnings[0].message).toContain('ioredis')
  })
})
