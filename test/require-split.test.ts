import { describe, expect, it } from 'vitest'
import type { Report, ReportTransform } from 'unplugin-cli-optimizer'
import { BUNDLERS, buildFixture, loadedFiles, type BuiltFixture } from './harness/index.js'

/** The fixture's graphs are small: a threshold that splits tool.cjs (837 B) and later.cjs (316 B), not small.cjs (36 B). */
const SPLIT = { lazy: { splitRequireBytes: 300 } }
const ENTRIES = { main: 'main.cjs' }
const CASES = [[], ['--version'], ['x', 'y'], ['later'], ['noisy']]

const builds = new Map<string, Promise<BuiltFixture>>()
function build(bundler: (typeof BUNDLERS)[number], plugin: object): Promise<BuiltFixture> {
  const key = `${bundler}:${JSON.stringify(plugin)}`
  if (!builds.has(key)) builds.set(key, buildFixture('require-split', bundler, { entries: ENTRIES, plugin: plugin as never }))
  return builds.get(key)!
}

function records(report: Report): Array<ReportTransform & { source?: string; form?: string }> {
  return report.transforms.filter((t) => t.kind === 'lazy-import' && t.importer === 'main.cjs')
}

function chunkOf(report: Report, moduleId: string): string {
  const chunk = report.chunks.find((c) => c.modules.some((m) => m.id === moduleId))
  if (!chunk) throw new Error(`${moduleId} is in no chunk`)
  return chunk.file
}

describe.each(BUNDLERS)('issue 11: large CommonJS require() graphs load from their own chunk where they run (%s)', (bundler) => {
  it('behaves as its source: effects, state reads and module identity where they were', async () => {
    const built = await build(bundler, SPLIT)
    for (const args of CASES) expect(await built.run(args), args.join(' ')).toEqual(await built.runSource(args))
    const applied = records(built.report!).filter((r) => r.applied)
    expect(applied.map((r) => r.source).sort()).toEqual(['./later.cjs', './tool.cjs', './tool.cjs'])
    for (const record of applied) expect(record).toMatchObject({ form: 'sync', reason: expect.stringMatching(/^require\(\) of \d+ KB \(\d module\(s\)\): loaded from a chunk of its own when it runs/) })
    // An ES module that writes a global at load would evaluate when the chunk loads: refused, with the reason.
    expect(records(built.report!).find((r) => r.source === './noisy-graph.cjs')).toMatchObject({
      applied: false,
      reason: expect.stringMatching(/kept in its importer's chunk: noisy\.mjs:2:1 has an observable top-level effect \(global-write.*as an ES module it is evaluated when its chunk loads/),
    })
  })

  it('--version reads neither graph', async () => {
    const built = await build(bundler, SPLIT)
    const report = built.report!
    const loaded = await loadedFiles(built, ['--version'])
    for (const module of ['tool.cjs', 'tool-dep.cjs', 'later.cjs']) expect(loaded, module).not.toContain(chunkOf(report, module))
    expect(loaded).toContain(chunkOf(report, 'small.cjs'))
    expect(await loadedFiles(built, ['x'])).toContain(chunkOf(report, 'tool-dep.cjs'))
  })

  it('on Node without require(esm), the preloaded chunks evaluate nothing before the require', async () => {
    const built = await build(bundler, SPLIT)
    const env = { NODE_OPTIONS: '--no-experimental-require-module' }
    // The source itself needs require(esm) for format.mjs: the reference is its run where Node has it.
    for (const args of CASES) expect(await built.run(args, { env }), args.join(' ')).toEqual(await built.runSource(args))
  })

  it('with the defaults, graphs under 64 KiB stay in their importer\'s chunk', async () => {
    const built = await build(bundler, {})
    expect(records(built.report!).filter((r) => r.applied)).toEqual([])
    expect(chunkOf(built.report!, 'tool.cjs')).toBe(chunkOf(built.report!, 'main.cjs'))
  })
})
