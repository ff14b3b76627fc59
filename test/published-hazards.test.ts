import { describe, expect, it } from 'vitest'
import { BUNDLERS, buildFixture } from './harness/index.js'

interface Transform {
  kind: string
  applied: boolean
  importer?: string
  form?: string
  action?: string
  name?: string
  source?: string
  files?: string[]
}

const HZ = 'node_modules/hz-cli'

/**
 * One fake published CLI (`test/fixtures/published-hazards/node_modules/hz-cli`, CommonJS, built
 * from its bin as a published CLI is) with one module per hazard; each output line depends on one
 * fix, and each fix must leave its record in the report.
 */
describe.each(BUNDLERS)('issue 12: hazards of published packages, bundled (%s)', (bundler) => {
  it('issue 12: prints what the published package prints, every hazard fixed and reported', async () => {
    const built = await buildFixture('published-hazards', bundler, { entries: { main: `${HZ}/bin/cli.js` } })
    const [source, bundled] = [await built.runSource(), await built.run()]
    expect(source.stdout).toContain('format fancy [A]*[B]')
    expect(bundled).toEqual(source)
    const transforms = built.report!.transforms as Transform[]
    const applied = (kind: string, importer: string, extra: Partial<Transform> = {}) =>
      transforms.filter((t) => t.kind === kind && t.applied && t.importer === `${HZ}/${importer}` && Object.entries(extra).every(([k, v]) => (t as unknown as Record<string, unknown>)[k] === v))

    // Walk-up manifest from require.main (concurrently).
    expect(applied('asset', 'lib/read-package.js', { form: 'main', action: 'manifest' })).toHaveLength(1)
    // Package-root hand-off to a root finder (pkg-dir, read-package-up).
    expect(applied('asset', 'lib/root-name.js', { form: 'dir', action: 'manifest' })).toHaveLength(1)
    // require.resolve of the own manifest, and a folder read from that root (changesets).
    expect(applied('asset', 'bin/cli.js', { form: 'resolve', action: 'manifest' })).toHaveLength(1)
    expect(applied('asset', 'bin/cli.js', { form: 'package-root', action: 'copied' })).toHaveLength(1)
    // UMD factory handed require (jsonc-parser).
    expect(applied('umd-factory', 'lib/format.js')).toHaveLength(1)
    // Sloppy-mode global (walkdir).
    expect(applied('sloppy-global', 'lib/sloppy.js', { name: 'last' })).toHaveLength(1)
    // Optional static require of a missing package (consolidate in @vue/compiler-sfc).
    expect(applied('optional-require', 'lib/engines.js', { source: 'hz-missing-engine' })).toHaveLength(1)
    // import() hidden in new Function (prettier).
    expect(applied('hidden-import', 'lib/hidden.js')).toHaveLength(1)
    // Optional dynamic import of a missing package.
    expect(applied('optional-import', 'bin/cli.js', { source: 'hz-missing-esm' })).toHaveLength(1)
    // Context module (eslint's formatters): both formatters bundled, the text file not.
    const [context] = applied('context-module', 'bin/cli.js')
    expect(context?.files?.map((f) => f.split('/').pop()).sort()).toEqual(['fancy.js', 'plain.js'])

    // A name outside the context: the error a missing file gives (its path differs).
    const [missingSource, missingBundled] = [await built.runSource(['nope']), await built.run(['nope'])]
    expect(missingSource.code).toBe(1)
    expect(missingBundled.stdout).toBe(missingSource.stdout)
    expect(missingBundled.code).toBe(1)
    expect(missingBundled.stderr).toMatch(/^failed Cannot find module .*nope\.js/)
  }, 120_000)
})
