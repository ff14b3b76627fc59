#!/usr/bin/env node
// Builds the devkit playground with each bundler's own CLI/config, in each variant.
// Usage: node playground/build.mjs [--bundler vite|rollup|esbuild] [--variant plain|optimized] [--json]
// Default: all six outputs, into playground/dist/<bundler>-<variant>/cli.js.
import { spawn } from 'node:child_process'
import { readdir, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const playground = path.dirname(fileURLToPath(import.meta.url))
const repo = path.dirname(playground)
const require = createRequire(import.meta.url)

export const BUNDLERS = ['vite', 'rollup', 'esbuild']
export const VARIANTS = ['plain', 'optimized']

const binOf = (pkg, name) => {
  const manifest = require(`${pkg}/package.json`)
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name ?? pkg]
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), bin)
}

/** The command each bundler is normally run with, for one variant. */
function commandFor(bundler) {
  if (bundler === 'vite') return [binOf('vite'), 'build', '-c', path.join(playground, 'vite.config.ts')]
  if (bundler === 'rollup') return [binOf('rollup'), '-c', path.join(playground, 'rollup.config.mjs'), '--silent']
  return [path.join(playground, 'build-esbuild.mjs')]
}

function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${args.map((a) => path.relative(repo, a) || a).join(' ')} failed (exit ${code}):\n${output}`))))
  })
}

async function newestMtime(dir, filter) {
  let newest = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && filter(entry.name)) newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs)
  }
  return newest
}

/** The optimized configs import unplugin-cli-optimizer, i.e. its dist/: rebuild it when src/ is newer. */
export async function ensurePluginBuilt() {
  const pkg = path.join(repo, 'packages', 'unplugin-cli-optimizer')
  const built = await stat(path.join(pkg, 'dist', 'index.js')).then((s) => s.mtimeMs, () => 0)
  const source = await newestMtime(path.join(pkg, 'src'), (name) => name.endsWith('.ts'))
  if (built >= source) return false
  await run([binOf('typescript', 'tsc'), '-p', path.join(pkg, 'tsconfig.build.json')]).catch((error) => {
    // tsc still emits when some file has a type error; only a missing output is fatal.
    if (!error.message.includes('error TS')) throw error
  })
  return true
}

/** Builds one output; resolves to its build time in milliseconds. */
export async function buildOne(bundler, variant) {
  const started = performance.now()
  const [script, ...rest] = commandFor(bundler)
  const args = bundler === 'esbuild' ? [script, '--variant', variant, ...rest] : [script, ...rest]
  await run(args, { DEVKIT_VARIANT: variant })
  return performance.now() - started
}

export async function buildAll({ bundlers = BUNDLERS, variants = VARIANTS, log = () => {} } = {}) {
  if (variants.includes('optimized') && (await ensurePluginBuilt())) log('built packages/unplugin-cli-optimizer/dist')
  const results = []
  for (const bundler of bundlers) {
    for (const variant of variants) {
      const ms = await buildOne(bundler, variant)
      const entry = path.join(playground, 'dist', `${bundler}-${variant}`, 'cli.js')
      const bytes = (await stat(entry)).size
      results.push({ bundler, variant, entry: path.relative(repo, entry), ms: Math.round(ms), entryBytes: bytes })
      log(`${`${bundler}-${variant}`.padEnd(20)}${`${(ms / 1000).toFixed(1)} s`.padStart(8)}  ${path.relative(repo, entry)} (${(bytes / 1024).toFixed(1)} KiB entry)`)
    }
  }
  return results
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { bundler: { type: 'string' }, variant: { type: 'string' }, json: { type: 'boolean' } } })
  if (values.bundler && !BUNDLERS.includes(values.bundler)) throw new Error(`--bundler must be one of ${BUNDLERS.join(', ')}`)
  if (values.variant && !VARIANTS.includes(values.variant)) throw new Error(`--variant must be one of ${VARIANTS.join(', ')}`)
  const results = await buildAll({
    bundlers: values.bundler ? [values.bundler] : BUNDLERS,
    variants: values.variant ? [values.variant] : VARIANTS,
    log: values.json ? () => {} : (line) => console.log(line),
  })
  if (values.json) console.log(JSON.stringify(results, null, 2))
}
