// Rolldown 1 builds devkit as one ESM program for Node: it resolves packages, CommonJS and JSON
// itself, so the plugin list is only ours. DEVKIT_VARIANT=plain|optimized builds one output;
// unset builds both. DEVKIT_OUT is the folder under playground/ (default dist).
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'

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
const cliOptimizer = variants.includes('optimized') ? (await import('unplugin-cli-optimizer/rolldown')).default : undefined

export default variants.map((variant) => ({
  input: { cli: `${root}src/bin/cli.js` },
  platform: 'node',
  external: isBuiltin,
  plugins: variant === 'optimized' ? [cliOptimizer({ root, commands: COMMANDS, runtime: { http: true }, report: { json: `${outBase}/rolldown-optimized/report.json` } })] : [],
  output: {
    dir: `${root}${outBase}/rolldown-${variant}`,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    minify: true,
  },
}))
