import { describe, expect, it } from 'vitest'
import type { Report, ReportTransform } from 'unplugin-cli-optimizer'
import { BUNDLERS, buildFixture, loadedFiles, type BuiltFixture } from './harness/index.js'


/** The defaults: synchronous deferral (`lazy.sync`) with every other capability. */
const plugin = {} as const
/** The async form only (`lazy.sync: false`): deferral with an inserted `await`, and its ordering rules. */
const asyncOnly = { lazy: { sync: false } } as const
const builds = new Map<string, Promise<BuiltFixture>>()
/** One build per fixture, bundler and options, shared by the tests that only read it. */
function build(name: string, bundler: (typeof BUNDLERS)[number], options: object = plugin): Promise<BuiltFixture> {
  const key = `${name}:${bundler}:${JSON.stringify(options)}`
  if (!builds.has(key)) builds.set(key, buildFixture(name, bundler, { plugin: options as never }))
  return builds.get(key)!
}

function lazyRecords(report: Report): ReportTransform[] {
  return report.transforms.filter((t) => t.kind === 'lazy-import')
}

function recordFor(report: Report, importer: string, source: string): ReportTransform {
  const found = lazyRecords(report).find((t) => t.importer === importer && t.source === source)
  if (!found) throw new Error(`no lazy-import record for ${source} in ${importer}: ${JSON.stringify(lazyRecords(report), null, 2)}`)
  return found
}

/** The chunk a module ended up in, and whether the entry loads that chunk on every start. */
function placement(report: Report, moduleId: string): { file: string; initial: boolean } {
  const chunk = report.chunks.find((c) => c.modules.some((m) => m.id === moduleId))
  if (!chunk) throw new Error(`${moduleId} is in no chunk`)
  return { file: chunk.file, initial: report.entries.some((e) => e.initialFiles.includes(chunk.file)) }
}


