import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { build, type Plugin, type PluginBuild } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { esbuildFileResolver } from '../packages/unplugin-cli-optimizer/src/adapters/esbuild-file-resolve.js'

/** Runs `probe` inside a real esbuild build's setup/onStart, with the given options. */
async function insideBuild<T>(options: Parameters<typeof build>[0], probe: (b: PluginBuild) => Promise<T>, name = 'cli-optimizer'): Promise<T> {
  let answer: T | undefined
  const plugin: Plugin = {
    name,
    setup(b) {
      b.onStart(async () => {
        answer = await probe(b)
      })
    },
  }
  await build({ ...options, plugins: [plugin, ...(options.plugins ?? [])], write: false, logLevel: 'silent' })
  return answer as T
}

describe('esbuild in-process file resolution (issue 4)', () => {
  it('answers relative file imports exactly as build.resolve() does, and leaves the rest to it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-optimizer-resolve-'))
    const src = path.join(dir, 'src')
    await mkdir(path.join(src, 'folder'), { recursive: true })
    await mkdir(path.join(src, 'both'), { recursive: true })
    await writeFile(path.join(src, 'main.js'), "import './a.js'\n")
    await writeFile(path.join(src, 'a.js'), '')
    await writeFile(path.join(src, 'b.ts'), '')
    await writeFile(path.join(src, 'c.js'), '')
    await writeFile(path.join(src, 'c.js.ts'), '')
    await writeFile(path.join(src, 'folder', 'index.js'), '')
    await writeFile(path.join(src, 'both.ts'), '')
    await writeFile(path.join(src, 'both', 'index.js'), '')
    await symlink(path.join(src, 'a.js'), path.join(src, 'linked.js'))
    const specifiers = ['./a.js', './b', './b.js', './c.js', './folder', './folder/', './both', './linked.js', './missing.js', '../src/a.js', path.join(src, 'a.js'), './a.js?x', 'node:fs']
    const options = { entryPoints: [path.join(src, 'main.js')], bundle: true, platform: 'node' as const, absWorkingDir: dir }
    const answers = await insideBuild(options, async (b) => {
      const fast = esbuildFileResolver(b)!
      return Promise.all(
        specifiers.map(async (specifier) => {
          const native = await b.resolve(specifier, { kind: 'import-statement', resolveDir: src, importer: path.join(src, 'main.js') })
          return { specifier, fast: fast(specifier, src), native: native.errors.length > 0 ? undefined : native.path }
        }),
      )
    })
    for (const { specifier, fast, native } of answers) {
      // In-process answers are esbuild's; undefined means "ask esbuild".
      if (fast !== undefined) expect({ specifier, path: fast }).toEqual({ specifier, path: native })
    }
    expect(answers.filter((a) => a.fast !== undefined).map((a) => a.specifier)).toEqual(['./a.js', './b', './c.js', './both', './linked.js', '../src/a.js', path.join(src, 'a.js')])
    await rm(dir, { recursive: true, force: true })
  })

  it('stands back when another plugin, a path-like external or browser maps could answer differently', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-optimizer-resolve-'))
    await writeFile(path.join(dir, 'main.js'), '')
    const base = { entryPoints: [path.join(dir, 'main.js')], bundle: true, platform: 'node' as const, absWorkingDir: dir }
    const available = (options: Parameters<typeof build>[0]) => insideBuild(options, async (b) => esbuildFileResolver(b) !== undefined)
    expect(await available(base)).toBe(true)
    expect(await available({ ...base, external: ['lodash', '@scope/pkg'] })).toBe(true)
    expect(await available({ ...base, plugins: [{ name: 'someone-else', setup() {} }] })).toBe(false)
    expect(await available({ ...base, external: ['*.node'] })).toBe(false)
    expect(await available({ ...base, external: ['./vendor.js'] })).toBe(false)
    expect(await available({ ...base, platform: 'browser' })).toBe(false)
    expect(await available({ ...base, mainFields: ['browser', 'main'] })).toBe(false)
    await rm(dir, { recursive: true, force: true })
  })
})
