#!/usr/bin/env node
// Builds the `cli-optimizer` bin with esbuild and cli-optimizer itself (from dist/, so run after
// tsc): the entry holds only argument routing and `--version`; every subcommand is a chunk loaded
// on first use. Output: dist/cli-bin/ (entry cli-optimizer.js) and its report JSON.
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import cliOptimizer from '../dist/esbuild.js'

const pkgDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const outdir = path.join(pkgDir, 'dist', 'cli-bin')
const manifest = JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8'))

await rm(outdir, { recursive: true, force: true })
await esbuild.build({
  absWorkingDir: pkgDir,
  entryPoints: { 'cli-optimizer': 'src/cli/bin.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  // Dependencies stay installed packages; @cli-optimizer/bench is optional and loaded by `bench`.
  packages: 'external',
  define: { __CLI_OPTIMIZER_VERSION__: JSON.stringify(manifest.version) },
  logLevel: 'warning',
  plugins: [cliOptimizer({ root: pkgDir, report: { json: 'dist/cli-bin/report.json', terminal: false }, runtime: { profile: false } })],
})