describe.each(BUNDLERS)('lazy imports (%s)', (bundler) => {
  it('issue 3: defers named, default and namespace imports and instanceof targets; output unchanged', async () => {
    const built = await build('lazy-basic', bundler)
    const report = built.report!
    for (const args of [[], ['named', 'A, b ,C'], ['named', 'fail'], ['default', 'hello'], ['ns', '1,2,3'], ['instance', 'circle'], ['instance', 'square'], ['sort', 'ccc,a,bb'], ['stmt', 'x'], ['shared'], ['command', 'x'], ['loud', 'hey'], ['this']]) {
      expect(await built.run(args), args.join(' ')).toEqual(await built.runSource(args))
    }
    for (const [source, moduleId] of [['./heavy-named.js', 'heavy-named.js'], ['./heavy-default.js', 'heavy-default.js'], ['./heavy-ns.js', 'heavy-ns.js'], ['./shapes.js', 'shapes.js'], ['./command.js', 'command.js'], ['./compare.js', 'compare.js'], ['./record.js', 'record.js']] as const) {
      const record = recordFor(report, 'main.js', source)
      expect(record, source).toMatchObject({ applied: true, effective: true, line: expect.any(Number), column: 1 })
      expect(record.bytes, source).toBeGreaterThan(0)
      expect(placement(report, moduleId).initial, moduleId).toBe(false)
    }
    // The whole graph only the deferred module needs moves with it.
    expect(placement(report, 'normalize.js').initial).toBe(false)
    // Used before runCommand's first await: loaded synchronously there, so no caller's order matters.
    expect(recordFor(report, 'command.js', './format.js')).toMatchObject({ applied: true, form: 'sync' })
  })

  it('issue 3, async form: output unchanged; an import used before the first await of an exported function stays static', async () => {
    const built = await build('lazy-basic', bundler, asyncOnly)
    for (const args of [[], ['named', 'A, b ,C'], ['named', 'fail'], ['default', 'hello'], ['ns', '1,2,3'], ['instance', 'circle'], ['sort', 'ccc,a,bb'], ['stmt', 'x'], ['command', 'x'], ['loud', 'hey'], ['this']]) {
      expect(await built.run(args), args.join(' ')).toEqual(await built.runSource(args))
    }
    const report = built.report!
    expect(recordFor(report, 'main.js', './heavy-named.js')).toMatchObject({ applied: true, effective: true, form: 'async' })
    // runCommand is exported: callers elsewhere may not await it (issue 4 regression, execa).
    expect(recordFor(report, 'command.js', './format.js')).toMatchObject({ applied: false, reason: expect.stringMatching(/exported and never awaited in this module/) })
    expect(recordFor(report, 'main.js', './sync-used.js')).toMatchObject({ applied: false, reason: expect.stringMatching(/shout .*used in a sync function/) })
    expect(placement(report, 'sync-used.js').initial).toBe(true)
  })

  it('issue 3: refuses top-level and sync uses, observable effects, prototype patches, cycles and side-effect-only imports', async () => {
    const report = (await build('lazy-basic', bundler)).report!
    const refused = (source: string, reason: RegExp) => expect(recordFor(report, 'main.js', source), source).toMatchObject({ applied: false, reason: expect.stringMatching(reason) })
    refused('./top-level.js', /banner .*used at top level/)
    refused('./noisy.js', /noisy\.js:1:1 has an observable top-level effect \(stdio/)
    refused('./patch.js', /patch-helper\.js:1:1 has an observable top-level effect \(prototype-patch/)
    refused('./loop.js', /cycle: loop\.js imports main\.js back/)
    refused('./side-only.js', /side-effect-only/)
    for (const moduleId of ['top-level.js', 'noisy.js', 'patch-helper.js', 'loop.js']) {
      expect(placement(report, moduleId).initial, moduleId).toBe(true)
    }
    // A sync function's use is loaded synchronously where it happens.
    expect(recordFor(report, 'main.js', './sync-used.js')).toMatchObject({ applied: true, form: 'sync' })
    expect(placement(report, 'sync-used.js').initial).toBe(false)
    // A cycle inside the deferred graph (cycle.js <-> cycle-back.js) does not involve the importer.
    expect(recordFor(report, 'main.js', './cycle.js')).toMatchObject({ applied: true })
  })

  it('issue 3: reports a deferral that saves nothing because the module is also imported eagerly', async () => {
    const report = (await build('lazy-basic', bundler)).report!
    expect(recordFor(report, 'main.js', './shared.js')).toMatchObject({
      applied: true,
      effective: false,
      bytes: 0,
      reason: expect.stringMatching(/not effective: shared\.js is also imported eagerly/),
    })
    expect(placement(report, 'shared.js').initial).toBe(true)
  })

  it('issue 3: a deferred module is not evaluated when its code path does not run', async () => {
    const built = await build('lazy-basic', bundler)
    const report = built.report!
    const heavy = placement(report, 'heavy-named.js').file
    const idle = await loadedFiles(built, [])
    expect(idle).toContain(report.entries[0]!.file)
    expect(idle).not.toContain(heavy)
    expect(await loadedFiles(built, ['named', 'a'])).toContain(heavy)
  })

  it('issue 3: keeps the order of output when a caller does not await the async function', async () => {
    for (const options of [plugin, asyncOnly]) {
      const built = await build('lazy-order', bundler, options)
      expect(await built.run()).toEqual(await built.runSource())
    }
    await expect((await build('lazy-order', bundler)).runSource()).resolves.toMatchObject({ stdout: '<a>\nafter call\nreport done\nlate module\n' })
    // Loaded synchronously, neither use can reorder anything.
    const report = (await build('lazy-order', bundler)).report!
    expect(recordFor(report, 'main.js', './fmt.js')).toMatchObject({ applied: true, effective: true, form: 'sync' })
    expect(recordFor(report, 'main.js', './late.js')).toMatchObject({ applied: true, effective: true, form: 'sync' })
    // The async form would insert an await before the caller's next line: refused there.
    const asyncReport = (await build('lazy-order', bundler, asyncOnly)).report!
    expect(recordFor(asyncReport, 'main.js', './fmt.js')).toMatchObject({ applied: false, reason: expect.stringMatching(/does not await the function/) })
    expect(recordFor(asyncReport, 'main.js', './late.js')).toMatchObject({ applied: true, effective: true, order: 'after-await' })
  })

  it('issue 3: defers the command manifest, analysed as the manifest it becomes, not the registry on disk', async () => {
    const built = await buildFixture('commands-basic', bundler, { plugin: { commands: { dir: 'commands', registry: 'commands/index.js' } } })
    const report = built.report!
    // The bootstrap starts the manifest (and the named command's preload) only when a command is named.
    expect(recordFor(report, 'main.js', './commands/index.js')).toMatchObject({ applied: true, effective: true })
    const manifestChunk = report.chunks.find((c) => c.modules.some((m) => m.id === 'commands/index.js'))!
    expect(report.entries[0]!.initialFiles).not.toContain(manifestChunk.file)
    for (const args of [['--help'], ['greet', 'ada'], ['nope']]) expect(await built.run(args)).toEqual(await built.runSource(args))
  })

  it('issue 3: lazy.exclude keeps the matching importers as written', async () => {
    const built = await buildFixture('lazy-order', bundler, { plugin: { lazy: { exclude: [/lazy-order[\\/]main\.js$/] } } })
    expect(lazyRecords(built.report!)).toEqual([])
    expect(await built.run()).toEqual(await built.runSource())
  })

  it('issue 3: defers packages from node_modules used only in an async function', async () => {
    const built = await build('lazy-package', bundler)
    const report = built.report!
    for (const args of [[], ['check', '^1.2'], ['check', '>=2']]) {
      expect(await built.run(args), args.join(' ')).toEqual(await built.runSource(args))
    }
    expect((await built.run(['check', '^1.2'])).stdout).toBe('demo 1.4.2 satisfies ^1.2\n')
    for (const source of ['yaml', 'semver']) {
      const record = recordFor(report, 'main.js', source)
      expect(record, source).toMatchObject({ applied: true, effective: true })
      expect(record.bytes, source).toBeGreaterThan(1000)
    }
    const [entry] = report.entries
    const yamlModules = report.chunks.flatMap((c) => c.modules.filter((m) => m.package === 'yaml').map(() => c.file))
    expect(yamlModules.length).toBeGreaterThan(0)
    expect(yamlModules.every((file) => !entry!.initialFiles.includes(file))).toBe(true)
  })
})
