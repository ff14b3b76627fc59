import path from 'node:path'
import type { UnpluginOptions } from 'unplugin'
import { onResolution, resolveCacheDir, sharedGraph } from '../barrels/shared-graph.js'
import { createAnalysisCache, contentKey } from '../cache/analysis-cache.js'
import { PLUGIN_VERSION } from '../cache/plugin-version.js'
import { parseModule } from '../core/ast/parse-module.js'
import type { CliOptimizerContext } from '../core/context.js'
import { findDeadExports } from './dead-exports.js'
import { SideEffectInference } from './infer-side-effects.js'
import { applyPureAnnotations, pureAnnotationSites, pureCalleeFilter } from './pure-annotations.js'
import type { ResolvedTreeshakeOptions } from './treeshake-options.js'

const MODULE = /\.(?:[cm]?[jt]sx?)$/

/**
 * Helps the bundler drop what is unused: declares provably side-effect-free modules (at
 * resolution, see `adapters/resolve-interceptor.ts`), annotates known-pure top-level calls, and
 * lists dead exports in the report.
 */
export function treeshakePlugin(ctx: CliOptimizerContext, options: ResolvedTreeshakeOptions | false): UnpluginOptions | undefined {
  if (options === false) return undefined
  const graph = sharedGraph(ctx)
  const inference = new SideEffectInference(graph)
  if (options.inferSideEffects) {
    onResolution(ctx, async (event) => ((await inference.isSideEffectFree(event.resolve, event.id)) ? { sideEffectFree: true } : undefined))
  } else if (options.deadExports) {
    // The dead-export report works from the resolutions the build made.
    onResolution(ctx, async () => undefined)
  }
  // Only the report shows dead exports: with every report output off, nothing would read them.
  if (options.deadExports && ctx.options.report !== false) {
    ctx.reportExtensions.push(async (report, output) => {
      const ids = output.chunks.flatMap((chunk) => chunk.modules.map((m) => m.id))
      report.deadExports = await findDeadExports(graph, ids, ctx.displayId)
    })
  }
  if (options.pure === false) {
    return { name: 'cli-optimizer:treeshake', buildStart: () => inference.reset() }
  }

  const userPure = options.pure
  const pureFilter = pureCalleeFilter(userPure)
  const cacheDir = resolveCacheDir(ctx.options.root, ctx.options.cacheDir)
  const annotations = createAnalysisCache<number[]>({
    dir: cacheDir === false ? false : path.join(cacheDir, 'pure-annotations'),
    version: `${PLUGIN_VERSION}+pure1`,
  })
  const pureKey = userPure.join(',')
  return {
    name: 'cli-optimizer:treeshake',
    enforce: 'pre',
    buildStart() {
      inference.reset()
    },
    transform: {
      filter: { id: { include: [MODULE], exclude: [/^\0/, /\?/] }, code: pureFilter },
      async handler(code, id) {
        const key = contentKey(path.extname(id), pureKey, code)
        let sites = await annotations.get(key)
        if (!sites) {
          try {
            sites = pureAnnotationSites(parseModule(code, id), userPure)
          } catch {
            return undefined
          }
          await annotations.set(key, sites)
        }
        return applyPureAnnotations(code, id, sites)
      },
    },
  }
}
