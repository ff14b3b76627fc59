import { availableParallelism } from 'node:os'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveRuntimeOptions } from '../packages/unplugin-cli-optimizer/src/runtime-inject/runtime-options.js'
import { BUNDLERS, buildFixture, loadedFiles } from './harness/index.js'

describe('runtime.scale option (issue 15)', () => {
  it('validates the options, naming the path, and keeps only what was set', () => {
    expect(resolveRuntimeOptions({ scale: true })).toMatchObject({ services: { scale: {} } })
    expect(resolveRuntimeOptions({ scale: { maxThreads: 4, redis: 'redis://10.0.0.2:6379' } })).toMatchObject({ services: { scale: { maxThreads: 4, redis: 'redis://10.0.0.2:6379' } } })
    expect(() => resolveRuntimeOptions({ scale: { maxThreads: 0 } })).toThrow(/runtime.scale.maxThreads must be a positive integer, got number 0/)
    expect(() => resolveRuntimeOptions({ scale: { minThreads: 5, maxThreads: 2 } })).toThrow(/runtime.scale.minThreads must be at most runtime.scale.maxThreads \(2\)/)
    expect(() => resolveRuntimeOptions({ scale: { redis: 'localhost' } })).toThrow(/runtime.scale.redis must be a redis:\/\/ or rediss:\/\/ URL/)
    expect(() => resolveRuntimeOptions({ scale: { threads: 2 } })).toThrow(/runtime.scale/)
    expect(() => resolveRuntimeOptions({ scale: 'yes' })).toThrow(/runtime.scale must be/)
  })
})

describe.each(BUNDLERS)('runtime.scale injection: %s', (bundler) => {
  it('the build-time defaults reach the scale service; --version loads nothing more than without it', async () => {
    const [withScale, without] = await Promise.all([
      buildFixture('scale-inject', bundler, { plugin: { runtime: { scale: { maxThreads: 3, minThreads: 2, concurrency: 4 } } } }),
      buildFixture('scale-inject', bundler, { plugin: {} }),
    ])
    const configured = await withScale.run()
    expect(configured.stderr).toBe('')
    expect(JSON.parse(configured.stdout)).toEqual({ maxThreads: 3, minThreads: 2, concurrency: 4, double: 42 })
    // Without the service the runtime's own defaults apply, computed where the CLI runs.
    expect(JSON.parse((await without.run()).stdout)).toEqual({ maxThreads: availableParallelism(), minThreads: 1, concurrency: 10, double: 42 })

    const [loadedWith, loadedWithout] = await Promise.all([loadedFiles(withScale, ['--version']), loadedFiles(without, ['--version'])])
    expect(loadedWith.length).toBe(loadedWithout.length)
    const bytes = async (built: typeof withScale, files: string[]) => (await Promise.all(files.map((f) => stat(path.join(built.outDir, f))))).reduce((sum, s) => sum + s.size, 0)
    const extra = (await bytes(withScale, loadedWith)) - (await bytes(without, loadedWithout))
    // Only the config statement the bootstrap sets for every service, here with three options:
    // globalThis[Symbol.for("cli-optimizer.runtime")] = {"scale":{...}}; (~60 B plus the options).
    expect(extra).toBeGreaterThan(0)
    expect(extra).toBeLessThanOrEqual(60 + JSON.stringify({ maxThreads: 3, minThreads: 2, concurrency: 4 }).length + 30)
  })
})
