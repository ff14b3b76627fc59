// esbuild builds devkit as one ESM program for Node.
// Usage: node playground/build-esbuild.mjs [--variant plain|optimized]  (default: both)
// DEVKIT_OUT is the folder under playground/ (default dist).
import { rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import * as esbuild from 'esbuild'

const root = fileURLToPath(new URL('.', import.meta.url))
// The command manifest: --help and routing load no command code (see src/commands/index.js).
const COMMANDS = { dir: 'src/commands', registry: 'src/commands/index.js' }
const { values } = parseArgs({ options: { variant: { type: 'string' } } })
const variants = values.variant ? [values.variant] : process.env.DEVKIT_VARIANT ? [process.env.DEVKIT_VARIANT] : ['plain', 'optimized']

// One folder deep, so dist/<bundler>-<variant>/cli.js sits as deep as src/bin/cli.js.
const outBase = process.env.DEVKIT_OUT ?? 'dist'
if (!/^[\w.-]+$/.test(outBase)) throw new Error(`DEVKIT_OUT must be a single folder name, got ${outBase}`)

// What users add by hand today so CommonJS dependencies can require() Node builtins from ESM.
const REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"

// Loaded only for the optimized variant, so the plain build never depends on the plugin.
const cliOptimizer = variants.includes('optimized') ? (await import('unplugin-cli-optimizer/esbuild')).default : undefined

for (const variant of variants) {
  if (variant !== 'plain' && variant !== 'optimized') throw new Error(`--variant must be plain or optimized, got ${variant}`)
  const outdir = `${root}${outBase}/esbuild-${variant}`
  await rm(outdir, { recursive: true, force: true })
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { cli: 'src/bin/cli.js' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    minify: true,
    logLevel: 'warning',
    banner: variant === 'plain' ? { js: REQUIRE_BANNER } : undefined,
    plugins: variant === 'optimized' ? [cliOptimizer({ root, commands: COMMANDS, runtime: { http: true }, report: { json: `${outBase}/esbuild-${variant}/report.json` } })] : [],
  })
}
