// Vite 8 builds devkit as a Node program: an SSR build with every dependency bundled.
// DEVKIT_VARIANT=plain|optimized picks the output (playground/build.mjs sets it).
import { fileURLToPath } from 'node:url'
import { defineConfig, type PluginOption } from 'vite'
import cliOptimizer from 'unplugin-cli-optimizer/vite'

const root = fileURLToPath(new URL('.', import.meta.url))
const variant = process.env.DEVKIT_VARIANT ?? 'plain'
if (variant !== 'plain' && variant !== 'optimized') throw new Error(`DEVKIT_VARIANT must be plain or optimized, got ${variant}`)

const plugins: PluginOption[] = variant === 'optimized' ? [cliOptimizer({ root, report: { json: 'dist/vite-optimized/report.json' } })] : []

export default defineConfig({
  root,
  logLevel: 'warn',
  plugins,
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: true,
    outDir: `dist/vite-${variant}`,
    emptyOutDir: true,
    minify: true,
    copyPublicDir: false,
    rolldownOptions: {
      input: { cli: 'src/bin/cli.js' },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
})
