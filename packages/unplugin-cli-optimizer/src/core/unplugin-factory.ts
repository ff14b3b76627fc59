import type { UnpluginFactory, UnpluginOptions } from 'unplugin'
import type { BundlerName } from '../report/report-types.js'
import { createContext } from './context.js'
import { commandsPlugin } from '../commands/commands-plugin.js'
import { runtimePlugin } from '../runtime-inject/runtime-plugin.js'
import { corePlugin } from './core-plugin.js'
import { barrelsPlugin } from '../barrels/barrels-plugin.js'
import { treeshakePlugin } from '../treeshake/treeshake-plugin.js'
import { moduleGraphPlugin } from '../barrels/shared-graph.js'
import { nodeCompatPlugin } from '../node-compat/node-compat-plugin.js'
import { assetsPlugin } from '../assets/assets-plugin.js'
import { lazyEsbuildOutputPlugin, lazyPlugin } from '../lazy/lazy-plugin.js'
import { resolveProbePlugin } from '../adapters/resolve-probe.js'
import { workersPlugin } from '../workers/workers-plugin.js'
import { resolveOptions, type Options } from './options.js'

function bundlerName(framework: string): BundlerName {
  if (framework === 'vite' || framework === 'rollup' || framework === 'rolldown' || framework === 'esbuild') return framework
  throw new Error(`[cli-optimizer] ${framework} is not supported; use Vite, Rollup, Rolldown or esbuild`)
}

/**
 * One plugin per capability, all sharing one context, in pipeline order: each transform sees
 * the output of the ones before it. A capability that is switched off contributes nothing.
 */
export const unpluginFactory: UnpluginFactory<Options | undefined, true> = (rawOptions, meta) => {
  const options = resolveOptions(rawOptions)
  const ctx = createContext(options, bundlerName(meta.framework))
  const plugins: Array<UnpluginOptions | undefined> = [
    // Before the core plugin: with esbuild these rewrite the written chunks in onEnd, which must
    // happen before the core's onEnd measures them for the report (esbuild runs onEnd in order).
    nodeCompatPlugin(ctx, options.nodeCompat),
    // Before assets: a worker's `new URL('./w.js', import.meta.url)` is an entry, not a file to copy.
    workersPlugin(ctx, options.workers, rawOptions),
    assetsPlugin(ctx, options.assets, rawOptions),
    lazyEsbuildOutputPlugin(options.lazy),
    corePlugin(ctx),
    barrelsPlugin(ctx, options.barrels),
    treeshakePlugin(ctx, options.treeshake),
    moduleGraphPlugin(ctx),
    // After barrels: it defers the imports as barrels rewrote them (the defining modules).
    lazyPlugin(ctx, options.lazy),
    commandsPlugin(ctx, options.commands),
    runtimePlugin(ctx, options.runtime),
    // Last: it must see resolutions after every other resolver of this plugin (see adapters/resolve-probe.ts).
    resolveProbePlugin(),
  ]
  return plugins.filter((plugin): plugin is UnpluginOptions => plugin !== undefined)
}
