import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUNDLERS, buildFixture, FIXTURES, TEST_ROOT } from './harness/index.js'

/**
 * Rolldown >= 1.3 gives ESM output for `platform: 'node'` its own `require`, `__filename` and
 * `__dirname`: there the plugin must add nothing, and the plain build already runs.
 */
const BUNDLER_SHIMS_CJS = new Set(['rolldown'])

const shimsOf = (transforms: Array<Record<string, unknown>>) =>
  transforms.filter((t) => t.kind === 'require-shim' && t.applied).map((t) => t.name)

describe.each(BUNDLERS)('node compat in ESM output (%s)', (bundler) => {
  it('issue 3: bundled CommonJS gets require, __filename and __dirname, only in the chunk that reads them', async () => {
    const built = await buildFixture('compat-cjs', bundler)
    const run = await built.run()
    expect(run).toEqual(await built.runSource())
    expect(run.stdout).toContain('filenameExists: true')
    expect(run.stdout).toContain('optional: absent (MODULE_NOT_FOUND)')

    const report = built.report!
    const names = shimsOf(report.transforms)
    if (BUNDLER_SHIMS_CJS.has(bundler)) {
      expect(names).toEqual([])
      return
    }
    expect(names).toContain('__dirname')
    expect(names).toContain('__filename')
    const shim = report.transforms.find((t) => t.kind === 'require-shim' && t.name === '__dirname')!
    expect(shim.line).toBeGreaterThan(0)
    expect(shim.column).toBeGreaterThan(0)

    // The chunk of the pure ESM module reads no CommonJS global: nothing is injected there.
    const plainChunk = report.chunks.find((c) => c.modules.some((m) => m.id === 'plain.js'))!
    const plainCode = await readFile(path.join(built.outDir, plainChunk.file), 'utf8')
    expect(plainCode).not.toMatch(/__cliOptimizer|createRequire/)
    // Chunk sizes in the report are of the files as finally written, injections included.
    for (const chunk of report.chunks) {
      expect(chunk.bytes).toBe((await readFile(path.join(built.outDir, chunk.file))).byteLength)
    }
  })

  it('issue 3: a build without the plugin fails at runtime where the plugin build runs (esbuild has no banner here)', async () => {
    const built = await buildFixture('compat-cjs', bundler, { plugin: { nodeCompat: false } })
    const run = await built.run()
    if (BUNDLER_SHIMS_CJS.has(bundler)) {
      expect(run).toEqual(await built.runSource())
      return
    }
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/Dynamic require of "\w+" is not supported|__dirname is not defined|require is not defined/)
  })

  it('issue 3: a dynamic import of a package that is not installed stays a runtime import, with a warning', async () => {
    const built = await buildFixture('compat-optional', bundler)
    const run = await built.run()
    expect(run).toEqual(await built.runSource())
    expect(run.stdout).toBe('optional package absent (ERR_MODULE_NOT_FOUND)\nother absent (ERR_MODULE_NOT_FOUND)\n')
    // Bundlers resolve a module's imports in parallel: the report order is not the source order.
    const optional = built.report!.transforms.filter((t) => t.kind === 'optional-import').sort((a, b) => a.line! - b.line!)
    expect(optional.map((t) => [t.source, t.line, t.column, t.applied])).toEqual([
      ['cli-optimizer-missing-optional-pkg', 4, 23, true],
      ['cli-optimizer-missing-other-pkg', 11, 24, true],
    ])
  })
})

describe('node compat with esbuild source maps', () => {
  it('issue 3: the chunk that gets the shim line has its source map shifted by that line', async () => {
    const esbuild = await import('esbuild')
    const { default: plugin } = await import('unplugin-cli-optimizer/esbuild')
    const root = path.join(FIXTURES, 'compat-cjs')
    const build = (outdir: string, nodeCompat: boolean) =>
      esbuild.build({
        absWorkingDir: root,
        entryPoints: { main: 'main.js' },
        outdir,
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'node',
        sourcemap: true,
        logLevel: 'silent',
        plugins: [plugin({ root, nodeCompat, lazy: false, runtime: false, report: false })],
      })
    const dir = path.join(TEST_ROOT, '.tmp', `compat-cjs-sourcemap-${process.pid}`)
    await build(path.join(dir, 'without'), false)
    await build(path.join(dir, 'with'), true)
    const mappings = async (variant: string) => JSON.parse(await readFile(path.join(dir, variant, 'main.js.map'), 'utf8')).mappings as string
    const code = await readFile(path.join(dir, 'with', 'main.js'), 'utf8')
    expect(code.split('\n')[0]).toContain('__cliOptimizer')
    expect(await mappings('with')).toBe(`;${await mappings('without')}`)
  })
})
