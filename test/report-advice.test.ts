import { describe, expect, it } from 'vitest'
import { findOpportunities, type Opportunity } from '../packages/unplugin-cli-optimizer/src/report/opportunities.js'
import { formatTerminalSummary } from '../packages/unplugin-cli-optimizer/src/report/terminal-summary.js'
import { loadViews } from '../packages/unplugin-cli-optimizer/src/report/load-views.js'
import { adviceContradictions } from './advice-checks.js'
import { BUNDLERS, buildFixture } from './harness/index.js'

const of = (found: Opportunity[], kind: Opportunity['kind']) => found.filter((o) => o.kind === kind).map((o) => o.subject)

describe.each(BUNDLERS)('advice checked against the build (%s, issue 17)', (bundler) => {
  it('a commander CLI: defer the import used in a sync function, never the framework used at top level', async () => {
    // The async form's advice (lazy.sync off): the default synchronous form defers semver itself (next test).
    const built = await buildFixture('report-advice', bundler, { plugin: { lazy: { sync: false } } })
    for (const args of [['bump', '1.2.3'], ['parse', 'a: 1'], ['cached', 'abc']]) expect(await built.run(args)).toEqual(await built.runSource(args))
    const report = built.report!
    const found = findOpportunities(report)
    expect(adviceContradictions(report)).toEqual([])

    // async-only-in-initial: appears for semver (sync function on the start path), with its evidence.
    const semver = found.find((o) => o.kind === 'async-only-in-initial' && o.subject === 'semver')!
    expect(semver).toBeDefined()
    expect(semver.location).toBe('main.js:3:1')
    expect(semver.advice).toMatch(/^make the function that uses it async/)
    const semverBytes = report.chunks
      .filter((c) => report.entries[0]!.initialFiles.includes(c.file))
      .flatMap((c) => c.modules)
      .filter((m) => m.package === 'semver')
      .reduce((sum, m) => sum + m.bytes, 0)
    expect(semver.startupBytes).toBe(semverBytes)
    expect(semver.detail).toMatch(/refused: main\.js:3:1 semver \(line 12\) used in a sync function/)
    // ...and not for commander (top level), yaml (deferred already) or anything in node_modules.
    expect(of(found, 'async-only-in-initial')).toEqual(['semver'])


    // large-dependency: commander, imported for one name; never the plugin's runtime.
    expect(of(found, 'large-dependency')).toContain('commander')
    expect(report.packageImports?.some((u) => u.package === '@cli-optimizer/runtime')).toBe(true)
    expect(of(found, 'large-dependency')).not.toContain('@cli-optimizer/runtime')
    // The cache is used, Redis is not configured: ioredis (installed in this repository) stays out.
    expect(report.chunks.flatMap((c) => c.modules).some((m) => m.package === '@cli-optimizer/runtime')).toBe(true)
    expect(report.chunks.flatMap((c) => c.modules).filter((m) => m.package === 'ioredis')).toEqual([])

    // duplicate-package: every package is bundled once here.
    expect(of(found, 'duplicate-package')).toEqual([])

    // Sorted by what a start saves.
    const startup = found.map((o) => o.startupBytes ?? -1)
    expect(startup).toEqual([...startup].sort((a, b) => b - a))

    // Terminal: the refusals that keep the most at start, with reason, place and the change.
    const summary = formatTerminalSummary(report, false)
    expect(summary).toMatch(/kept in the initial load by imports the plugin could not defer \(largest first\):/)
    expect(summary).toMatch(/ {4}commander [\d.]+ KiB {2}main\.js:1:1: Command \(line 8\) used at top level\n {6}→ used while the module loads/)
    expect(summary).toMatch(/ {4}semver [\d.]+ KiB {2}main\.js:3:1: semver \(line 12\) used in a sync function\n {6}→ make the function that uses it async/)

    // Names say what a chunk holds, and no two views share one.
    const views = loadViews(report).filter((v) => v.kind !== 'entry')
    expect(views.map((v) => v.name)).toContain('yaml')
    expect(new Set(views.map((v) => v.name)).size).toBe(views.length)
  })

  it('with the defaults, the import used in a sync function is deferred synchronously and no longer advised', async () => {
    const built = await buildFixture('report-advice', bundler)
    for (const args of [['bump', '1.2.3'], ['parse', 'a: 1'], ['cached', 'abc']]) expect(await built.run(args)).toEqual(await built.runSource(args))
    const report = built.report!
    expect(report.transforms.find((t) => t.kind === 'lazy-import' && t.source === 'semver')).toMatchObject({ applied: true, form: 'sync' })
    const initial = report.chunks.filter((c) => report.entries[0]!.initialFiles.includes(c.file)).flatMap((c) => c.modules)
    // All of semver but internal/debug.js, which reads NODE_DEBUG at load and so stays where it was.
    expect(initial.filter((m) => m.package === 'semver' && !/internal\/debug\.js/.test(m.id))).toEqual([])
    expect(initial.filter((m) => m.package === 'semver').length).toBeLessThan(3)
    expect(of(findOpportunities(report), 'async-only-in-initial')).toEqual([])
    expect(adviceContradictions(report)).toEqual([])
  })

  it('no advice to defer a package another start-path module imports eagerly', async () => {
    const built = await buildFixture('report-advice-eager', bundler, { plugin: { lazy: { sync: false } } })
    expect(await built.run(['bump', '1.0.0'])).toEqual(await built.runSource(['bump', '1.0.0']))
    const report = built.report!
    expect(report.transforms.some((t) => t.kind === 'lazy-import' && t.source === 'semver' && !t.applied && /sync function/.test(t.reason))).toBe(true)
    const found = findOpportunities(report)
    expect(of(found, 'async-only-in-initial')).toEqual([])
    // dead-exports: the app's version.js, never tiny-format's, though the build lists those too.
    expect(report.deadExports?.some((d) => d.module.includes('node_modules/tiny-format/'))).toBe(true)
    expect(of(found, 'dead-exports')).toEqual(['version.js'])
    expect(found.find((o) => o.kind === 'dead-exports')!.detail).toMatch(/^unusedFormat \(/)
    expect(adviceContradictions(report)).toEqual([])
    expect(formatTerminalSummary(report, false)).toMatch(/semver [\d.]+ KiB {2}main\.js:1:1: .*\n {6}→ .*and defer it in version\.js, which imports it eagerly/)
  })

  it('duplicate-package: a package bundled twice appears, with what the extra copy adds at start', async () => {
    const built = await buildFixture('report-dupes', bundler)
    const found = findOpportunities(built.report!)
    const duplicate = found.find((o) => o.kind === 'duplicate-package')!
    expect(duplicate.subject).toBe('left-pad-lite')
    expect(duplicate.savedBytes).toBeGreaterThan(0)
    expect(duplicate.detail).toMatch(/node_modules\/formatter\/node_modules\/left-pad-lite/)
    expect(adviceContradictions(built.report!)).toEqual([])
  })
})
