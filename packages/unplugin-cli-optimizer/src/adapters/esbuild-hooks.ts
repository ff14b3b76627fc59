import type { PluginBuild } from 'esbuild'
import type { CliOptimizerContext } from '../core/context.js'
import { outputGraphFromEsbuild } from './esbuild-output.js'

/** esbuild's raw setup: the metafile is the only source of per-module output sizes. */
export function esbuildHooks(ctx: CliOptimizerContext): (build: PluginBuild) => void {
  return (build) => {
    build.initialOptions.metafile = true
    build.onEnd(async (result) => {
      if (result.errors.length > 0 || !result.metafile) return
      // esbuild logs the result's warnings after the onEnd callbacks, with `id` as the code.
      const warn = ({ code, message }: { code: string; message: string }): void => {
        result.warnings.push({ id: code, pluginName: 'cli-optimizer', text: message, location: null, notes: [], detail: undefined })
      }
      await ctx.finishBuild(outputGraphFromEsbuild(build.initialOptions, result, result.metafile), warn)
    })
  }
}
