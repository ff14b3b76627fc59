import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ModuleGraph } from '../packages/unplugin-cli-optimizer/src/barrels/module-graph.js'
import type { ModuleFacts } from '../packages/unplugin-cli-optimizer/src/barrels/module-facts.js'
import { contentKey, createAnalysisCache } from '../packages/unplugin-cli-optimizer/src/cache/analysis-cache.js'

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'cli-optimizer-cache-'))
}

async function logFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.log')).map((f) => path.join(dir, f))
}

describe('persistent analysis cache', () => {
  it('persists entries across instances, keyed by content and version (issue 4)', async () => {
    const dir = await tempDir()
    const key = contentKey('facts', '.js', 'export const a = 1')
    await createAnalysisCache<{ n: number }>({ dir, version: '1.0.0' }).set(key, { n: 1 })
    const again = createAnalysisCache<{ n: number }>({ dir, version: '1.0.0' })
    expect(await again.get(key)).toEqual({ n: 1 })
    expect(again.stats).toMatchObject({ hits: 1, misses: 0 })
    expect(await createAnalysisCache({ dir, version: '1.0.1' }).get(key)).toBeUndefined()
    expect(contentKey('facts', '.js', 'export const a = 2')).not.toBe(key)
    await rm(dir, { recursive: true, force: true })
  })

  it('ignores a corrupt or truncated entry and rewrites it (issue 4)', async () => {
    const dir = await tempDir()
    const cache = createAnalysisCache<{ n: number }>({ dir, version: 'v' })
    await cache.set('k', { n: 1 })
    const [file] = await logFiles(dir)
    const good = await readFile(file!, 'utf8')
    const truncated = good.trimEnd().slice(0, -3)
    for (const garbage of [truncated, '', 'null', '{"version":"v","key":"k","value":{"n":9}}', good.replace('{"n":1}', '{"n":12'), good.replace('{"n":1}', '[1,2]}')]) {
      await writeFile(file!, garbage)
      const fresh = createAnalysisCache<{ n: number }>({ dir, version: 'v' })
      expect(await fresh.get('k')).toBeUndefined()
      await fresh.set('k', { n: 2 })
      expect(await createAnalysisCache<{ n: number }>({ dir, version: 'v' }).get('k')).toEqual({ n: 2 })
    }
    expect((await readdir(path.dirname(file!))).filter((f) => f.endsWith('.tmp'))).toEqual([])
    await rm(dir, { recursive: true, force: true })
  })

  it('keeps the good entries next to a corrupt one, and reads a log that is not a file as empty (issue 4)', async () => {
    const dir = await tempDir()
    const cache = createAnalysisCache<{ n: number }>({ dir, version: 'v' })
    await Promise.all([cache.set('a', { n: 1 }), cache.set('b', { n: 2 }), cache.set('c', { n: 3 })])
    expect(cache.stats.writes).toBe(3)
    const [file] = await logFiles(dir)
    await writeFile(file!, (await readFile(file!, 'utf8')).replace('{"n":2}', '{"n":2'))
    const fresh = createAnalysisCache<{ n: number }>({ dir, version: 'v' })
    expect([await fresh.get('a'), await fresh.get('b'), await fresh.get('c')]).toEqual([{ n: 1 }, undefined, { n: 3 }])
    await rm(file!)
    await mkdir(file!)
    expect(await createAnalysisCache({ dir, version: 'v' }).get('a')).toBeUndefined()
    await rm(dir, { recursive: true, force: true })
  })

  it('never fails a build when the folder cannot be written or read (issue 4)', async () => {
    const dir = await tempDir()
    const blocked = path.join(dir, 'a-file')
    await writeFile(blocked, 'not a folder')
    const cache = createAnalysisCache<number>({ dir: blocked, version: 'v' })
    await expect(cache.set('k', 1)).resolves.toBeUndefined()
    expect(await cache.get('k')).toBe(1)
    expect(await createAnalysisCache<number>({ dir: blocked, version: 'v' }).get('k')).toBeUndefined()
    await rm(dir, { recursive: true, force: true })
  })

  it('a second build re-analyses only the modules that changed (issue 4)', async () => {
    const dir = await tempDir()
    const src = path.join(dir, 'src')
    await mkdir(src)
    const files = ['a.js', 'b.js', 'c.js'].map((f) => path.join(src, f))
    for (const [i, file] of files.entries()) await writeFile(file, `export const v${i} = ${i}\n`)
    const run = async () => {
      const cache = createAnalysisCache<ModuleFacts>({ dir: path.join(dir, 'cache'), version: 'v' })
      const graph = new ModuleGraph(cache)
      for (const file of files) expect(await graph.facts(file)).toBeDefined()
      return cache.stats
    }
    expect(await run()).toMatchObject({ hits: 0, misses: 3, writes: 3 })
    expect(await run()).toMatchObject({ hits: 3, misses: 0, writes: 0 })
    await writeFile(files[1]!, 'export const changed = true\n')
    expect(await run()).toMatchObject({ hits: 2, misses: 1, writes: 1 })
    expect(await logFiles(path.join(dir, 'cache'))).toHaveLength(1)
    await rm(dir, { recursive: true, force: true })
  })
})
