import type { CliOptimizerContext } from '../core/context.js'
import { outputGraphFromRollup, type RollupLikeBundle, type RollupLikeOutputOptions } from './rollup-output.js'

/** Output-side hooks shared by Rollup, Rolldown and Vite (all speak Rollup's plugin API here). */
export function rollupHooks(ctx: CliOptimizerContext) {
  return {
    async writeBundle(this: { warn(log: { code: string; message: string }): void }, outputOptions: RollupLikeOutputOptions, bundle: RollupLikeBundle): Promise<void> {
      await ctx.finishBuild(outputGraphFromRollup(outputOptions, bundle, ctx.options.root), (warning) => this.warn(warning))
    },
  }
}
