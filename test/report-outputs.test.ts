import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Report } from 'unplugin-cli-optimizer'
import { evaluateBudgets } from '../packages/unplugin-cli-optimizer/src/budgets/evaluate-budgets.js'
import { resolveBudgetOptions, type ResolvedBudgetOptions } from '../packages/unplugin-cli-optimizer/src/budgets/budget-options.js'
import { compareReports } from '../packages/unplugin-cli-optimizer/src/compare/compare-reports.js'
import { renderHtmlReport } from '../packages/unplugin-cli-optimizer/src/report/html/html-report.js'
import { loadViews } from '../packages/unplugin-cli-optimizer/src/report/load-views.js'
import { formatMarkdownReport } from '../packages/unplugin-cli-optimizer/src/report/markdown.js'
import { findOpportunities } from '../packages/unplugin-cli-optimizer/src/report/opportunities.js'
import { formatTerminalSummary, useColor } from '../packages/unplugin-cli-optimizer/src/report/terminal-summary.js'
import { BUNDLERS, buildFixture, FIXTURES } from './harness/index.js'

async function sampleReport(): Promise<Report> {
  return JSON.parse(await readFile(path.join(FIXTURES, 'report-markdown', 'report.json'), 'utf8')) as Report
}

describe('report outputs from a known report', () => {
  it('views: one per entry (its initial load) and one per command (initial load + its chunk and static imports)', async () => {
    const views = loadViews(await sampleReport())
    expect(views).toEqual([
      { kind: 'entry', name: 'cli', entry: 'cli', chunk: undefined, files: ['cli.js', 'cli-Ab12Cd34.js'], ownFiles: [] },
      {
        kind: 'command',
        name: 'convert',
        entry: 'cli',
        chunk: 'convert-Xy12Ab34.js',
        files: ['cli.js', 'cli-Ab12Cd34.js', 'convert-Xy12Ab34.js', 'convert-shared-Zz99Yy88.js'],
        ownFiles: ['convert-Xy12Ab34.js', 'convert-shared-Zz99Yy88.js'],
      },
    ])
  })

  it('views: lazy chunks that share a name are told apart by their starting module', async () => {
    const report = await sampleReport()
    const lazy = (file: string, id: string) => ({
      file, bytes: 100, gzipBytes: 80, brotliBytes: 70, isEntry: false, imports: [], dynamicImports: [],
      modules: [{ id: `src/commands/${id}/helpers.js`, package: null, bytes: 60 }, { id: `src/commands/${id}/index.js`, package: null, bytes: 40 }],
    })
    const vendor = { ...lazy('index-CCCCCCC3.js', 'x'), modules: [{ id: 'node_modules/picomatch/index.js', package: 'picomatch', bytes: 100 }] }
    report.chunks.push(lazy('index-AAAAAAA1.js', 'build'), lazy('index-BBBBBBB2.js', 'serve'), vendor)
    report.chunks[1]!.dynamicImports.push('index-AAAAAAA1.js', 'index-BBBBBBB2.js', 'index-CCCCCCC3.js')
    expect(loadViews(report).filter((v) => v.kind === 'lazy').map((v) => v.name)).toEqual([
      'src/commands/build/index.js',
      'src/commands/serve/index.js',
      'picomatch',
    ])
  })

  it('opportunities: async-only modules in the initial load, duplicates, dead exports, a large dependency for one import (issue 17)', async () => {
    const found = findOpportunities(await sampleReport())
    // The sample's lazy-import refusal names no specifier: no advice can be checked against it.
    expect(found.map((o) => [o.kind, o.subject, o.startupBytes, o.savedBytes])).toEqual([
      ['large-dependency', 'semver', 20_000, 20_000],
      ['duplicate-package', 'yaml', 0, 25_000],
      ['dead-exports', 'src/lib/files.js', undefined, 1000],
    ])
    const report = await sampleReport()
    const refusal = (line: number, source: string, reason: string, importer = 'src/bin/cli.js') =>
      ({ kind: 'lazy-import', applied: false, reason, importer, line, column: 1, source, bytes: 0 })
    report.transforms.push(
      refusal(4, 'semver', 'semver (line 12) used in a sync function'),
      // chalk: one import could be deferred, but another uses it at top level, so it stays.
      refusal(5, 'chalk', 'chalk (line 20) used in a sync function', 'src/bin/cli.js'),
      refusal(3, 'chalk', 'chalk (line 9) used at top level', 'src/bin/cli.js'),
      // A top-level use in a lazily loaded module keeps nothing on the start path.
      refusal(2, 'semver', 'semver (line 4) used at top level', 'src/lib/files.js'),
      // yaml lives in the convert command's chunk: deferring it would not shorten any start.
      refusal(7, 'yaml', 'YAML (line 30) used in a sync function'),
      // A package's own import is not the user's to change.
      refusal(1, './lexer.js', 'used in a sync function', 'node_modules/yaml/dist/index.js'),
    )
    const refusals = findOpportunities(report).filter((o) => o.kind === 'async-only-in-initial')
    expect(refusals.map((o) => [o.subject, o.startupBytes, o.location])).toEqual([['semver', 20_000, 'src/bin/cli.js:4:1']])
    expect(refusals[0]!.advice).toMatch(/^make the function that uses it async/)
    expect(refusals[0]!.detail).toBe('19.5 KiB in the initial load (cli-Ab12Cd34.js); refused: src/bin/cli.js:4:1 semver (line 12) used in a sync function')
  })

  it('Markdown: snapshot, stating the size mode (issue 5)', async () => {
    const report = await sampleReport()
    const budgets = resolveBudgetOptions({ compression: 'gzip', 'initial-bytes': ['error', 10_000], 'duplicate-packages': 'warn' }) as ResolvedBudgetOptions
    report.budgets = { compression: 'gzip', rules: {}, results: evaluateBudgets(report, budgets) }
    const base = structuredClone(report)
    base.chunks = base.chunks.filter((c) => c.file !== 'convert-Xy12Ab34.js')
    base.chunks[1]!.file = 'cli-Old00000.js'
    base.chunks[0]!.dynamicImports = ['cli-Old00000.js']
    base.entries[0]!.initialFiles = ['cli.js', 'cli-Old00000.js']
    const markdown = formatMarkdownReport(report, { compression: 'gzip', comparison: compareReports(base, report, 'gzip') })
    expect(markdown).toContain('Sizes: **gzip** (gzip -9 of each emitted file')
    await expect(markdown).toMatchFileSnapshot('./fixtures/report-markdown/expected.md')
  })

  it('HTML: embeds names and sizes only, escapes them, and forbids network access', async () => {
    const report = await sampleReport()
    report.chunks[3]!.modules[0]!.id = 'src/lib/</script><img src=x onerror=alert(1)>.js'
    const html = renderHtmlReport(report)
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`)
    expect(html).not.toContain('</script><img')
    expect(html).toContain('\\u003c/script>\\u003cimg')
    expect(html).not.toMatch(/https?:\/\//)
  })

  it('terminal: colours only on a TTY and never with NO_COLOR', async () => {
    const tty = { isTTY: true } as NodeJS.WriteStream
    const saved = process.env.NO_COLOR
    try {
      delete process.env.NO_COLOR
      expect(useColor(tty)).toBe(true)
      expect(useColor({ isTTY: false } as NodeJS.WriteStream)).toBe(false)
      process.env.NO_COLOR = '1'
      expect(useColor(tty)).toBe(false)
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR
      else process.env.NO_COLOR = saved
    }
    const report = await sampleReport()
    expect(formatTerminalSummary(report, true)).toMatch(/\x1b\[1m/)
    const plain = formatTerminalSummary(report, false)
    expect(plain).not.toMatch(/\x1b\[/)
    expect(plain).toContain('cli: initial 41.3 KiB (gzip 11.9 KiB) in 2 file(s), total 138.9 KiB')
    expect(plain).toMatch(/largest packages: yaml 83\.0 KiB, \[app\] 23\.6 KiB, semver 19\.5 KiB/)
  })
})

describe.each(BUNDLERS)('report outputs (%s)', (bundler) => {
  it('writes HTML and Markdown next to the JSON, with duplicates and opportunities found (issue 5)', async () => {
    const probe = await buildFixture('report-dupes', bundler)
    const dir = path.dirname(probe.outDir)
    const html = path.join(dir, 'report.html')
    const markdown = path.join(dir, 'report.md')
    const built = await buildFixture('report-dupes', bundler, { plugin: { report: { html, markdown, compression: 'brotli' } } })
    expect(await built.run(['2.0.0'])).toEqual(await built.runSource(['2.0.0']))
    const page = await readFile(html, 'utf8')
    expect((await stat(html)).size).toBeLessThan(2 * 1024 * 1024)
    // Module names, never their source: the fixture's comments and code stay out of the page.
    expect(page).toContain('node_modules/formatter/node_modules/left-pad-lite/index.js')
    expect(page).not.toContain('pads on the left')
    expect(page).not.toContain('fill.repeat')
    const md = await readFile(markdown, 'utf8')
    expect(md).toContain(`## cli-optimizer bundle report (${bundler})`)
    expect(md).toContain('Sizes: **brotli**')
    expect(md).toMatch(/\| duplicate-package \| left-pad-lite \|/)
    expect(md).toMatch(/\| large-dependency \| semver \| [\d.]+ KiB \|/)
    expect(built.report!.packageImports).toEqual(
      expect.arrayContaining([{ package: 'semver', names: ['valid'], importers: ['main.js'] }]),
    )
  })
})
