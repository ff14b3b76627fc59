import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../packages/unplugin-cli-optimizer/src/cli/main.js'
import { compareReports, matchChunks } from '../packages/unplugin-cli-optimizer/src/compare/compare-reports.js'
import { stripContentHash } from '../packages/unplugin-cli-optimizer/src/compare/strip-hash.js'
import type { ReportChunk } from 'unplugin-cli-optimizer'
import { BUNDLERS, buildFixture } from './harness/index.js'

function capture() {
  const out = { stdout: '', stderr: '' }
  return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } }
}

describe('chunk names across builds', () => {
  it('strips Rollup, Vite and esbuild content hashes but keeps real names', () => {
    expect(stripContentHash('cli-Xsw7wTqa.js')).toBe('cli-[hash].js')
    expect(stripContentHash('chunk-IYWUY3VA.js')).toBe('chunk-[hash].js')
    expect(stripContentHash('assets/foo-bar-DXX_tp5b.mjs')).toBe('assets/foo-bar-[hash].mjs')
    expect(stripContentHash('cli.js')).toBe('cli.js')
    expect(stripContentHash('commands-validate.js')).toBe('commands-validate.js')
    // Base64url hashes without a digit or capital (it happened: the minified playground's chunk did not match).
    expect(stripContentHash('schema-fb7e4633-smniqjt_.js')).toBe('schema-fb7e4633-[hash].js')
    expect(stripContentHash('schema-fb7e4633-smniqjtq.js')).toBe('schema-fb7e4633-[hash].js')
  })

  it('pairs same-named chunks by the modules they share', () => {
    const chunk = (file: string, ids: string[]): ReportChunk => ({
      file, bytes: 10, gzipBytes: 5, brotliBytes: 4, isEntry: false, imports: [], dynamicImports: [],
      modules: ids.map((id) => ({ id, package: null, bytes: 5 })),
    })
    const pairs = matchChunks(
      [chunk('chunk-AAAAAAA1.js', ['a.js', 'b.js']), chunk('chunk-BBBBBBB1.js', ['c.js'])],
      [chunk('chunk-CCCCCCC2.js', ['c.js', 'd.js']), chunk('chunk-DDDDDDD2.js', ['a.js', 'b.js']), chunk('chunk-EEEEEEE2.js', ['z.js'])],
    )
    const byHead = Object.fromEntries(pairs.map(([b, h]) => [h?.file ?? `removed:${b!.file}`, b?.file ?? 'added']))
    expect(byHead).toEqual({ 'chunk-DDDDDDD2.js': 'chunk-AAAAAAA1.js', 'chunk-CCCCCCC2.js': 'chunk-BBBBBBB1.js', 'chunk-EEEEEEE2.js': 'added' })
  })
})

