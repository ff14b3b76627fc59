// esbuild builds devkit as one ESM program for Node.
// Usage: node playground/build-esbuild.mjs [--variant plain|optimized]  (default: both)
import { rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import * as esbuild from 'esbuild'
import cliOptimizer from 'unplugin-cli-optimizer/esbuild'

const root = fileURLToPath(new URL('.', import.meta.url))
const { values } = parseArgs({ options: { variant: { type: 'string' } } })
const variants = values.variant ? [values.variant] : process.env.DEVKIT_VARIANT ? [process.env.DEVKIT_VARIANT] : ['plain', 'optimized']

// What users add by hand today so CommonJS dependencies can require() Node builtins from ESM.
const REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"

for (const variant of variants) {
  if (variant !== 'plain' && variant !== 'optimized') throw new Error(`--variant must be plain or optimized, got ${variant}`)
  const outdir = `${root}dist/esbuild-${variant}`
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
    plugins: variant === 'optimized' ? [cliOptimizer({ root, report: { json: `dist/esbuild-${variant}/report.json` } })] : [],
  })
}
