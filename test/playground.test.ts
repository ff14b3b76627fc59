/**
 * Differential test of the devkit playground (issue #2): every bundler × variant output must
 * print exactly what the unbundled source prints (stdout, stderr, exit code).
 *
 * The eight outputs are built once by `playground/build.mjs` (into playground/dist-test/), the same
 * script `npm run demo` uses, so the bundlers run from their own CLI/config and the optimized configs load the plugin from
 * `packages/unplugin-cli-optimizer/dist` (rebuilt by build.mjs when `src/` is newer).
 */
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildPlayground, PLAYGROUND, PLAYGROUND_OUTPUTS as OUTPUTS, PLAYGROUND_SOURCE as SOURCE, runNode, type RunResult } from './harness/index.js'

/** Its own folder next to dist/, so a concurrent `npm run demo` never overwrites what is tested. */
const OUT = 'dist-test'

interface Case {
  args: string[]
  /** Exit code the source must give, so a case where both sides crash alike cannot pass. */
  code: 0 | 1
  /** Text the source's stdout (code 0) or stderr (code 1) must contain. */
  shows: string
  /** Working directory relative to the playground; default the playground itself. */
  cwd?: string
}

const CASES: Case[] = [
  { args: ['--version'], code: 0, shows: '3.4.1' },
  { args: ['--help'], code: 0, shows: 'csv-summary' },
  { args: ['convert', '--help'], code: 0, shows: '--to <format>' },
  { args: ['csv-summary', '-h'], code: 0, shows: '--group-by <column>' },
  { args: ['init', '--help'], code: 0, shows: 'basic, cli or library' },
  { args: ['convert', 'examples/devkit.yaml', '--to', 'toml'], code: 0, shows: '[[maintainers]]' },
  { args: ['convert', 'examples/devkit-next.toml', '--to', 'yaml', '--sort-keys'], code: 0, shows: 'tls: true' },
  { args: ['validate', 'examples/devkit.yaml', '--schema', 'examples/devkit.schema.json'], code: 0, shows: 'is valid' },
  { args: ['validate', 'examples/devkit-broken.yaml', '-s', 'examples/devkit.schema.json', '--all-errors'], code: 1, shows: '/server/port: must be <= 65535' },
  { args: ['ls', '--cwd', 'examples', '--long', '--only', '*.{yaml,toml}'], code: 0, shows: 'devkit-next.toml' },
  { args: ['table', 'examples/sales.csv', '-c', 'region,product,amount', '--sort=-amount', '-n', '5'], code: 0, shows: '5 of 60 rows' },
  { args: ['csv-summary', 'examples/sales.csv', '--group-by', 'region'], code: 0, shows: 'By region' },
  { args: ['bump', 'examples/package.json', '-r', 'prerelease', '--preid', 'rc'], code: 0, shows: '2.3.0-beta.4 → 2.3.0-rc.0' },
  { args: ['versions', 'examples/releases.txt', '--range', '^2.0.0'], code: 0, shows: 'latest 2.3.0' },
  { args: ['render', 'examples/REPORT.md', '--toc'], code: 0, shows: 'Next steps' },
  { args: ['render', 'examples/REPORT.md', '--format', 'html'], code: 0, shows: '<th align="right">Q4</th>' },
  { args: ['hash', 'examples/sales.csv', 'examples/devkit.yaml', '-a', 'sha512', '--sri'], code: 0, shows: 'sha512-' },
  { args: ['dates', 'examples/milestones.yaml'], code: 0, shows: 'Beta freeze: Mon 20 Jan 2025, in 5 days' },
  { args: ['diff', 'examples/devkit.yaml', 'examples/devkit-next.toml', '--exit-code'], code: 1, shows: '' },
  { args: ['dedupe', 'examples/contacts.csv', '--key', 'email', '-i'], code: 0, shows: 'Katherine Johnson' },
  { args: ['wordcount', 'examples/REPORT.md', 'examples/words.txt'], code: 0, shows: 'total' },
  { args: ['query', 'examples/devkit-next.toml', 'server', '-o', 'yaml'], code: 0, shows: 'port: 9090' },
  // The templates are read relative to the module, not the working directory.
  { args: ['init', 'my-tool', '--template', 'cli', '--dry-run'], code: 0, shows: 'bin: ./src/bin/my-tool.js', cwd: 'examples' },
  { args: ['deploy'], code: 1, shows: 'unknown command "deploy"' },
  { args: ['convert', 'examples/missing.yaml'], code: 1, shows: 'no such file: examples/missing.yaml' },
  { args: ['table', 'examples/sales.csv', '--columns', 'nope'], code: 1, shows: 'unknown column nope' },
]