describe.each(BUNDLERS)('comparison of two builds with a known change (%s)', (bundler) => {
  it('finds the added command chunk and package, the grown entry and the matched chunks (issue 5)', async () => {
    const base = await buildFixture('report-compare-base', bundler)
    const head = await buildFixture('report-compare-head', bundler)
    expect(await head.run(['versions', '1.0.0', 'x', '0.2.0'])).toEqual(await head.runSource(['versions', '1.0.0', 'x', '0.2.0']))
    const comparison = compareReports(base.report!, head.report!)

    const [entry] = comparison.entries
    expect(entry).toMatchObject({ name: 'main', status: 'grown' })
    // head's main.js adds a help text and a branch: the initial load grows by roughly that source.
    expect(entry!.initial.delta).toBeGreaterThan(100)
    const semverBytes = head.report!.chunks.flatMap((c) => c.modules).filter((m) => m.package === 'semver').reduce((s, m) => s + m.bytes, 0)
    expect(entry!.total.delta).toBeGreaterThanOrEqual(semverBytes)

    const semver = comparison.packages.find((p) => p.name === 'semver')!
    expect(semver.change).toMatchObject({ status: 'added', base: 0, head: semverBytes })
    expect(comparison.packages.find((p) => p.name === '[app]')!.change.status).toBe('grown')

    const holding = (id: string) => (file: string | undefined) => [base.report!, head.report!].some((r) => r.chunks.find((c) => c.file === file)?.modules.some((m) => m.id === id))
    const versionChunk = comparison.chunks.find((c) => holding('cmd-version.js')(c.headFile))!
    expect(versionChunk.change.status).toBe('added')
    const listChunk = comparison.chunks.find((c) => holding('cmd-list.js')(c.headFile))!
    // Same code in both builds; esbuild's chunk differs only by the import paths of its shared chunks.
    expect(listChunk.baseFile).toBeDefined()
    expect(Math.abs(listChunk.change.delta)).toBeLessThan(64)
    const entryChunk = comparison.chunks.find((c) => holding('main.js')(c.headFile))!
    expect(entryChunk.change.status).toBe('grown')
    expect(entryChunk.baseFile).toBeDefined()
    expect(stripContentHash(listChunk.baseFile!)).toBe(stripContentHash(listChunk.headFile!))

    // The offline command: the default rule (regression, error, 5% and 512 B) fails on this growth.
    const dir = path.dirname(head.outDir)
    const baseJson = path.join(path.dirname(base.outDir), 'report.json')
    const headJson = path.join(dir, 'report.json')
    const failing = capture()
    expect(await main(['compare', baseJson, headJson], failing.io)).toBe(1)
    expect(failing.out.stdout).toMatch(/packages that changed \(whole output\):\n(  .*\n)*  semver: added 0 B → [\d.]+ KiB/)
    expect(failing.out.stderr).toMatch(/regressed: regression: entry main \(total\) went from/)

    const tolerant = path.join(dir, 'budgets.json')
    await writeFile(tolerant, JSON.stringify({ regression: ['error', { percent: 100_000 }] }))
    const passing = capture()
    expect(await main(['compare', baseJson, headJson, '--markdown', '--budgets', tolerant], passing.io)).toBe(0)
    expect(passing.out.stdout).toContain('Sizes: **raw**')
    expect(passing.out.stdout).toMatch(/\| semver \| 0 B \| [\d.]+ KiB \| \+[\d.]+ KiB \(added\) \| added \|/)
    expect(passing.out.stdout).toContain('✅ No error-level rule regressed.')
  })
})

describe('cli-optimizer compare: input errors', () => {
  it('names a missing or malformed report file and exits 2 (issue 5)', async () => {
    const built = await buildFixture('report-basic', 'esbuild')
    const good = path.join(path.dirname(built.outDir), 'report.json')
    const missing = path.join(path.dirname(built.outDir), 'missing.json')
    const first = capture()
    expect(await main(['compare', missing, good], first.io)).toBe(2)
    expect(first.out.stderr).toContain(`report ${missing} (base): the file does not exist`)
    const malformed = path.join(path.dirname(built.outDir), 'malformed.json')
    await writeFile(malformed, JSON.stringify({ schemaVersion: 2, entries: [], chunks: [] }))
    const second = capture()
    expect(await main(['compare', good, malformed], second.io)).toBe(2)
    expect(second.out.stderr).toContain(`report ${malformed} (head) is not a cli-optimizer report JSON v1: schemaVersion is 2, expected 1`)
    const usage = capture()
    expect(await main(['compare', good], usage.io)).toBe(2)
    expect(usage.out.stderr).toMatch(/expects two report JSON files/)
  })
})

describe.each(BUNDLERS)('comparison on the playground CLI (%s)', (bundler) => {
  it('minifying shrinks every entry, chunk and package, and every chunk is matched (issue 5)', async () => {
    const options = { entries: { cli: 'src/bin/cli.js' } }
    const base = await buildFixture('../../playground', bundler, { ...options, minify: false })
    const head = await buildFixture('../../playground', bundler, { ...options, minify: true })
    expect(await head.run(['--version'])).toEqual(await head.runSource(['--version']))
    const comparison = compareReports(base.report!, head.report!)
    expect(comparison.entries.map((e) => [e.name, e.initial.status, e.total.status])).toEqual([['cli', 'shrunk', 'shrunk']])
    expect(comparison.entries[0]!.total.delta).toBe(head.report!.entries[0]!.totalBytes - base.report!.entries[0]!.totalBytes)
    expect(comparison.chunks.filter((c) => c.change.status === 'added' || c.change.status === 'removed')).toEqual([])
    expect(comparison.chunks.length).toBe(head.report!.chunks.length)
    const packages = comparison.packages.filter((p) => p.name !== '[unattributed]')
    expect(packages.length).toBeGreaterThan(5)
    expect(packages.filter((p) => p.change.status !== 'shrunk').map((p) => p.name)).toEqual([])
  }, 240_000)
})
