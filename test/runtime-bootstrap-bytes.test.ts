import { stat } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Options } from 'unplugin-cli-optimizer'
import { resolveRuntimeOptions } from '../packages/unplugin-cli-optimizer/src/runtime-inject/runtime-options.js'
import { BUNDLERS, buildFixture, loadedFiles, type BuiltFixture } from './harness/index.js'

/**
 * What each runtime service adds to the bytes `--version` loads, against `runtime: true`, before
 * its first use (#13, #14, #15). Bytes are deterministic for a given bundler version, so the bounds
 * sit just above what was measured: a change that grows the bootstrap fails here.
 * Figures: `CLI_OPTIMIZER_PRINT_BYTES=1 npx vitest run test/runtime-bootstrap-bytes.test.ts`.
 */
const CASES: { name: string; runtime: Options['runtime']; max: number }[] = [
  // The lazy global fetch (86-97 B as the bundlers print it): the 100 B target.
  { name: 'http: true', runtime: { http: true }, max: 100 },
  // Written options equal to the defaults are not carried: nothing at all for scale.
  { name: 'scale with default values', runtime: { scale: { concurrency: 10, minThreads: 1, prefix: 'cli-optimizer' } }, max: 0 },
  { name: 'http with default values', runtime: { http: { connections: 16, retry: { limit: 2 }, proxy: 'env' } }, max: 100 },
  // Off unless CLI_OPTIMIZER_MONITOR=1: the variable check (~100 B) and `enabled: false` in the
  // config (~80 B; a program calling startMonitor() itself must still find the monitor off).
  { name: 'monitor: { enabled: false }', runtime: { monitor: { enabled: false } }, max: 215 },
  // Started only when a variable names an exporter: the three names alone are 81 B.
  { name: 'metrics without an exporter', runtime: { metrics: {} }, max: 195 },
]

async function loadedBytes(built: BuiltFixture): Promise<{ files: number; bytes: number }> {
  const files = await loadedFiles(built, ['--version'])
  let bytes = 0
  for (const file of files) bytes += (await stat(path.join(built.outDir, file))).size
  return { files: files.length, bytes }
}

describe.each(BUNDLERS)('runtime services add at most their bound to --version before first use (%s)', (bundler) => {
  it.each(CASES)('$name', async ({ name, runtime, max }) => {
    const [base, withService] = await Promise.all([
      buildFixture('runtime-http', bundler, { plugin: { cacheDir: false, runtime: true } }),
      buildFixture('runtime-http', bundler, { plugin: { cacheDir: false, runtime } }),
    ])
    expect(await withService.run(['--version'])).toEqual({ code: 0, stdout: '1.0.0\n', stderr: '' })
    const [a, b] = await Promise.all([loadedBytes(withService), loadedBytes(base)])
    if (process.env.CLI_OPTIMIZER_PRINT_BYTES) console.log(`${bundler} ${name}: +${a.bytes - b.bytes} B (${a.bytes} B vs ${b.bytes} B)`)
    expect(a.files).toBe(b.files)
    expect(a.bytes - b.bytes).toBeLessThanOrEqual(max)
  })
})

describe('the bootstrap carries only options that differ from the defaults (#13, #14, #15)', () => {
  it('drops keys equal to the runtime defaults, nested ones too, and keeps the rest as written', () => {
    const { services } = resolveRuntimeOptions({
      http: { connections: 16, keepAliveTimeout: 1000, retry: { limit: 2, minDelay: 100 }, cache: { dir: '/c', maxBytes: 50 * 1024 * 1024 }, proxy: 'env' },
      monitor: { enabled: true, intervalMs: 1000, policy: 'stop', leak: { minSamples: 4 } },
      metrics: { prefix: 'cli_', job: 'devkit', push: { url: 'http://127.0.0.1:9091', method: 'put', timeoutMs: 500 } },
      scale: { concurrency: 10, maxThreads: 2, redis: 'redis://127.0.0.1:6379' },
    }) as { services: Record<string, unknown> }
    expect(services).toEqual({
      http: { keepAliveTimeout: 1000, retry: { minDelay: 100 }, cache: { dir: '/c' } },
      monitor: { policy: 'stop' },
      // `job` stays: its default is the name of the script that runs, unknown at build time.
      metrics: { job: 'devkit', push: { url: 'http://127.0.0.1:9091', timeoutMs: 500 } },
      scale: { maxThreads: 2 },
    })
  })

  it('keeps a value equal to a default that only holds when a variable is unset', () => {
    // summary defaults to CLI_OPTIMIZER_MONITOR === '1': `false` is a choice, not the default.
    expect(resolveRuntimeOptions({ monitor: { summary: false } })).toMatchObject({ services: { monitor: { summary: false } } })
    expect(resolveRuntimeOptions({ monitor: { enabled: false } })).toMatchObject({ services: { monitor: { enabled: false } } })
  })
})
