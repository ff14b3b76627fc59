// Rollup 4 builds devkit with the usual plugin set for a Node CLI.
// DEVKIT_VARIANT=plain|optimized builds one output; unset builds both. DEVKIT_OUT is the folder
// under playground/ (default dist).
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import nodeResolve from '@rollup/plugin-node-resolve'
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import terser from '@rollup/plugin-terser'

const root = fileURLToPath(new URL('.', import.meta.url))
// The command manifest: --help and routing load no command code (see src/commands/index.js).
const COMMANDS = { dir: 'src/commands', registry: 'src/commands/index.js' }
const builtins = new Set(builtinModules)
const isBuiltin = (id) => id.startsWith('node:') || builtins.has(id) || builtins.has(id.split('/')[0])

// One folder deep, so dist/<bundler>-<variant>/cli.js sits as deep as src/bin/cli.js.
const outBase = process.env.DEVKIT_OUT ?? 'dist'
if (!/^[\w.-]+$/.test(outBase)) throw new Error(`DEVKIT_OUT must be a single folder name, got ${outBase}`)
const variants = process.env.DEVKIT_VARIANT ? [process.env.DEVKIT_VARIANT] : ['plain', 'optimized']
// Loaded only for the optimized variant, so the plain build never depends on the plugin.
const cliOptimizer = variants.includes('optimized') ? (await import('unplugin-cli-optimizer/rollup')).default : undefined

export default variants.map((variant) => ({
  input: { cli: `${root}src/bin/cli.js` },
  external: isBuiltin,
  plugins: [
    variant === 'optimized' && cliOptimizer({ root, commands: COMMANDS, runtime: { http: true }, report: { json: `${outBase}/rollup-optimized/report.json` } }),
    nodeResolve({ exportConditions: ['node'], preferBuiltins: true }),
    // undici 7 (runtime.http's client) requires node:sqlite lazily; the commonjs plugin would hoist it
    // to a static import that Node 20 cannot load (docs/runtime-http.md).
    commonjs({ ignore: ['node:sqlite'] }),
    json(),
    terser(),
  ],
  output: {
    dir: `${root}${outBase}/rollup-${variant}`,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
  },
}))
