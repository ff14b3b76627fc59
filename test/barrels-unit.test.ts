import { readFileSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { GraphResolve } from '../packages/unplugin-cli-optimizer/src/adapters/resolve-interceptor.js'
import { planBarrelImport, type BarrelEnv } from '../packages/unplugin-cli-optimizer/src/barrels/barrel-proxy.js'
import { moduleFacts } from '../packages/unplugin-cli-optimizer/src/barrels/module-facts.js'
import { ModuleGraph } from '../packages/unplugin-cli-optimizer/src/barrels/module-graph.js'
import { createAnalysisCache } from '../packages/unplugin-cli-optimizer/src/cache/analysis-cache.js'
import { declaredSideEffects } from '../packages/unplugin-cli-optimizer/src/treeshake/package-side-effects.js'
import { FIXTURES, TEST_ROOT } from './harness/index.js'

const ROOT = path.join(FIXTURES, 'barrel-unit')
const resolve: GraphResolve = async (specifier, importer) => {
  try {
    return { id: createRequire(importer).resolve(specifier), external: false }
  } catch {
    return null
  }
}

function env(): BarrelEnv {
  return {
    graph: new ModuleGraph(createAnalysisCache({ dir: false, version: 'test' })),
    resolve,
    displayId: (id) => path.relative(ROOT, id).split(path.sep).join('/'),
    isCandidate: () => true,
    declaredSideEffects,
    explicitlyIncluded: () => false,
  }
}

/** Proxy source with absolute paths made relative, so the snapshot does not depend on the checkout. */
const portable = (code: string) => code.split(ROOT).join('<fixture>')

describe('barrel plans (unit)', () => {
  const importer = path.join(ROOT, 'importer.js')
  const facts = moduleFacts(readFileSync(importer, 'utf8'), importer)

  for (const [specifier, file] of [['./lib/index.js', 'lib/index.js'], ['./cjs/index.cjs', 'cjs/index.cjs']] as const) {
    it(`${specifier}: snapshot, and a second pass changes nothing (issue 4)`, async () => {
      const barrel = path.join(ROOT, file)
      const plan = await planBarrelImport(importer, facts, specifier, barrel, env())
      expect({ transforms: plan.transforms, proxy: portable(plan.proxy?.code ?? '(kept)') }).toMatchSnapshot()
      // The proxy is itself a barrel of the defining modules: planning the same imports against
      // it must not lead anywhere else, i.e. rewriting is idempotent.
      const dir = await mkdtemp(path.join(TEST_ROOT, '.tmp', 'barrel-unit-'))
      const proxyFile = path.join(dir, 'proxy.js')
      await writeFile(proxyFile, plan.proxy!.code)
      const again = await planBarrelImport(importer, facts, specifier, proxyFile, env())
      // Either the same modules again, or (a proxy of CommonJS defaults) nothing left to rewrite.
      if (again.proxy) expect(again.proxy.code).toBe(plan.proxy!.code)
      else expect(again.transforms.every((t) => !t.applied)).toBe(true)
    })
  }
})
