// Vite 8 builds devkit as a Node program: an SSR build with every dependency bundled.
// DEVKIT_VARIANT=plain|optimized picks the output and DEVKIT_OUT the folder under playground/
// (default dist); playground/build.mjs sets both.
import { fileURLToPath } from 'node:url'
import { defineConfig, type PluginOption } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
// The command manifest: --help and routing load no command code (see src/commands/index.js).
const COMMANDS = { dir: 'src/commands', registry: 'src/commands/index.js' }
const variant = process.env.DEVKIT_VARIANT ?? 'plain'
if (variant !== 'plain' && variant !== 'optimized') throw new Error(`DEVKIT_VARIANT must be plain or optimized, got ${variant}`)
// One folder deep, so dist/<bundler>-<variant>/cli.js sits as deep as src/bin/cli.js.
const outBase = process.env.DEVKIT_OUT ?? 'dist'
if (!/^[\w.-]+$/.test(outBase)) throw new Error(`DEVKIT_OUT must be a single folder name, got ${outBase}`)
const outDir = `${outBase}/vite-${variant}`

// Loaded only for the optimized variant, so the plain build never depends on the plugin.
const plugins: PluginOption[] = []
if (variant === 'optimized') {
  const { default: cliOptimizer } = await import('unplugin-cli-optimizer/vite')
  plugins.push(cliOptimizer({ root, commands: COMMANDS, runtime: { http: true }, report: { json: `${outDir}/report.json` } }))
}

export default defineConfig({
  root,
  logLevel: 'warn',
  plugins,
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: true,
    outDir,
    emptyOutDir: true,
    minify: true,
    copyPublicDir: false,
    rolldownOptions: {
      input: { cli: 'src/bin/cli.js' },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
})
