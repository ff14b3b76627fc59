import { cp, mkdtemp, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Report, ReportTransform } from 'unplugin-cli-optimizer'
import { BUNDLERS, buildFixture, loadedFiles, runNode, type BuiltFixture } from './harness/index.js'

const builds = new Map<string, Promise<BuiltFixture>>()
function build(name: string, bundler: (typeof BUNDLERS)[number], plugin: object | false = {}): Promise<BuiltFixture> {
  const key = `${name}:${bundler}:${JSON.stringify(plugin)}`
  if (!builds.has(key)) builds.set(key, buildFixture(name, bundler, { plugin: plugin as never }))
  return builds.get(key)!
}

function recordFor(report: Report, source: string): ReportTransform & { form?: string } {
  const found = report.transforms.find((t) => t.kind === 'lazy-import' && t.importer === 'main.js' && (t as { source?: string }).source === source)
  if (!found) throw new Error(`no lazy-import record for ${source}`)
  return found
}

/** The chunk a module ended up in, and whether the entry loads that chunk on every start. */
function placement(report: Report, moduleId: string): { file: string; initial: boolean } {
  const chunk = report.chunks.find((c) => c.modules.some((m) => m.id === moduleId))
  if (!chunk) throw new Error(`${moduleId} is in no chunk`)
  return { file: chunk.file, initial: report.entries.some((e) => e.initialFiles.includes(chunk.file)) }
}

const CASES = [[], ['list', 'A, b'], ['render', 'x'], ['size'], ['field'], ['widget', 'q'], ['env'], ['tla'], ['later', 'z'], ['fail'], ['this']]

