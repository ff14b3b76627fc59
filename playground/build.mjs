#!/usr/bin/env node
// Builds the devkit playground with each bundler's own CLI/config, in each variant.
// Usage: node playground/build.mjs [--bundler vite|rollup|esbuild|rolldown] [--variant plain|optimized]
//                                  [--out <folder>] [--jobs <n>] [--json] [--keep-going]
// Default: all eight outputs, one at a time, into playground/dist/<bundler>-<variant>/cli.js.
//   --out         another folder next to dist/ (e.g. dist-test), so tests and the demo never
//                 overwrite each other
//   --jobs        builds at once (faster on 2+ cores, but build times are then not comparable)
//   --keep-going  build the other outputs when one fails (still exits 1)
//   --json        print the results as JSON on stdout
// A build that runs longer than DEVKIT_BUILD_TIMEOUT_MS (default 300000) is killed and fails.
import { spawn } from 'node:child_process'
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const playground = path.dirname(fileURLToPath(import.meta.url))
const repo = path.dirname(playground)
const require = createRequire(import.meta.url)

export const BUNDLERS = ['vite', 'rollup', 'esbuild', 'rolldown']
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
  if (bundler === 'rolldown') return [binOf('rolldown'), '-c', path.join(playground, 'rolldown.config.mjs'), '--log-level', 'warn']
  return [path.join(playground, 'build-esbuild.mjs')]
}

/** A build that hangs (e.g. a plugin waiting forever) must fail, not block the caller. */
const BUILD_TIMEOUT_MS = Number(process.env.DEVKIT_BUILD_TIMEOUT_MS) || 300_000

function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    const command = args.map((a) => path.relative(repo, a) || a).join(' ')
    let output = ''
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, BUILD_TIMEOUT_MS)
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(output)
      else if (timedOut) reject(new Error(`${command} timed out after ${BUILD_TIMEOUT_MS / 1000} s:\n${output}`))
      else reject(new Error(`${command} failed (exit ${code}):\n${output}`))
    })
  })
}

async function newestMtime(dir, filter) {
  let newest = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && filter(entry.name)) newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs)
  }
  return newest
}

/**
 * The optimized configs import unplugin-cli-optimizer, i.e. its dist/: rebuild it when a file in
 * src/ changed since the last build started (recorded in playground/dist/.plugin-build-started,
 * so a file saved while tsc was running still triggers the next rebuild). A lock folder keeps
 * two build.mjs processes (say the demo and the test) from running tsc into dist/ at once.
 */
export async function ensurePluginBuilt() {
  const pkg = path.join(repo, 'packages', 'unplugin-cli-optimizer')
  const stampFile = path.join(playground, 'dist', '.plugin-build-started')
  const lock = path.join(playground, 'dist', '.plugin-build.lock')
  const upToDate = async () => {
    const built = await stat(path.join(pkg, 'dist', 'index.js')).then(
      async () => Number(await readFile(stampFile, 'utf8').catch(() => '0')),
      () => 0,
    )
    return built >= (await newestMtime(path.join(pkg, 'src'), (name) => name.endsWith('.ts')))
  }
  if (await upToDate()) return false
  await mkdir(path.dirname(lock), { recursive: true })
  for (;;) {
    try {
      await mkdir(lock)
      break
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
      const age = Date.now() - (await stat(lock).then((s) => s.mtimeMs, () => Date.now()))
      if (age > BUILD_TIMEOUT_MS) await rm(lock, { recursive: true, force: true })
      else await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
  try {
    if (await upToDate()) return false
    const started = Date.now()
    await run([binOf('typescript', 'tsc'), '-p', path.join(pkg, 'tsconfig.build.json')]).catch((error) => {
      // tsc still emits when some file has a type error; only a missing output is fatal.
      if (!error.message.includes('error TS')) throw error
    })
    await writeFile(stampFile, String(started))
    return true
  } finally {
    await rm(lock, { recursive: true, force: true })
  }
}

/** Builds one output; resolves to its build time in milliseconds. */
export async function buildOne(bundler, variant, out = 'dist') {
  if (!/^[\w.-]+$/.test(out)) throw new Error(`--out must be a single folder name, got ${out}`)
  // A failed build must not leave the previous output behind to be measured or tested.
  await rm(path.join(playground, out, `${bundler}-${variant}`), { recursive: true, force: true })
  const started = performance.now()
  const [script, ...rest] = commandFor(bundler)
  const args = bundler === 'esbuild' ? [script, '--variant', variant, ...rest] : [script, ...rest]
  await run(args, { DEVKIT_VARIANT: variant, DEVKIT_OUT: out })
  return performance.now() - started
}

/**
 * Builds every requested output, `jobs` at a time (build times are only comparable with jobs = 1).
 * With `keepGoing`, a failed build is recorded as `{ bundler, variant, error }` and the others
 * still run. Results come back in bundler × variant order.
 */
export async function buildAll({ bundlers = BUNDLERS, variants = VARIANTS, out = 'dist', jobs = 1, keepGoing = false, log = () => {} } = {}) {
  if (variants.includes('optimized') && (await ensurePluginBuilt())) log('built packages/unplugin-cli-optimizer/dist')
  const outputs = bundlers.flatMap((bundler) => variants.map((variant) => ({ bundler, variant })))
  // Longest first: Rollup (terser on one big chunk) dominates, so it should not start last.
  const queue = [...outputs].sort((a, b) => (b.bundler === 'rollup') - (a.bundler === 'rollup'))
  const results = new Map()
  const buildNext = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { bundler, variant } = next
      const name = `${bundler}-${variant}`
      try {
        const ms = await buildOne(bundler, variant, out)
        const entry = path.join(playground, out, name, 'cli.js')
        const bytes = (await stat(entry)).size
        results.set(name, { bundler, variant, entry: path.relative(repo, entry), ms: Math.round(ms), entryBytes: bytes })
        log(`${name.padEnd(20)}${`${(ms / 1000).toFixed(1)} s`.padStart(8)}  ${path.relative(repo, entry)} (${(bytes / 1024).toFixed(1)} KiB entry)`)
      } catch (error) {
        if (!keepGoing) throw error
        results.set(name, { bundler, variant, error: error.message })
        log(`${name.padEnd(20)}  FAILED: ${error.message.split('\n').slice(0, 4).join('\n  ')}`)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, outputs.length)) }, buildNext))
  return outputs.map(({ bundler, variant }) => results.get(`${bundler}-${variant}`))
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { bundler: { type: 'string' }, variant: { type: 'string' }, out: { type: 'string', default: 'dist' }, jobs: { type: 'string', default: '1' }, json: { type: 'boolean' }, 'keep-going': { type: 'boolean' } } })
  if (values.bundler && !BUNDLERS.includes(values.bundler)) throw new Error(`--bundler must be one of ${BUNDLERS.join(', ')}`)
  if (values.variant && !VARIANTS.includes(values.variant)) throw new Error(`--variant must be one of ${VARIANTS.join(', ')}`)
  const results = await buildAll({
    bundlers: values.bundler ? [values.bundler] : BUNDLERS,
    variants: values.variant ? [values.variant] : VARIANTS,
    out: values.out,
    jobs: Number(values.jobs),
    keepGoing: values['keep-going'],
    log: values.json ? () => {} : (line) => console.log(line),
  })
  if (values.json) console.log(JSON.stringify(results, null, 2))
  if (results.some((r) => r.error)) process.exitCode = 1
}
