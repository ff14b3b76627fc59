import { existsSync } from 'node:fs'
import path from 'node:path'
import type { UnpluginOptions } from 'unplugin'
import { isGeneratedId, resolveInterceptorHooks, type Interception, type ResolveInterceptor } from '../adapters/resolve-interceptor.js'
import type { CliOptimizerContext } from '../core/context.js'
import { createAnalysisCache } from '../cache/analysis-cache.js'
import { PLUGIN_VERSION } from '../cache/plugin-version.js'
import { FACTS_SCHEMA, type ModuleFacts } from './module-facts.js'
import { ModuleGraph } from './module-graph.js'
import { declaredSideEffects } from '../treeshake/package-side-effects.js'

interface Shared {
  graph: ModuleGraph
  interceptors: ResolveInterceptor[]
}

const shared = new WeakMap<CliOptimizerContext, Shared>()

/**
 * `cacheDir` relative paths start at the nearest folder of `root` with a `package.json` (as
 * Vite's `cacheDir` does), so a project's builds share one cache wherever `root` points inside it.
 */
export function resolveCacheDir(root: string, cacheDir: string | false): string | false {
  if (cacheDir === false) return false
  if (path.isAbsolute(cacheDir)) return cacheDir
  let dir = path.resolve(root)
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, cacheDir)
    const parent = path.dirname(dir)
    if (parent === dir) return path.resolve(root, cacheDir)
    dir = parent
  }
}

function sharedState(ctx: CliOptimizerContext): Shared {
  let state = shared.get(ctx)
  if (!state) {
    const dir = resolveCacheDir(ctx.options.root, ctx.options.cacheDir)
    const cache = createAnalysisCache<ModuleFacts>({
      dir: dir === false ? false : path.join(dir, 'analysis'),
      version: `${PLUGIN_VERSION}+facts${FACTS_SCHEMA}`,
    })
    state = { graph: new ModuleGraph(cache), interceptors: [] }
    shared.set(ctx, state)
  }
  return state
}

/** The module graph the barrel rewriter, side-effect inference and dead-export report share. */
export function sharedGraph(ctx: CliOptimizerContext): ModuleGraph {
  return sharedState(ctx).graph
}

/** Asks to see every resolution of the build (see `adapters/resolve-interceptor.ts`). */
export function onResolution(ctx: CliOptimizerContext, interceptor: ResolveInterceptor): void {
  sharedState(ctx).interceptors.push(interceptor)
}

const MODULE = /\.(?:[cm]?[jt]sx?)$/

/**
 * The one plugin that watches resolutions for the capabilities that asked (barrels, side-effect
 * inference, dead exports) and records each module's facts from the code the bundler loaded.
 * Nothing when no capability asked.
 */
export function moduleGraphPlugin(ctx: CliOptimizerContext): UnpluginOptions | undefined {
  const state = shared.get(ctx)
  if (!state || state.interceptors.length === 0) return undefined
  const { graph, interceptors } = state
  return {
    name: 'cli-optimizer:module-graph',
    enforce: 'pre',
    buildStart() {
      graph.reset()
    },
    transform: {
      // Only the facts of modules that import something by name matter before resolution.
      filter: { id: { include: [MODULE], exclude: [/^\0/, /\?/] }, code: /\bfrom\s*['"]/ },
      async handler(code, id) {
        await graph.facts(id, code)
        return undefined
      },
    },
    ...resolveInterceptorHooks(async (event) => {
      if (!isGeneratedId(event.importer)) graph.record(event.specifier, event.importer, event.kind, event.id)
      const merged: Interception = {}
      for (const interceptor of interceptors) {
        const result = await interceptor(event)
        if (result?.redirect) merged.redirect = result.redirect
        if (result?.sideEffectFree) merged.sideEffectFree = true
      }
      // A generated barrel proxy evaluates the modules it re-exports from, effects included:
      // it must never be dropped as side-effect-free.
      if (merged.redirect) merged.sideEffectFree = false
      return merged.redirect || merged.sideEffectFree ? merged : undefined
    }, (specifier, importer, kind) => {
      const resolved = graph.resolvedBefore(specifier, importer, kind)
      // A module its package declares droppable needs the bundler's own answer, which carries that flag.
      return resolved?.kind === 'file' && declaredSideEffects(resolved.id) !== false ? resolved.id : undefined
    }),
  }
}