describe.each(BUNDLERS)('issue 11: synchronous deferral (%s)', (bundler) => {
  it('loads imports used only inside functions on first use; output unchanged', async () => {
    const built = await build('lazy-sync', bundler)
    for (const args of CASES) expect(await built.run(args), args.join(' ')).toEqual(await built.runSource(args))
    const report = built.report!
    for (const [source, moduleId] of [['./heavy-named.js', 'heavy-named.js'], ['./reads-env.js', 'reads-env.js'], ['./renderer.js', 'renderer.js'], ['./units.js', 'units.js'], ['./whole.js', 'whole.js'], ['./legacy.cjs', 'legacy.cjs'], ['./widget.js', 'widget.js']] as const) {
      expect(recordFor(report, source), source).toMatchObject({ applied: true, form: 'sync', effective: true })
      expect(placement(report, moduleId).initial, moduleId).toBe(false)
    }
    // Its graph moves with it.
    expect(placement(report, 'normalize.js').initial).toBe(false)
  })

  it('a namespace method reading `this` gets the whole namespace, others a facade of the names used', async () => {
    const built = await build('lazy-sync', bundler)
    expect(recordFor(built.report!, './this-ns.js')).toMatchObject({ applied: true, form: 'sync', reason: expect.stringMatching(/total\(\) reads this, the namespace it is called on: the whole namespace is loaded/) })
    expect(recordFor(built.report!, './units.js').reason).not.toMatch(/reads this/)
    expect((await built.run(['this'])).stdout).toContain('42')
  })

  it('refuses class field initialisers and top-level await in the graph', async () => {
    const report = (await build('lazy-sync', bundler)).report!
    expect(recordFor(report, './field.js')).toMatchObject({ applied: false, reason: expect.stringMatching(/class field initialiser/) })
    expect(recordFor(report, './tla.js')).toMatchObject({ applied: false, reason: expect.stringMatching(/top-level-await/) })
    expect(recordFor(report, './shared-helper.js')).toMatchObject({ applied: false, reason: expect.stringMatching(/used at top level/) })
  })

  it('a module that reads state at load evaluates where it always did; the rest of its graph is deferred', async () => {
    const built = await build('lazy-sync', bundler)
    // main.js changes LAZY_SYNC_MARK, argv, a global and the folder before the first use: the
    // differential run of `env` in the first test fails if env-snapshot.js is evaluated later.
    expect(recordFor(built.report!, './reads-env.js')).toMatchObject({
      applied: true,
      form: 'sync',
      reason: expect.stringMatching(/env-snapshot\.js, flag-snapshot\.js read at load argv, cwd, env:LAZY_SYNC_MARK, global:lazySyncFlag: kept in the startup load/),
    })
    expect(placement(built.report!, 'env-snapshot.js').initial).toBe(true)
    // It reads argv only inside has-flag.js's hasFlag(), which it calls at load.
    expect(placement(built.report!, 'flag-snapshot.js').initial).toBe(true)
    expect(placement(built.report!, 'reads-env.js').initial).toBe(false)
    // The imported module reads the folder itself: refused.
    expect(recordFor(built.report!, './reads-cwd.js')).toMatchObject({ applied: false, reason: expect.stringMatching(/reads-cwd\.js:2:\d+ .*reads at load state the program can change \(cwd\)/) })
    const out = await built.run(['env'])
    expect(out.stdout).toContain('mark=undefined argv=3 folder=lazy-sync flag=undefined added=false')
    expect(out.stdout).toContain('set-by-main added-by-main set-by-main fixtures')
  })

  it('a path that never uses a deferred import does not load its chunk; the first use loads it while the entry evaluates', async () => {
    const built = await build('lazy-sync', bundler)
    const report = built.report!
    const heavy = placement(report, 'heavy-named.js').file
    expect(await loadedFiles(built, [])).not.toContain(heavy)
    // `list` reaches parseList from main()'s call at the entry's top level: heavy-named.js
    // imports shared-helper.js, which the entry imports too; were that module in the entry's
    // chunk, require() would throw ERR_REQUIRE_CYCLE_MODULE.
    expect(await loadedFiles(built, ['list', 'a'])).toContain(heavy)
    expect(placement(report, 'shared-helper.js').file).not.toBe(placement(report, 'main.js').file)
  })

  it('a chunk loaded synchronously never imports the entry chunk that is still evaluating (shared code split out)', async () => {
    const built = await build('lazy-sync-cycle', bundler)
    for (const args of [[], ['run']]) expect(await built.run(args), args.join(' ')).toEqual(await built.runSource(args))
    const report = built.report!
    expect(report.transforms.find((t) => (t as { source?: string }).source === './heavy.js')).toMatchObject({ applied: true, form: 'sync' })
    expect(placement(report, 'shared.js').file).not.toBe(placement(report, 'main.js').file)
  })

  it('falls back to loading deferred chunks at startup on Node without require(esm)', async () => {
    const built = await build('lazy-sync', bundler)
    const env = { NODE_OPTIONS: '--no-experimental-require-module' }
    for (const args of [[], ['list', 'A, b'], ['later', 'z']]) {
      expect(await built.run(args, { env }), args.join(' ')).toEqual(await built.runSource(args, { env }))
    }
    // Without the fallback, the first use would require() an ES module and fail.
    expect(await loadedFiles(built, [])).not.toContain(placement(built.report!, 'heavy-named.js').file)
  })

  it('runs in a package without "type": "module" as the plain build does', async () => {
    const [built, plain] = await Promise.all([build('lazy-sync', bundler), build('lazy-sync', bundler, false)])
    const typeless = async (outDir: string): Promise<string> => {
      const dir = await mkdtemp(path.join(path.dirname(path.dirname(outDir)), 'typeless-'))
      await cp(outDir, dir, { recursive: true })
      await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'typeless-cli' }))
      return dir
    }
    const [dir, plainDir] = await Promise.all([typeless(built.outDir), typeless(plain.outDir)])
    for (const args of [['list', 'A, b'], ['later', 'z']]) {
      const ours = await runNode(path.join(dir, 'main.js'), args)
      const theirs = await runNode(path.join(plainDir, 'main.js'), args)
      // Node warns that the package has no "type" (for the entry, in both builds); only paths and pids differ.
      const normal = (stderr: string, at: string): string => stderr.replaceAll(at, 'OUT').replace(/\(node:\d+\)/g, '(node)')
      expect({ ...ours, stderr: normal(ours.stderr, dir) }, args.join(' ')).toEqual({ ...theirs, stderr: normal(theirs.stderr, plainDir) })
      expect(ours.code).toBe(0)
    }
  })
})
