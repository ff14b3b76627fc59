import type { PluginBuild } from 'esbuild'
import type { CliOptimizerContext } from '../core/context.js'
import { outputGraphFromEsbuild } from './esbuild-output.js'

/** esbuild's raw setup: the metafile is the only source of per-module output sizes. */
export function esbuildHooks(ctx: CliOptimizerContext): (build: PluginBuild) => void {
  return (build) => {
    build.initialOptions.metafile = true
    build.onEnd(async (result) => {
      if (result.errors.length > 0 || !result.metafile) return
      await ctx.finishBuild(outputGraphFromEsbuild(build.initialOptions, result, result.metafile))
    })
  }
}
