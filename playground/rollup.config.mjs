// Rollup 4 builds devkit with the usual plugin set for a Node CLI.
// DEVKIT_VARIANT=plain|optimized builds one output; unset builds both.
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import nodeResolve from '@rollup/plugin-node-resolve'
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import terser from '@rollup/plugin-terser'
import cliOptimizer from 'unplugin-cli-optimizer/rollup'

const root = fileURLToPath(new URL('.', import.meta.url))
const builtins = new Set(builtinModules)
const isBuiltin = (id) => id.startsWith('node:') || builtins.has(id) || builtins.has(id.split('/')[0])

const variants = process.env.DEVKIT_VARIANT ? [process.env.DEVKIT_VARIANT] : ['plain', 'optimized']

export default variants.map((variant) => ({
  input: { cli: `${root}src/bin/cli.js` },
  external: isBuiltin,
  plugins: [
    variant === 'optimized' && cliOptimizer({ root, report: { json: 'dist/rollup-optimized/report.json' } }),
    nodeResolve({ exportConditions: ['node'], preferBuiltins: true }),
    commonjs(),
    json(),
    terser(),
  ],
  output: {
    dir: `${root}dist/rollup-${variant}`,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
  },
}))