const label = (c: Case): string => `devkit ${c.args.join(' ')}${c.cwd ? ` (in ${c.cwd}/)` : ''}`
const run = (file: string, c: Case): Promise<RunResult> => runNode(file, c.args, { cwd: path.join(PLAYGROUND, c.cwd ?? '.') })

const sourceResults = new Map<Case, Promise<RunResult>>()
const fromSource = (c: Case): Promise<RunResult> => {
  if (!sourceResults.has(c)) sourceResults.set(c, run(SOURCE, c))
  return sourceResults.get(c)!
}

async function jsBytes(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.m?js$/.test(entry.name)) total += (await stat(path.join(entry.parentPath, entry.name))).size
  }
  return total
}

describe('devkit source (issue #2)', () => {
  it.each(CASES.map((c) => [label(c), c] as const))('%s', async (_name, c) => {
    const result = await fromSource(c)
    expect(result.code, label(c)).toBe(c.code)
    expect(c.code === 0 ? result.stdout : result.stderr, label(c)).toContain(c.shows)
    if (c.code === 1 && c.shows !== '') expect(result.stderr).toMatch(/^devkit: [^\n]+\n$|^✖/)
    expect(result.stderr, 'no stack traces').not.toMatch(/\n\s+at /)
  })

  it('has at least 12 commands, each with a static meta named after its file', async () => {
    const dir = path.join(PLAYGROUND, 'src', 'commands')
    // index.js is the registry that lists the commands, not a command.
    const files = (await readdir(dir)).filter((f) => f.endsWith('.js') && f !== 'index.js' && !f.startsWith('_')).sort()
    expect(files.length).toBeGreaterThanOrEqual(12)
    const help = (await fromSource(CASES[1]!)).stdout
    for (const file of files) {
      const mod = await import(pathToFileURL(path.join(dir, file)).href)
      expect(mod.meta.name).toBe(file.replace(/\.js$/, ''))
      expect(typeof mod.run).toBe('function')
      expect(help).toContain(`  ${mod.meta.name} `)
    }
  })
})

describe('devkit builds', () => {
  /** Build error per output that failed to build; the other outputs are still tested. */
  let buildErrors = new Map<string, string>()

  beforeAll(async () => {
    const built = await buildPlayground(OUT)
    expect(built.outputs).toEqual(OUTPUTS)
    buildErrors = built.errors
  }, 600_000)

  describe.each(OUTPUTS)('devkit built with %s matches the source (issue #2)', (output) => {
    const entry = path.join(PLAYGROUND, OUT, output, 'cli.js')

    it('builds', () => {
      expect(buildErrors.get(output)).toBeUndefined()
    })

    it.concurrent.each(CASES.map((c) => [label(c), c] as const))('%s', async (_name, c) => {
      if (buildErrors.has(output)) throw new Error(`${output} did not build: ${buildErrors.get(output)!.split('\n').slice(0, 3).join(' ')}`)
      const [built, source] = await Promise.all([run(entry, c), fromSource(c)])
      expect(built).toEqual(source)
    })

    if (output.endsWith('-plain')) {
      it('is at least 500 KB minified', async () => {
        expect(await jsBytes(path.dirname(entry))).toBeGreaterThan(500_000)
      })
    }
  })
})
