import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { isBuiltin } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Options, Report } from 'unplugin-cli-optimizer'
import { resolveOptions } from '../packages/unplugin-cli-optimizer/src/core/options.js'
import { BUNDLERS, buildFixture, FIXTURES } from './harness/index.js'

const sum = (report: Report, files: string[], key: 'bytes' | 'gzipBytes' | 'brotliBytes') =>
  files.reduce((s, f) => s + report.chunks.find((c) => c.file === f)![key], 0)

describe('budgets option validation', () => {
  it('accepts the documented rule shapes', () => {
    const resolved = resolveOptions({
      budgets: {
        'initial-bytes': ['error', 1024],
        'total-bytes': ['warn', 2_000_000],
        'chunk-bytes': ['error', { max: 300_000, compression: 'brotli' }],
        'duplicate-packages': 'error',
        regression: ['error', { percent: 5, minBytes: 512 }],
        compression: 'gzip',
        entries: { cli: { 'initial-bytes': ['error', 4096], 'total-bytes': 'off' } },
      },
    }).budgets
    expect(resolved).toMatchObject({
      compression: 'gzip',
      'initial-bytes': { severity: 'error', max: 1024, compression: 'gzip' },
      'chunk-bytes': { severity: 'error', max: 300_000, compression: 'brotli' },
      'duplicate-packages': { severity: 'error' },
      regression: { severity: 'error', percent: 5, minBytes: 512 },
      entries: { cli: { 'initial-bytes': { max: 4096 }, 'total-bytes': null } },
    })
  })

  it('names the faulty rule, the expected shape and the value', () => {
    expect(() => resolveOptions({ budgets: { 'initial-bytes': ['fatal', 1] } as never })).toThrow(
      /budgets\['initial-bytes'\]\[0\] must be 'off', 'warn' or 'error', got string "fatal"/,
    )
    expect(() => resolveOptions({ budgets: { 'total-bytes': ['error', -1] } })).toThrow(/budgets\['total-bytes'\]\[1\] must be a non-negative number/)
    expect(() => resolveOptions({ budgets: { 'initial-byte': ['error', 1] } as never })).toThrow(/unknown option budgets\.initial-byte/)
    expect(() => resolveOptions({ budgets: { compression: 'zstd' } as never })).toThrow(/budgets\.compression must be 'raw', 'gzip' or 'brotli'/)
    expect(() => resolveOptions({ baseline: 3 } as never)).toThrow(/baseline must be a non-empty string path, got number 3/)
  })
})

