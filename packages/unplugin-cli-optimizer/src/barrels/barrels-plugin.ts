import type { UnpluginOptions } from 'unplugin'
import { isGeneratedId } from '../adapters/resolve-interceptor.js'
import type { CliOptimizerContext } from '../core/context.js'
import { declaredSideEffects } from '../treeshake/package-side-effects.js'
import { barrelExplicitlyIncluded, barrelIsCandidate, type ResolvedBarrelsOptions } from './barrels-options.js'
import { planBarrelImport } from './barrel-proxy.js'
import { onResolution, sharedGraph } from './shared-graph.js'

/**
 * Export-tree rewriting: the imports of a barrel resolve to a generated module re-exporting each
 * imported name straight from the module that defines it, so the barrel (and everything only it
 * needs) is never loaded. The importer's code is untouched; the work happens at resolution.
 */
export function barrelsPlugin(ctx: CliOptimizerContext, options: ResolvedBarrelsOptions | false): UnpluginOptions | undefined {
  if (options === false) return undefined
  const graph = sharedGraph(ctx)
  const decided = new Set<string>()
  onResolution(ctx, async (event) => {
    if (event.kind !== 'import' || isGeneratedId(event.importer)) return undefined
    const importerFacts = await graph.facts(event.importer)
    if (!importerFacts || importerFacts.imports.length === 0) return undefined
    const plan = await planBarrelImport(event.importer, importerFacts, event.specifier, event.id, {
      graph,
      resolve: event.resolve,
      displayId: ctx.displayId,
      isCandidate: (specifier, id) => barrelIsCandidate(options, specifier, id),
      explicitlyIncluded: (specifier, id) => barrelExplicitlyIncluded(options, specifier, id),
      declaredSideEffects,
    })
    // esbuild resolves each import statement separately: report each decision once.
    const key = `${event.importer}\0${event.specifier}`
    if (!decided.has(key)) {
      decided.add(key)
      ctx.transforms.push(...plan.transforms)
    }
    return plan.proxy ? { redirect: plan.proxy } : undefined
  })
  return {
    name: 'cli-optimizer:barrels',
    buildStart() {
      decided.clear()
    },
  }
}
