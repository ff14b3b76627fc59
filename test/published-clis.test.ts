import { afterAll, describe, expect, it } from 'vitest'
import { rm } from 'node:fs/promises'
// @ts-expect-error: plain ESM scripts shared with the benchmark, without type declarations.
import { PUBLISHED_CLIS, slugOf } from '../benchmarks/lib/published-cli-table.mjs'
// @ts-expect-error: as above.
import { buildCli, compareCommands, firstDifference, makeWorkDir } from '../benchmarks/lib/published-cli-build.mjs'

interface Row {
  name: string
  version: string
  commands: string[][]
  quick: number[]
}

interface Compared {
  args: string[]
  identical: boolean
  expected: unknown
  actual: unknown
}

/**
 * Rows whose builds take seconds, not minutes: `npm test` builds two of them per run (rotating
 * by ISO week, or `CLI_ROTATION=<n>` to repeat one), with esbuild and Rolldown. Every row and
 * bundler runs in `node benchmarks/published-clis-matrix.mjs` (results in benchmarks/results/).
 */
const FAST = ['concurrently', 'eslint', 'publint', 'svgo', 'markdownlint-cli2', 'lerna-lite-cli']
const BUNDLERS = ['esbuild', 'rolldown']

function isoWeek(date: Date): number {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
  day.setUTCDate(day.getUTCDate() + 4 - (day.getUTCDay() || 7))
  return Math.ceil(((day.getTime() - Date.UTC(day.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7)
}

const rotation = Number(process.env.CLI_ROTATION ?? isoWeek(new Date()))
const chosen = [FAST[(2 * rotation) % FAST.length]!, FAST[(2 * rotation + 1) % FAST.length]!]
const rows = (PUBLISHED_CLIS as Row[]).filter((row) => chosen.includes(slugOf(row)))

const work: Promise<string> = makeWorkDir()
afterAll(async () => rm(await work, { recursive: true, force: true }))

describe(`issue 12: published CLIs bundled with the plugin's defaults, outside the repo (rotation ${rotation}: ${chosen.join(', ')})`, () => {
  it('the rotation names rows of the table', () => {
    expect(rows.map((row) => slugOf(row)).sort()).toEqual([...chosen].sort())
  })

  for (const cli of rows) {
    for (const bundler of BUNDLERS) {
      it(`issue 12: ${cli.name}@${cli.version} (${bundler}) prints, exits and writes what the published package does`, async () => {
        const built = await buildCli(cli, bundler, { workDir: await work, plugin: {} })
        expect(built.error).toBeUndefined()
        const compared: Compared[] = await compareCommands(cli, built.entry, cli.quick.map((i) => cli.commands[i]!))
        expect(compared.length).toBeGreaterThanOrEqual(1)
        expect(compared.filter((c) => !c.identical).map((c) => `${c.args.join(' ')}: ${firstDifference(c.expected, c.actual)}`)).toEqual([])
        // The bundle really is one: the packages' code is in its chunks, not read from node_modules
        // (a require shim is no proof: publint is ESM only and needs none).
        const packaged = built.report.chunks.flatMap((c: { modules: Array<{ package?: string }> }) => c.modules).filter((m: { package?: string }) => m.package)
        expect(packaged.length).toBeGreaterThan(10)
        // And the plugin transformed it: some import was deferred, so a run that passes with
        // deferral silently off cannot pass here.
        const deferred = built.report.transforms.filter((t: { kind: string; applied: boolean }) => t.kind === 'lazy-import' && t.applied)
        expect(deferred.length).toBeGreaterThan(0)
      }, 180_000)
    }
  }
})
