import type { UnpluginOptions } from 'unplugin'
import { esbuildFileResolver } from '../adapters/esbuild-file-resolve.js'
import { esbuildHooks } from '../adapters/esbuild-hooks.js'
import { rollupHooks } from '../adapters/rollup-hooks.js'
import type { CliOptimizerContext } from './context.js'
import { CliOptimizerError } from './errors.js'
import { syntaxCheckFor } from './syntax-check.js'

/** The app's own JS/TS modules; packages are analysed by the capabilities that need them. */
export const APP_MODULE = /\.[cm]?[jt]sx?$/
export const NOT_APP_MODULE = [/[\\/]node_modules[\\/]/, /^\0/]

/**
 * Build lifecycle and the report: resets per-build state, rejects malformed app source with a
 * located error, and measures the output once the bundler has written it.
 */
export function corePlugin(ctx: CliOptimizerContext): UnpluginOptions {
  const outputHooks = rollupHooks(ctx)
  const syntax = syntaxCheckFor(ctx.options)
  return {
    name: 'cli-optimizer',
    enforce: 'pre',
    buildStart() {
      ctx.buildStart()
    },
    transform: {
      filter: { id: { include: APP_MODULE, exclude: NOT_APP_MODULE } },
      async handler(code, id) {
        await syntax.ready()
        try {
          ctx.checkSyntax(code, id)
          return undefined
        } catch (error) {
          // Reported through the bundler's own channel so esbuild shows the user's file as the
          // location instead of a frame inside this plugin (Rollup and Vite throw here).
          if (!(error instanceof CliOptimizerError) || !error.loc) throw error
          this.error({ message: error.message, id, loc: { file: error.loc.file, line: error.loc.line, column: error.loc.column } })
          return code
        }
      },
    },
    rollup: outputHooks,
    rolldown: outputHooks,
    vite: { ...outputHooks, apply: 'build' },
    esbuild: {
      setup(build) {
        // The in-process file resolver (adapters/esbuild-file-resolve.ts) reads each folder once per build.
        const fileResolve = esbuildFileResolver(build)
        if (fileResolve) build.onStart(() => fileResolve.reset())
        return esbuildHooks(ctx)(build)
      },
    },
  }
}
