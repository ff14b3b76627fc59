import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUNDLERS, buildFixture } from './harness/index.js'

async function outputText(dir: string): Promise<string> {
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.js'))
  return (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join('\n')
}

describe.each(BUNDLERS)('barrel rewriting (%s)', (bundler) => {
  it('imports of a local barrel go to the defining modules; unused re-exports are never loaded (issue 4)', async () => {
    const [built, plain] = await Promise.all([
      buildFixture('barrel-basic', bundler, { plugin: { cacheDir: false, runtime: false } }),
      buildFixture('barrel-basic', bundler, { plugin: false }),
    ])
    expect(await built.run()).toEqual(await built.runSource())
    const local = built.report!.transforms.filter((t) => t.kind === 'barrel' && t.source === './lib/index.js')
    expect(local).toHaveLength(2)
    expect(local.every((t) => t.applied)).toBe(true)
    expect(local[0]).toMatchObject({ importer: 'main.js', line: 1, names: ['add', 'sub', 'VERSION', 'shout', 'Util'] })
    expect(local[0]!.targets).toEqual(expect.arrayContaining(['lib/math.js', 'lib/strings.js', 'lib/util.js', 'lib/version.js']))
    const text = await outputText(built.outDir)
    expect(text).not.toContain('quick brown fox')
    const plainText = await outputText(plain.outDir)
    // Rollup proves `Object.freeze({…})` pure by itself; esbuild and Rolldown keep it without help.
    if (bundler !== 'rollup') expect(plainText).toContain('quick brown fox')
    expect(text.length).toBeLessThanOrEqual(plainText.length)
  })

  it('keeps a barrel whose skipped modules have top-level effects, and says why (issue 4)', async () => {
    const built = await buildFixture('barrel-effects', bundler, { plugin: { cacheDir: false, runtime: false } })
    expect(await built.run()).toEqual(await built.runSource())
    const [record] = built.report!.transforms.filter((t) => t.kind === 'barrel')
    expect(record).toMatchObject({ applied: false, source: './lib/index.js' })
    expect(record!.reason).toMatch(/top-level effect of lib\/register\.js \(console/)
  })

  it('keeps an escaping namespace import (issue 4)', async () => {
    const built = await buildFixture('barrel-namespace-escape', bundler, { plugin: { cacheDir: false, runtime: false } })
    expect(await built.run()).toEqual(await built.runSource())
    const [record] = built.report!.transforms.filter((t) => t.kind === 'barrel')
    expect(record).toMatchObject({ applied: false })
    expect(record!.reason).toMatch(/namespace lib escapes/)
  })
})
