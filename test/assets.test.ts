import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUNDLERS, buildFixture, FIXTURES, runNode, type BuiltFixture } from './harness/index.js'

const ENTRIES = { main: 'src/bin/main.js', warnings: 'src/warnings.js' }
const INLINE = { inlineLimit: 4096 }

/** Copies the output folder somewhere else, as a package would be installed, and runs it from a third folder. */
async function moveAndRun(built: BuiltFixture, args: string[]) {
  const moved = await mkdtemp(path.join(os.tmpdir(), 'cli-opt-moved-'))
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'cli-opt-cwd-'))
  await cp(built.outDir, path.join(moved, 'dist'), { recursive: true })
  await writeFile(path.join(moved, 'package.json'), '{ "type": "module" }\n')
  return runNode(path.join(moved, 'dist', 'main.js'), args, { cwd })
}

async function outputText(dir: string): Promise<string> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true })
  const js = files.filter((f) => f.isFile() && f.name.endsWith('.js'))
  return (await Promise.all(js.map((f) => readFile(path.join(f.parentPath, f.name), 'utf8')))).join('\n')
}

describe.each(BUNDLERS)('files read relative to a module (%s)', (bundler) => {
  it('issue 3: the output folder moved elsewhere prints what the source prints (files copied, and small ones inlined)', async () => {
    for (const assets of [undefined, INLINE]) {
      const built = await buildFixture('assets-relocate', bundler, { entries: ENTRIES, plugin: { assets } })
      for (const args of [[], ['--version']]) {
        const source = await built.runSource(args)
        expect(source.code).toBe(0)
        expect(await moveAndRun(built, args)).toEqual(source)
      }
    }
    const built = await buildFixture('assets-relocate', bundler, { entries: ENTRIES })
    // No code in the output points back at the fixture (comments may name sources): the files
    // really travel with it.
    const code = (await outputText(built.outDir)).replace(/^\s*\/\/.*$/gm, '')
    expect(code).not.toContain(path.join(FIXTURES, 'assets-relocate'))
  })

  it('issue 3: by default copies every file read with a static path, under stable names', async () => {
    const built = await buildFixture('assets-relocate', bundler, { entries: ENTRIES })
    const copied = (await readdir(path.join(built.outDir, 'assets'))).map((f) => f.replace(/-[0-9a-f]{8}\./, '.')).sort()
    expect(copied).toEqual(['config.json', 'greeting.txt', 'large.txt', 'legacy.txt', 'logo.bin', 'package.json'])
    const actions = built.report!.transforms.filter((t) => t.kind === 'asset' && t.applied).map((t) => t.action)
    expect(new Set(actions)).toEqual(new Set(['copied']))
  })

  it('issue 3: with inlineLimit, inlines small text and JSON, copies large and binary files, reports each', async () => {
    const built = await buildFixture('assets-relocate', bundler, { entries: ENTRIES, plugin: { assets: INLINE } })
    const copied = (await readdir(path.join(built.outDir, 'assets'))).sort()
    expect(copied).toEqual([
      expect.stringMatching(/^large-[0-9a-f]{8}\.txt$/),
      expect.stringMatching(/^legacy-[0-9a-f]{8}\.txt$/),
      expect.stringMatching(/^logo-[0-9a-f]{8}\.bin$/),
      expect.stringMatching(/^package-[0-9a-f]{8}\.json$/),
    ])
    const assets = built.report!.transforms.filter((t) => t.kind === 'asset')
    const byFile = (file: string) => assets.filter((t) => t.file === file)
    expect(byFile('templates/greeting.txt').map((t) => t.action)).toEqual(['inlined'])
    expect(byFile('data/config.json').map((t) => t.action)).toEqual(['inlined'])
    expect(byFile('data/large.txt').map((t) => t.action)).toEqual(['copied'])
    expect(byFile('data/logo.bin').map((t) => [t.action, t.importer, t.line, t.column])).toEqual([['copied', 'src/lib/info.js', 20, 31]])
    expect(byFile('package.json').map((t) => [t.action, t.importer, t.line])).toEqual([['copied', 'src/bin/main.js', 7]])
    // path.join(__dirname, …) and __dirname + '…' in CommonJS.
    expect(byFile('data/legacy.txt').map((t) => [t.form, t.action])).toEqual([
      ['join', 'inlined'],
      ['concat', 'copied'],
    ])
  })

  it('issue 3: a directory read and a computed path are left as written and reported with file:line:column', async () => {
    const built = await buildFixture('assets-relocate', bundler, { entries: ENTRIES })
    const refused = built.report!.transforms.filter((t) => t.kind === 'asset' && !t.applied)
    expect(refused.map((t) => [t.importer, t.line, t.column])).toEqual([
      ['src/warnings.js', 13, 23],
      ['src/warnings.js', 8, 22],
    ])
    expect(refused.map((t) => t.reason)).toEqual([expect.stringMatching(/computed at runtime/), expect.stringMatching(/a directory/)])
  })
})
