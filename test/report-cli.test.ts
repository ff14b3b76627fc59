import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, readdir, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Report } from 'unplugin-cli-optimizer'
import { buildFixture, runNode, TEST_ROOT } from './harness/index.js'

const run = promisify(execFile)
const PKG = path.join(TEST_ROOT, '..', 'packages', 'unplugin-cli-optimizer')
const BIN = path.join(PKG, 'bin', 'cli-optimizer.js')
const BUILT = path.join(PKG, 'dist', 'cli-bin')

async function newestSource(dir: string): Promise<number> {
  let newest = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs)
  }
  return newest
}

/**
 * `npm test` builds every package first. Run alone, this file rebuilds the bin when its sources
 * are newer: the bin is bundled from src/ by esbuild, only the plugin it is built with comes from
 * dist/ (compiled once when missing).
 */
async function ensureBinBuilt(): Promise<void> {
  const built = await stat(path.join(BUILT, 'cli-optimizer.js')).then((s) => s.mtimeMs, () => 0)
  const sources = await Promise.all(['cli', 'report', 'compare', 'budgets'].map((dir) => newestSource(path.join(PKG, 'src', dir))))
  if (built >= Math.max(...sources)) return
  const pluginBuilt = await stat(path.join(PKG, 'dist', 'esbuild.js')).then(() => true, () => false)
  if (!pluginBuilt) {
    const tsc = path.join(TEST_ROOT, '..', 'node_modules', 'typescript', 'bin', 'tsc')
    // tsc emits even when another file has a type error; the bin build below needs only the output.
    await run(process.execPath, [tsc, '-p', path.join(PKG, 'tsconfig.build.json')]).catch(() => undefined)
  }
  await run(process.execPath, [path.join(PKG, 'scripts', 'build-cli.mjs')])
}

describe('the cli-optimizer bin (issue 5)', () => {
  let version: string
  beforeAll(async () => {
    await ensureBinBuilt()
    version = JSON.parse(await readFile(path.join(PKG, 'package.json'), 'utf8')).version
  })

  it('prints its version, loading only the argument router at start', async () => {
    expect(await runNode(BIN, ['--version'])).toEqual({ stdout: `${version}\n`, stderr: '', code: 0 })
    // Built with cli-optimizer: its own report shows what `cli-optimizer --version` loads.
    const report = JSON.parse(await readFile(path.join(BUILT, 'report.json'), 'utf8')) as Report
    const [entry] = report.entries
    const initialModules = report.chunks.filter((c) => entry!.initialFiles.includes(c.file)).flatMap((c) => c.modules.map((m) => m.id))
    expect(initialModules).toContain('src/cli/main.ts')
    for (const heavy of ['src/report/html/client-script.ts', 'src/cli/compare-command.ts', 'src/report/markdown.ts']) {
      expect(initialModules).not.toContain(heavy)
      expect(report.chunks.some((c) => c.modules.some((m) => m.id === heavy))).toBe(true)
    }
    expect(entry!.initialBytes).toBeLessThan(entry!.totalBytes / 4)
  })

  it('turns a report JSON into HTML, Markdown and a terminal summary', async () => {
    const built = await buildFixture('report-basic', 'rollup')
    const json = path.join(path.dirname(built.outDir), 'report.json')
    const html = path.join(path.dirname(built.outDir), 'from-cli.html')
    const written = await runNode(BIN, ['report', json, '--html', html])
    expect(written.code).toBe(0)
    expect(await readFile(html, 'utf8')).toMatch(/^<!doctype html>[\s\S]*id="treemap"/)
    const markdown = await runNode(BIN, ['report', json, '--markdown', '--compression', 'gzip'])
    expect(markdown.code).toBe(0)
    expect(markdown.stdout).toContain('## cli-optimizer bundle report (rollup)')
    expect(markdown.stdout).toContain('Sizes: **gzip**')
    const summary = await runNode(BIN, ['report', json])
    expect(summary.stdout).toMatch(/main: initial [\d.]+ (KiB|B)/)
    expect(summary.stdout).not.toMatch(/\x1b\[/)
    const missing = await runNode(BIN, ['report', `${json}.nope`])
    expect(missing).toMatchObject({ code: 2, stdout: '' })
    expect(missing.stderr).toContain(`report ${json}.nope: the file does not exist`)
  })

  it('dispatches bench to @cli-optimizer/bench, and says how to install it when it is missing', async () => {
    const help = await runNode(BIN, ['bench', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: cli-optimizer bench')
    // A copy of the bin outside this repository cannot resolve the optional package.
    const alone = await mkdtemp(path.join(os.tmpdir(), 'cli-optimizer-bin-'))
    await cp(BUILT, alone, { recursive: true })
    const missing = await runNode(path.join(alone, 'cli-optimizer.js'), ['bench', '--help'], { cwd: alone })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('cli-optimizer bench needs the @cli-optimizer/bench package: npm install --save-dev @cli-optimizer/bench')
  })

  it('suggests the closest command and flag for a typo (issue 17)', async () => {
    const command = await runNode(BIN, ['reprot', 'x.json'])
    expect(command.code).toBe(2)
    expect(command.stderr).toContain('unknown command "reprot". Did you mean cli-optimizer report?')
    const flag = await runNode(BIN, ['compare', 'a.json', 'b.json', '--markdwon'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toContain('cli-optimizer compare: unknown option --markdwon. Did you mean --markdown? Options: --markdown, --all, --compression, --budgets')
  })

  it('rejects an unknown command with the usage and exit code 2', async () => {
    const result = await runNode(BIN, ['frobnicate'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/unknown command "frobnicate"[\s\S]*Usage: cli-optimizer <command>/)
  })
})
