import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Report } from 'unplugin-cli-optimizer'
import { main } from '../packages/unplugin-cli-optimizer/src/cli/main.js'
import { changedOnly, compareReports } from '../packages/unplugin-cli-optimizer/src/compare/compare-reports.js'
import { formatComparisonMarkdown } from '../packages/unplugin-cli-optimizer/src/report/markdown.js'
import { BUNDLERS, buildFixture, FIXTURES } from './harness/index.js'

function capture() {
  const out = { stdout: '', stderr: '' }
  return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } }
}

describe.each(BUNDLERS)('compare: a change in a lazy chunk only (%s, issue 17)', (bundler) => {
  it('reports no initial-load change and lists the chunk among lazy ones', async () => {
    const base = await buildFixture('report-compare-lazy-base', bundler)
    const head = await buildFixture('report-compare-lazy-head', bundler)
    expect(await head.run(['table', 'a', 'bb'])).toEqual(await head.runSource(['table', 'a', 'bb']))
    const comparison = compareReports(base.report!, head.report!)
    const entry = comparison.entries.find((e) => e.name === 'main')!
    expect(entry.initial.delta).toBe(0)
    expect(entry.initialPackages).toEqual([])
    expect(entry.total.delta).toBeGreaterThan(0)
    const changed = changedOnly(comparison.chunks)
    expect(changed.length).toBeGreaterThan(0)
    expect(changed.every((c) => !c.initial)).toBe(true)

    const dir = path.dirname(head.outDir)
    const baseJson = path.join(path.dirname(base.outDir), 'report.json')
    const headJson = path.join(dir, 'report.json')
    const text = capture()
    // The default rule checks the total too, which did grow: exit 1, but never for the initial load.
    await main(['compare', baseJson, headJson], text.io)
    expect(text.out.stdout).toMatch(/entry main \(grown\): initial [\d.]+ K?i?B → [\d.]+ K?i?B \(\+?0 B\)/)
    expect(text.out.stdout).not.toContain('initial load changes')
    expect(text.out.stdout).not.toContain('initial chunks that changed')
    expect(text.out.stdout).toMatch(/lazy chunks that changed \(loaded on demand, not at start\):\n {2}.*cmd-table/)
    expect(text.out.stderr).not.toContain('(initial)')

    const markdown = capture()
    await main(['compare', baseJson, headJson, '--markdown'], markdown.io)
    expect(markdown.out.stdout).toMatch(/### Initial chunks that changed\n\nNone\./)
    expect(markdown.out.stdout).toMatch(/### Lazy chunks that changed\n\n\|.*\n\|.*\n\| .*cmd-table/)
    expect(markdown.out.stdout).not.toContain('Initial load of main')
  })
})

describe('compare: attribution and long lists (issue 17)', () => {
  async function sample(): Promise<Report> {
    return JSON.parse(await readFile(path.join(FIXTURES, 'report-markdown', 'report.json'), 'utf8')) as Report
  }

  it('blames initial-load growth on the initial files only, and lazy growth nowhere in it', async () => {
    const base = await sample()
    const head = await sample()
    // The lazy convert chunk gains 30 packages; the initial chunk gains 2 KB of chalk.
    const convert = head.chunks.find((c) => c.file === 'convert-Xy12Ab34.js')!
    for (let i = 0; i < 30; i++) convert.modules.push({ id: `node_modules/pkg-${String(i).padStart(2, '0')}/index.js`, package: `pkg-${String(i).padStart(2, '0')}`, bytes: 1000 + i })
    convert.bytes += 30 * 1000 + 435
    const initialChunk = head.chunks.find((c) => c.file === 'cli-Ab12Cd34.js')!
    initialChunk.modules.find((m) => m.package === 'chalk')!.bytes += 2000
    initialChunk.bytes += 2000
    const comparison = compareReports(base, head)
    const entry = comparison.entries[0]!
    expect(entry.initial.delta).toBe(2000)
    expect(entry.initialPackages.map((p) => [p.name, p.change.delta])).toEqual([['chalk', 2000]])
    expect(entry.totalPackages).toHaveLength(31)

    const dir = path.join(path.dirname(FIXTURES), '.tmp')
    await mkdir(dir, { recursive: true })
    const baseJson = path.join(dir, 'compare-attribution-base.json')
    const headJson = path.join(dir, 'compare-attribution-head.json')
    await writeFile(baseJson, JSON.stringify(base))
    await writeFile(headJson, JSON.stringify(head))
    const short = capture()
    expect(await main(['compare', baseJson, headJson, '--budgets', path.join(FIXTURES, 'report-markdown', 'no-regression-rules.json')], short.io)).toBe(0)
    expect(short.out.stdout).toMatch(/initial load changes \(modules in its initial files\):\n {4}chalk: grown/)
    expect(short.out.stdout).toContain('  … and 21 more (--all lists every one)')
    // chalk (+2 KB) and the nine largest of the thirty new packages.
    expect(short.out.stdout.split('\n').filter((l) => /^ {2}pkg-\d\d: added/.test(l))).toHaveLength(9)
    const all = capture()
    await main(['compare', baseJson, headJson, '--all', '--budgets', path.join(FIXTURES, 'report-markdown', 'no-regression-rules.json')], all.io)
    expect(all.out.stdout).not.toContain('more (--all')
    expect(all.out.stdout.split('\n').filter((l) => /^ {2}pkg-\d\d: added/.test(l))).toHaveLength(30)

    const markdown = formatComparisonMarkdown(comparison)
    expect(markdown).toContain('… and 21 more (`cli-optimizer compare --all` lists every one).')
    expect(markdown).toMatch(/### Initial load of cli: what changed[\s\S]*\| chalk \|/)
    expect(markdown.slice(markdown.indexOf('Initial load of cli'), markdown.indexOf('### Initial chunks'))).not.toContain('pkg-')
    expect(formatComparisonMarkdown(comparison, Number.POSITIVE_INFINITY)).not.toContain('more (`cli-optimizer compare --all`')
  })

  it('regression contributors of the initial load come from its files only', async () => {
    const { resolveBudgetOptions } = await import('../packages/unplugin-cli-optimizer/src/budgets/budget-options.js')
    const { evaluateBudgets } = await import('../packages/unplugin-cli-optimizer/src/budgets/evaluate-budgets.js')
    const base = await sample()
    const head = await sample()
    const convert = head.chunks.find((c) => c.file === 'convert-Xy12Ab34.js')!
    convert.modules.push({ id: 'node_modules/ioredis/built/index.js', package: 'ioredis', bytes: 140_000 })
    convert.bytes += 140_000
    const initialChunk = head.chunks.find((c) => c.file === 'cli-Ab12Cd34.js')!
    initialChunk.modules.find((m) => m.package === 'semver')!.bytes += 5000
    initialChunk.bytes += 5000
    const rules = resolveBudgetOptions({ regression: ['error', { percent: 1, minBytes: 100 }] })
    const results = evaluateBudgets(head, rules as never, base)
    const initial = results.find((r) => r.subject === 'entry cli (initial)')!
    expect(initial.passed).toBe(false)
    expect(initial.contributors).toEqual([{ name: 'semver', bytes: 5000 }])
    const total = results.find((r) => r.subject === 'entry cli (total)')!
    expect(total.contributors[0]).toEqual({ name: 'ioredis', bytes: 140_000 })
  })
})
