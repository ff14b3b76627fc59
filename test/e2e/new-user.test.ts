import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Report } from 'unplugin-cli-optimizer'
import { adviceContradictions } from '../advice-checks.js'
import { runNode, TEST_ROOT } from '../harness/index.js'

/**
 * Issue 17: the packages as a new user meets them. Packs every workspace package, installs the
 * tarballs (third-party packages from the registry or npm's cache) into an empty folder, writes
 * the README's Quick start snippets there verbatim and builds the commander CLI with each bundler.
 */
const run = promisify(execFile)
const REPO = path.dirname(TEST_ROOT)
const PACKAGES = ['unplugin-cli-optimizer', 'runtime', 'bench']

/** Versions this repository tests with: the new user gets the same. */
async function version(name: string): Promise<string> {
  return (JSON.parse(await readFile(path.join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
}

/** Code blocks of the README whose introducing line ends with `file`:, by file name. */
export function readmeSnippets(readme: string): Map<string, string> {
  const snippets = new Map<string, string>()
  const lines = readme.split('\n')
  for (let i = 1; i < lines.length; i++) {
    const intro = lines[i - 1] === '' ? lines[i - 2] ?? '' : lines[i - 1]!
    if (lines[i] !== '```js' || !intro.endsWith(':')) continue
    const file = /`((?:src\/)?[\w.-]+\.m?js)`/.exec(intro)?.[1]
    const end = lines.indexOf('```', i + 1)
    if (file && !snippets.has(file)) snippets.set(file, `${lines.slice(i + 1, end).join('\n')}\n`)
  }
  return snippets
}

let project: string
let tarballs: string[]

beforeAll(async () => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'cli-optimizer-new-user-'))
  const packs = path.join(work, 'packs')
  await mkdir(packs)
  tarballs = []
  for (const name of PACKAGES) {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', packs], { cwd: path.join(REPO, 'packages', name) })
    tarballs.push(path.join(packs, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename))
  }
  project = path.join(work, 'project')
  await mkdir(path.join(project, 'src'), { recursive: true })
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'mycli', version: '1.0.0', private: true, type: 'module' }, null, 2))
  const thirdParty = await Promise.all(
    ['esbuild', 'rollup', '@rollup/plugin-node-resolve', '@rollup/plugin-commonjs', '@rollup/plugin-json', 'vite', 'rolldown', 'yaml'].map(async (n) => `${n}@${await version(n)}`),
  )
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs.slice(0, 2), 'commander@14', ...thirdParty], { cwd: project, maxBuffer: 64 * 1024 * 1024 })
  const snippets = readmeSnippets(await readFile(path.join(REPO, 'README.md'), 'utf8'))
  for (const [file, code] of snippets) await writeFile(path.join(project, file), code)
  await writeFile(path.join(project, 'example.yaml'), 'name: mycli\ntags: [fast, small]\n')
}, 600_000)

describe('a new user, from the npm tarballs (issue 17)', () => {
  it('each tarball carries README, LICENSE, CHANGELOG, types and dist', async () => {
    for (const tarball of tarballs) {
      const { stdout } = await run('tar', ['-tzf', tarball])
      const files = stdout.split('\n')
      for (const needed of ['package/README.md', 'package/LICENSE', 'package/CHANGELOG.md', 'package/package.json']) expect(files, tarball).toContain(needed)
      expect(files.some((f) => /^package\/dist\/.*\.d\.ts$/.test(f)), tarball).toBe(true)
      expect(files.some((f) => /^package\/dist\/.*\.js$/.test(f)), tarball).toBe(true)
    }
  })

  it('installs without the optional Redis client', async () => {
    await expect(stat(path.join(project, 'node_modules', 'ioredis'))).rejects.toThrow()
    await expect(stat(path.join(project, 'node_modules', '@cli-optimizer', 'runtime', 'dist', 'cache', 'index.js'))).resolves.toBeDefined()
  })

  const builds = [
    ['esbuild', 'build.mjs', ['node', ['build.mjs']]],
    ['rollup', 'rollup.config.mjs', ['npx', ['rollup', '-c']]],
    ['vite', 'vite.config.mjs', ['npx', ['vite', 'build']]],
    ['rolldown', 'rolldown.config.mjs', ['npx', ['rolldown', '-c', 'rolldown.config.mjs']]],
  ] as const
  const cases = [['--version'], ['--help'], ['hello'], ['hello', 'Ann'], ['read', 'example.yaml'], ['nope']]

  it.each(builds)('builds the README commander CLI with %s, from its README config, and it behaves as the source', async (_bundler, config, [command, args]) => {
    await expect(stat(path.join(project, config))).resolves.toBeDefined()
    await rm(path.join(project, 'dist'), { recursive: true, force: true })
    await run(command, [...args], { cwd: project, maxBuffer: 64 * 1024 * 1024 })
    for (const argv of cases) {
      expect(await runNode(path.join(project, 'dist', 'cli.js'), argv, { cwd: project }), argv.join(' ')).toEqual(
        await runNode(path.join(project, 'src', 'cli.js'), argv, { cwd: project }),
      )
    }
    const report = JSON.parse(await readFile(path.join(project, 'dist', 'report.json'), 'utf8')) as Report
    // yaml is used only after an await: it must have left the start.
    const initial = new Set(report.entries[0]!.initialFiles)
    const yamlAtStart = report.chunks.filter((c) => initial.has(c.file)).flatMap((c) => c.modules).filter((m) => m.package === 'yaml')
    expect(yamlAtStart).toEqual([])
    expect(adviceContradictions(report)).toEqual([])
  }, 300_000)
})