describe.each(BUNDLERS)('budgets (%s)', (bundler) => {
  afterEach(() => vi.restoreAllMocks())

  it('passes and records every check when the limits hold (issue 5)', async () => {
    const built = await buildFixture('report-basic', bundler, {
      plugin: { budgets: { 'initial-bytes': ['error', 10_000_000], 'total-bytes': ['error', 10_000_000], 'chunk-bytes': ['warn', 10_000_000], 'duplicate-packages': 'error' } },
    })
    const results = built.report!.budgets!.results
    expect(results.map((r) => r.rule)).toEqual(expect.arrayContaining(['initial-bytes', 'total-bytes', 'chunk-bytes', 'duplicate-packages']))
    expect(results.every((r) => r.passed)).toBe(true)
    const initial = results.find((r) => r.rule === 'initial-bytes')!
    expect(initial.actual).toBe(built.report!.entries[0]!.initialBytes)
    expect(await built.run()).toEqual(await built.runSource())
  })

  it('fails the build on an error violation, naming rule, limit, actual figure and contributors (issue 5)', async () => {
    const error = await buildFixture('report-basic', bundler, { plugin: { budgets: { 'initial-bytes': ['error', 1024] } } }).then(
      () => undefined,
      (e: unknown) => e as Error,
    )
    expect(error, 'the build must fail').toBeInstanceOf(Error)
    const message = String(error!.message)
    expect(message).toContain('CLI_OPTIMIZER_BUDGET_EXCEEDED')
    expect(message).toMatch(/initial-bytes: entry main loads at start [\d.]+ KiB \([\d,]+ B\), over the limit of 1\.0 KiB \(1,024 B\)/)
    expect(message).toMatch(/biggest contributors: semver [\d.]+ KiB/)
  })

  it('measures in the chosen compression and lets an entry override a rule (issue 5)', async () => {
    const built = await buildFixture('report-basic', bundler, {
      plugin: {
        budgets: { compression: 'gzip', 'initial-bytes': ['error', 1], entries: { main: { 'initial-bytes': ['warn', { max: 2, compression: 'brotli' }] } } },
        report: { terminal: false },
      },
    }).catch((e: Error) => e)
    // The per-entry `warn` replaces the top-level `error`, so the build succeeds.
    expect(built).not.toBeInstanceOf(Error)
    const report = (built as Awaited<ReturnType<typeof buildFixture>>).report!
    const [result] = report.budgets!.results
    expect(result).toMatchObject({ rule: 'initial-bytes', severity: 'warn', compression: 'brotli', limit: 2, passed: false })
    expect(result!.actual).toBe(sum(report, report.entries[0]!.initialFiles, 'brotliBytes'))
    expect(report.budgets!.compression).toBe('gzip')
  })

  it('reports warn violations through the bundler\'s logger with a code, and keeps building (issues 5, 16)', async () => {
    const writes: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk))
      return true
    })
    const built = await buildFixture('report-basic', bundler, { plugin: { budgets: { 'chunk-bytes': ['warn', 100] } } })
    vi.restoreAllMocks()
    expect(built.report!.budgets!.results.some((r) => !r.passed)).toBe(true)
    // The harness silences the bundlers' logs: nothing bypasses them on stderr.
    expect(writes.join('')).not.toContain('budget warning')
  })

  it('fails on a package bundled twice, listing both copies (issue 5)', async () => {
    const error = await buildFixture('report-dupes', bundler, { plugin: { budgets: { 'duplicate-packages': 'error' } } }).then(
      () => undefined,
      (e: Error) => e,
    )
    expect(error?.message).toMatch(/duplicate-packages: package left-pad-lite is bundled 2 times \(limit 1\)/)
    expect(error?.message).toContain('node_modules/formatter/node_modules/left-pad-lite')
  })

  it('checks growth against a baseline report and fails on a regression (issue 5)', async () => {
    const first = await buildFixture('report-basic', bundler)
    // A baseline whose chunks were 20% smaller: the same build has now grown by 25%.
    const baseline: Report = structuredClone(first.report!)
    for (const chunk of baseline.chunks) {
      chunk.bytes = Math.round(chunk.bytes * 0.8)
      chunk.gzipBytes = Math.round(chunk.gzipBytes * 0.8)
      chunk.brotliBytes = Math.round(chunk.brotliBytes * 0.8)
      for (const m of chunk.modules) m.bytes = Math.round(m.bytes * 0.8)
    }
    const baselineFile = path.join(path.dirname(first.outDir), 'baseline.json')
    await writeFile(baselineFile, JSON.stringify(baseline))
    const tolerant = await buildFixture('report-basic', bundler, { plugin: { baseline: baselineFile, budgets: { regression: ['error', { percent: 30 }] } } })
    expect(tolerant.report!.budgets!.results.filter((r) => r.rule === 'regression').map((r) => r.passed)).toEqual([true, true])
    const error = await buildFixture('report-basic', bundler, { plugin: { baseline: baselineFile, budgets: { regression: ['error', { percent: 5, minBytes: 512 }] } } }).then(
      () => undefined,
      (e: Error) => e,
    )
    expect(error?.message).toMatch(/regression: entry main \(initial\) went from .* \(\+[\d,]+ B, \+25\.\d%\); allowed growth 5%/)
    expect(error?.message).toMatch(/biggest contributors: semver \+/)
  })

  it('names the baseline file when it is missing or malformed (issue 5)', async () => {
    const missing = path.join(path.dirname((await buildFixture('report-basic', bundler, { plugin: { runtime: false } })).outDir), 'nope.json')
    await expect(buildFixture('report-basic', bundler, { plugin: { baseline: missing } })).rejects.toThrow(
      new RegExp(`CLI_OPTIMIZER_REPORT_READ.*${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(option baseline\\): the file does not exist`),
    )
    const malformed = missing.replace('nope.json', 'malformed.json')
    await writeFile(malformed, '{"schemaVersion": 1, "entries": [')
    await expect(buildFixture('report-basic', bundler, { plugin: { baseline: malformed } })).rejects.toThrow(/malformed\.json \(option baseline\) is not valid JSON/)
    expect(JSON.parse(await readFile(path.join(path.dirname(missing), 'report.json'), 'utf8')).schemaVersion).toBe(1)
  })
})

describe('budget warnings reach the bundler\'s logger (issue 16)', () => {
  const root = path.join(FIXTURES, 'report-basic')
  const plugin = (dir: string): Options => ({ root, report: { json: path.join(dir, 'report.json'), terminal: false }, budgets: { 'chunk-bytes': ['warn', 100] } })

  it('Rollup: this.warn({ code, message }), seen by onwarn as pluginCode', async () => {
    const { rollup } = await import('rollup')
    const { default: cliOptimizer } = await import('unplugin-cli-optimizer/rollup')
    const dir = await mkdtemp(path.join(os.tmpdir(), 'budget-warn-rollup-'))
    const warnings: Array<{ code?: string; pluginCode?: unknown; message: string; plugin?: string }> = []
    const bundle = await rollup({ input: path.join(root, 'main.js'), external: isBuiltin, plugins: [cliOptimizer(plugin(dir))], onwarn: (w) => void warnings.push(w) })
    await bundle.write({ dir: path.join(dir, 'out'), format: 'esm' })
    await bundle.close()
    // Rollup files a plugin's own code under `pluginCode` (its `code` becomes PLUGIN_WARNING).
    const budget = warnings.filter((w) => w.pluginCode === 'CLI_OPTIMIZER_BUDGET_WARNING')
    expect(budget.length).toBeGreaterThan(0)
    expect(budget[0]!.message).toMatch(/budget warning: chunk-bytes: chunk \S+ is .*over the limit of 100 B/)
  })

  it('esbuild: result.warnings with the code as id', async () => {
    const esbuild = await import('esbuild')
    const { default: cliOptimizer } = await import('unplugin-cli-optimizer/esbuild')
    const dir = await mkdtemp(path.join(os.tmpdir(), 'budget-warn-esbuild-'))
    const result = await esbuild.build({
      entryPoints: { main: path.join(root, 'main.js') },
      outdir: path.join(dir, 'out'),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'silent',
      plugins: [cliOptimizer(plugin(dir))],
    })
    const budget = result.warnings.filter((w) => w.id === 'CLI_OPTIMIZER_BUDGET_WARNING')
    expect(budget.length).toBeGreaterThan(0)
    expect(budget[0]!.text).toMatch(/budget warning: chunk-bytes/)
    expect(budget[0]!.pluginName).toBe('cli-optimizer')
  })
})
