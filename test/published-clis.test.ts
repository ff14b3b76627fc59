import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain ESM script shared with the benchmark, without type declarations.
import { bundleCli, compareCommands, PLUGIN_OPTIONS, PUBLISHED_CLIS } from '../benchmarks/published-clis.mjs'
import { TEST_ROOT } from './harness/index.js'

interface Compared {
  args: string[]
  identical: boolean
  expected: unknown
  actual: unknown
}

/** Inside a node_modules folder under the repo, where an installed CLI lives. */
const outDir = (name: string, bundler: string) => path.join(TEST_ROOT, '.tmp', 'published-clis', 'node_modules', `${name.replace(/\W+/g, '-').replace(/^-/, '')}-${bundler}`)

describe.each(['esbuild', 'rollup'])('published multi-command CLIs bundled with the plugin (%s)', (bundler) => {
  for (const cli of PUBLISHED_CLIS) {
    it(`issue 3: ${cli.name}@${cli.version} prints byte-identical output with the same exit codes as the published package`, async () => {
      // The plugin's defaults (`{}`), every capability on, as a user gets it; no per-CLI override.
      expect(PLUGIN_OPTIONS).toEqual({})
      const built = await bundleCli(cli, bundler, { outDir: outDir(cli.name, bundler), plugin: PLUGIN_OPTIONS })
      const compared: Compared[] = await compareCommands(cli, built.entry, cli.testCommands)
      expect(compared.map((c) => c.args[0])).toEqual(expect.arrayContaining(['--version', '--help']))
      expect(compared.length).toBeGreaterThanOrEqual(3)
      expect(compared.filter((c) => !c.identical)).toEqual([])
      // The bundle really is one: the CommonJS inside needed the globals defined for it.
      expect(built.report.transforms.some((t: { kind: string; applied: boolean }) => t.kind === 'require-shim' && t.applied)).toBe(true)
      // And the analysis-heavy capabilities ran: imports were deferred.
      expect(built.report.transforms.some((t: { kind: string; applied: boolean }) => t.kind === 'lazy-import' && t.applied)).toBe(true)
    }, 300_000)
  }
})
