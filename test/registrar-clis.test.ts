/**
 * Registrars in real frameworks (issue 11): a commander CLI and a yargs CLI written the usual way
 * (command handlers imported from their files and handed to `.action()` / `.command()` at load),
 * built with the defaults in every bundler. Each behaves as its source, each handler's module is
 * deferred behind a stub, and `--version` loads neither command file nor yaml nor semver (but for
 * semver's module that reads NODE_DEBUG at load, which must read it where it always did).
 */
import { describe, expect, it } from 'vitest'
import type { Report } from 'unplugin-cli-optimizer'
import { BUNDLERS, buildFixture, loadedFiles, type BuiltFixture } from './harness/index.js'

const CASES = [['--version'], ['--help'], ['scan', 'a/b'], ['scan', 'a/b/c', '--json'], ['bump', '1.2.3'], ['bump', 'x'], ['nope'], []]

/** Files of the chunks holding modules whose id matches. */
function chunksOf(report: Report, pattern: RegExp): string[] {
  return report.chunks.filter((c) => c.modules.some((m) => pattern.test(m.id))).map((c) => c.file)
}

describe.each(BUNDLERS)('registrar stubs in commander and yargs CLIs (issue 11, %s)', (bundler) => {
  const builds = new Map<string, Promise<BuiltFixture>>()
  const build = (fixture: string): Promise<BuiltFixture> => {
    if (!builds.has(fixture)) builds.set(fixture, buildFixture(fixture, bundler))
    return builds.get(fixture)!
  }

  describe.each(['registrar-commander', 'registrar-yargs'])('%s', (fixture) => {
    it('behaves as the source', async () => {
      const built = await build(fixture)
      for (const args of CASES) expect(await built.run(args), args.join(' ')).toEqual(await built.runSource(args))
    })

    it('defers each handler module behind a stub, and --version loads none of them', async () => {
      const built = await build(fixture)
      const report = built.report!
      for (const source of ['./commands/scan.js', './commands/bump.js']) {
        const record = report.transforms.find((t) => t.kind === 'lazy-import' && t.importer === 'main.js' && (t as { source?: string }).source === source)
        expect(record, source).toMatchObject({ applied: true, form: 'sync', effective: true, reason: expect.stringMatching(/handed to a call at load \((scan|bump)\): a stub loads it on first call/) })
      }
      // semver's internal/debug.js reads NODE_DEBUG at load: it stays in the startup load, in its place.
      const deferred = chunksOf(report, /commands\/(scan|bump)\.js$|node_modules\/yaml\/|node_modules\/semver\/(?!internal\/debug\.js)/)
      expect(deferred.length).toBeGreaterThan(0)
      const loaded = await loadedFiles(built, ['--version'])
      expect(loaded.filter((file) => deferred.includes(file))).toEqual([])
      // The command that runs loads its own module and nothing of the other.
      const bump = await loadedFiles(built, ['bump', '1.2.3'])
      expect(bump).toEqual(expect.arrayContaining(chunksOf(report, /commands\/bump\.js$/)))
      expect(bump.filter((file) => chunksOf(report, /commands\/scan\.js$/).includes(file))).toEqual([])
    })
  })
})
