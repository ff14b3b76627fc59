import type { UnpluginFactory } from 'unplugin'
import { esbuildHooks } from '../adapters/esbuild-hooks.js'
import { rollupHooks } from '../adapters/rollup-hooks.js'
import type { BundlerName } from '../report/report-types.js'
import { createContext } from './context.js'
import { CliOptimizerError } from './errors.js'
import { resolveOptions, type Options } from './options.js'

/** The app's own JS/TS modules; packages are analysed by the capabilities that need them. */
const APP_MODULE = /\.[cm]?[jt]sx?$/
const NOT_APP_MODULE = [/[\\/]node_modules[\\/]/, /^\0/]

function bundlerName(framework: string): BundlerName {
  if (framework === 'vite' || framework === 'rollup' || framework === 'rolldown' || framework === 'esbuild') return framework
  throw new Error(`[cli-optimizer] ${framework} is not supported; use Vite, Rollup, Rolldown or esbuild`)
}

/** Wires the bundler-agnostic context to unplugin's hooks. No logic lives here. */
export const unpluginFactory: UnpluginFactory<Options | undefined> = (rawOptions, meta) => {
  const options = resolveOptions(rawOptions)
  const ctx = createContext(options, bundlerName(meta.framework))
  const outputHooks = rollupHooks(ctx)
  return {
    name: 'cli-optimizer',
    enforce: 'pre',
    buildStart() {
      ctx.buildStart()
    },
    transform: {
      filter: { id: { include: APP_MODULE, exclude: NOT_APP_MODULE } },
      handler(code, id) {
        try {
          return ctx.transform(code, id)
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
    esbuild: { setup: esbuildHooks(ctx) },
  }
}
