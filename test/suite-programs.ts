/**
 * The differential suite of issue 4: every `test/fixtures/suite-*` program is built with the
 * plugin and without it; the optimized build must print what the unbundled source prints and
 * must never be larger than the plain build. One test file per bundler, so vitest runs them in
 * parallel; inside a file the programs run one after the other (two cores).
 */
import { readdirSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Options } from 'unplugin-cli-optimizer'
import { FIXTURES, TEST_ROOT, buildFixture, type Bundler } from './harness/index.js'

export const SUITE_PROGRAMS = readdirSync(FIXTURES)
  .filter((name) => name.startsWith('suite-'))
  .sort()

/** Only the size capabilities: the bootstrap and lazy loading trade bytes for startup time. */
export const SUITE_PLUGIN: Options = {
  cacheDir: path.join(TEST_ROOT, '.tmp', 'suite-analysis-cache'),
  runtime: false,
  lazy: false,
} as Options

/**
 * Code size of an output folder, as shipped: every file minified by esbuild's transform (the
 * same printer for both builds, comments gone), after removing what is renaming noise rather
 * than code: the `createRequire` banner (plain esbuild builds use a hand-written one, the plugin
 * its own with longer names), pure annotations (minifiers drop them) and the `$1` suffixes
 * Rollup and Rolldown add to clashing top-level names in the order modules are emitted, which
 * changes when a barrel no longer sits in front of its modules.
 */
const REQUIRE_BANNER = /^import \{ createRequire as \w+ \} from ['"]node:module['"]; const require = \w+\(import\.meta\.url\);\n/
const DECONFLICT_SUFFIX = /(?<=[A-Za-z_])\$\d+\b/g

async function codeBytes(dir: string): Promise<number> {
  const { transform } = await import('esbuild')
  let total = 0
  for (const file of await readdir(dir, { recursive: true })) {
    if (!/\.[cm]?js$/.test(file)) continue
    const text = (await readFile(path.join(dir, file), 'utf8')).replace(REQUIRE_BANNER, '')
    const { code } = await transform(text, { minify: true, format: 'esm', target: 'node20', legalComments: 'none' })
    // Counted, not re-parsed: dropping the suffixes can make two names equal.
    total += Buffer.byteLength(code.replace(DECONFLICT_SUFFIX, ''))
  }
  return total
}

export function defineSuite(bundler: Bundler): void {
  describe(`differential suite (${bundler}), issue 4`, () => {
    it('has at least 30 programs', () => {
      expect(SUITE_PROGRAMS.length).toBeGreaterThanOrEqual(30)
    })
    for (const program of SUITE_PROGRAMS) {
      it(`${program}: prints what the source prints; never larger than the plain build`, async () => {
        const [optimized, plain] = await Promise.all([
          buildFixture(program, bundler, { plugin: SUITE_PLUGIN }),
          buildFixture(program, bundler, { plugin: false }),
        ])
        const [actual, expected] = await Promise.all([optimized.run(), optimized.runSource()])
        expect(expected.code).toBe(0)
        expect(actual).toEqual(expected)
        const [optimizedBytes, plainBytes] = await Promise.all([codeBytes(optimized.outDir), codeBytes(plain.outDir)])
        expect(optimizedBytes).toBeLessThanOrEqual(plainBytes)
      }, 180_000)
    }
  })
}
