import { readFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { GraphResolve } from '../packages/unplugin-cli-optimizer/src/adapters/resolve-interceptor.js'
import { ModuleGraph } from '../packages/unplugin-cli-optimizer/src/barrels/module-graph.js'
import { createAnalysisCache } from '../packages/unplugin-cli-optimizer/src/cache/analysis-cache.js'
import { SideEffectInference } from '../packages/unplugin-cli-optimizer/src/treeshake/infer-side-effects.js'
import { annotatePureCalls } from '../packages/unplugin-cli-optimizer/src/treeshake/pure-annotations.js'
import { BUNDLERS, FIXTURES, buildFixture } from './harness/index.js'

const PURE = path.join(FIXTURES, 'treeshake-pure')
const INFER = path.join(FIXTURES, 'treeshake-infer')

/** Node's own resolution: enough for local fixtures in unit tests. */
export const nodeResolve: GraphResolve = async (specifier, importer) => {
  try {
    return { id: createRequire(importer).resolve(specifier), external: false }
  } catch {
    return null
  }
}

describe('pure annotations (unit)', () => {
  for (const file of ['known-pure.js', 'refused.js', 'shadowed.js', 'user-pure.js', 'commonjs.cjs']) {
    it(`${file}: snapshot, and a second pass changes nothing (issue 4)`, () => {
      const id = path.join(PURE, file)
      const code = readFileSync(id, 'utf8')
      const first = annotatePureCalls(code, id, ['defineCommand'])
      expect(first?.code ?? '(unchanged)').toMatchSnapshot()
      expect(annotatePureCalls(first?.code ?? code, id, ['defineCommand'])).toBeUndefined()
    })
  }

  it('annotates only what the rules allow', () => {
    const annotated = (file: string) => annotatePureCalls(readFileSync(path.join(PURE, file), 'utf8'), path.join(PURE, file), [])?.code ?? ''
    expect(annotated('refused.js')).toBe('')
    expect(annotated('shadowed.js')).toContain('/*#__PURE__*/new Map()')
    expect(annotated('shadowed.js')).not.toContain("/*#__PURE__*/Symbol('local')")
    expect(annotated('user-pure.js')).toBe('')
  })
})

describe('side-effect inference (unit)', () => {
  const verdicts = async (files: string[]) => {
    const graph = new ModuleGraph(createAnalysisCache({ dir: false, version: 'test' }))
    const inference = new SideEffectInference(graph)
    return Object.fromEntries(await Promise.all(files.map(async (f) => [f, await inference.isSideEffectFree(nodeResolve, path.join(INFER, f))] as const)))
  }

  it('declares pure ES modules only, and not what imports an effect, cycles or CommonJS (issue 4)', async () => {
    expect(await verdicts(['pure.js', 'unused-pure.js', 'imports-effect.js', 'effect.js', 'cycle-a.js', 'commonjs.cjs', 'main.js'])).toEqual({
      'pure.js': true,
      'unused-pure.js': true,
      'imports-effect.js': false,
      'effect.js': false,
      'cycle-a.js': false,
      'commonjs.cjs': false,
      'main.js': false,
    })
  })

  it('leaves modules of a package that declares sideEffects to the package (issue 4)', async () => {
    const lodash = createRequire(import.meta.url).resolve('lodash-es/chunk.js')
    const graph = new ModuleGraph(createAnalysisCache({ dir: false, version: 'test' }))
    expect(await new SideEffectInference(graph).isSideEffectFree(nodeResolve, lodash)).toBe(false)
  })
})

async function outputText(dir: string): Promise<string> {
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.js'))
  return (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join('\n')
}

describe.each(BUNDLERS)('tree-shaking help (%s)', (bundler) => {
  it('drops an unused, provably pure module the bundler would keep; keeps effects (issue 4)', async () => {
    const built = await buildFixture('treeshake-infer', bundler, { plugin: { cacheDir: false, runtime: false, barrels: false } })
    expect(await built.run()).toEqual(await built.runSource())
    expect(await outputText(built.outDir)).not.toContain('an unused module the bundler keeps')
    expect((await built.run()).stdout).toContain('effect.js evaluated')
  })

  it('drops unused results of known-pure calls', async () => {
    const built = await buildFixture('suite-local-pure-annotations', bundler, { plugin: { cacheDir: false, runtime: false } })
    expect(await built.run()).toEqual(await built.runSource())
    const text = await outputText(built.outDir)
    expect(text).not.toContain('frozen table nobody reads')
    expect(text).not.toContain('never read')
  })

  it('lists exports no module imports in the report, with their size (issue 4)', async () => {
    const built = await buildFixture('barrel-basic', bundler, { plugin: { cacheDir: false, runtime: false } })
    expect(built.report!.deadExports).toEqual([{ module: 'lib/strings.js', name: 'whisper', bytes: 38 }])
  })
})
