/**
 * Builds a published CLI the way its author would publish a bundle: `<pkg>/dist/<entry>.js` beside
 * the package's own `package.json` (name `<slug>-bundled`, version `0.0.0-bundled`, so a program
 * that reads the manifest beside its bundle instead of its own shows it), in a `node_modules`
 * folder outside the repo, with Vite, Rollup, esbuild or Rolldown, with the plugin's defaults or
 * plain. Then runs each command from a fresh folder with both the published bin and the bundle
 * and compares stdout, stderr, exit code and every file the command left.
 */
import { spawn } from 'node:child_process'
import { builtinModules } from 'node:module'
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { slugOf } from './published-cli-table.mjs'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BUNDLERS = ['esbuild', 'rollup', 'vite', 'rolldown']

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])
const isBuiltin = (id) => NODE_BUILTINS.has(id) || id.startsWith('node:')

/** What users add by hand to esbuild ESM builds; plain esbuild builds keep it (as the harness does). */
const ESBUILD_REQUIRE_BANNER = "import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);"

/** The published bin of a row, inside the repo's node_modules. */
export const publishedBin = (cli) => path.join(REPO, 'node_modules', cli.name, cli.bin)

/** A folder under the system temp dir for all builds of one run. */
export async function makeWorkDir() {
  return mkdtemp(path.join(os.tmpdir(), 'cli-opt-published-'))
}

/**
 * Builds one CLI. `plugin`: options for cli-optimizer, or `false` for the bundler alone.
 * Returns `{ ok, entry, pkgDir, report, warnings, error, buildMs }`: a failed build is a result.
 */
export async function buildCli(cli, bundler, { workDir, plugin = {} }) {
  const variant = plugin === false ? 'plain' : 'plugin'
  const pkgDir = path.join(workDir, 'node_modules', `${slugOf(cli)}-${bundler}-${variant}`)
  const outDir = path.join(pkgDir, 'dist')
  await rm(pkgDir, { recursive: true, force: true })
  await mkdir(pkgDir, { recursive: true })
  const runtimeDependencies = cli.runtimeDependencies ?? []
  const dependencies = Object.fromEntries(runtimeDependencies.map((dep) => [dep, '*']))
  const manifest = { name: `${slugOf(cli)}-bundled`, version: '0.0.0-bundled', type: 'module', bin: `dist/${cli.entryName}.js`, dependencies }
  // Packages the CLI resolves by name at run time (data, not code): installed beside the bundle,
  // as the bundled package's dependencies would be.
  for (const dep of runtimeDependencies) {
    const link = path.join(workDir, 'node_modules', dep)
    await mkdir(path.dirname(link), { recursive: true })
    await symlink(path.join(REPO, 'node_modules', dep), link, 'dir').catch((error) => {
      if (error.code !== 'EEXIST') throw error
    })
  }
  await writeFile(path.join(pkgDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  const reportFile = path.join(workDir, `${slugOf(cli)}-${bundler}.report.json`)
  const options = plugin === false ? false : { root: REPO, ...plugin, report: { json: reportFile, terminal: false } }
  const input = { [cli.entryName]: publishedBin(cli) }
  const warnings = []
  const started = performance.now()
  try {
    await BUILDERS[bundler]({ input, outDir, options, warnings, external: cli.external ?? [] })
  } catch (error) {
    return { ok: false, pkgDir, entry: undefined, warnings, error: firstLine(error), buildMs: Math.round(performance.now() - started) }
  }
  const buildMs = Math.round(performance.now() - started)
  const report = options ? JSON.parse(await readFile(reportFile, 'utf8')) : undefined
  return { ok: true, pkgDir, entry: path.join(outDir, `${cli.entryName}.js`), report, warnings, buildMs }
}

const firstLine = (error) => String(error?.message ?? error).split('\n').slice(0, 3).join(' ').slice(0, 400)

const BUILDERS = {
  async esbuild({ input, outDir, options, warnings, external }) {
    const esbuild = await import('esbuild')
    const plugins = options ? [(await import('unplugin-cli-optimizer/esbuild')).default(options)] : []
    const result = await esbuild.build({
      absWorkingDir: REPO,
      entryPoints: input,
      outdir: outDir,
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      external,
      banner: options ? undefined : { js: ESBUILD_REQUIRE_BANNER },
      plugins,
    })
    for (const w of result.warnings) warnings.push(w.text)
  },
  async rollup({ input, outDir, options, warnings, external }) {
    const { rollup } = await import('rollup')
    const { default: nodeResolve } = await import('@rollup/plugin-node-resolve')
    const { default: commonjs } = await import('@rollup/plugin-commonjs')
    const { default: json } = await import('@rollup/plugin-json')
    const plugins = options ? [(await import('unplugin-cli-optimizer/rollup')).default(options)] : []
    plugins.push(nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }), commonjs(), json())
    const isExternal = (id) => isBuiltin(id) || external.some((e) => id === e || id.startsWith(`${e}/`))
    const bundle = await rollup({ input, plugins, external: isExternal, onwarn: (w) => warnings.push(w.message) })
    try {
      await bundle.write({ dir: outDir, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' })
    } finally {
      await bundle.close()
    }
  },
  async rolldown({ input, outDir, options, warnings, external }) {
    const { rolldown } = await import('rolldown')
    const plugins = options ? [(await import('unplugin-cli-optimizer/rolldown')).default(options)] : []
    const isExternal = (id) => isBuiltin(id) || external.some((e) => id === e || id.startsWith(`${e}/`))
    const bundle = await rolldown({ input, platform: 'node', plugins, external: isExternal, logLevel: 'warn', onLog: (_level, log) => warnings.push(log.message) })
    try {
      await bundle.write({ dir: outDir, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' })
    } finally {
      await bundle.close()
    }
  },
  async vite({ input, outDir, options, warnings, external }) {
    const vite = await import('vite')
    const plugins = options ? [(await import('unplugin-cli-optimizer/vite')).default(options)] : []
    await vite.build({
      configFile: false,
      root: REPO,
      logLevel: 'silent',
      plugins,
      ssr: { noExternal: true, external, target: 'node' },
      build: {
        ssr: true,
        outDir,
        emptyOutDir: true,
        minify: false,
        copyPublicDir: false,
        rolldownOptions: {
          input,
          onLog: (_level, log) => warnings.push(log.message),
          output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
        },
      },
    })
  },
}

/** Runs a Node program the way a user would, collecting everything they would see. */
export function runCli(file, args, { cwd, timeout = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ stdout, stderr, code: code ?? signal }))
  })
}

/** A fresh folder outside the repo holding the row's fixture files. */
export async function freshDir(cli) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cli-opt-run-'))
  for (const [name, text] of Object.entries(cli.files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), text)
  }
  return dir
}

/** Every file under `dir` (relative POSIX path → content), what a command left behind. */
async function snapshotFiles(dir) {
  const files = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath ?? entry.path, entry.name)
    files[path.relative(dir, full).split(path.sep).join('/')] = await readFile(full, 'utf8')
  }
  return files
}

/** What a user sees from one command, with the run's temporary folder name made neutral. */
export async function observe(cli, file, args) {
  const dir = await freshDir(cli)
  try {
    const result = await runCli(file, args, { cwd: dir })
    const neutral = (text) => text.split(dir).join('<cwd>')
    const files = await snapshotFiles(dir)
    for (const name of Object.keys(files)) files[name] = neutral(files[name])
    return { stdout: neutral(result.stdout), stderr: neutral(result.stderr), code: result.code, files }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const sameFiles = (a, b) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort())

/** Runs each command with the published bin and with the bundle; `expected` may be cached. */
export async function compareCommands(cli, bundledEntry, commands, expectedCache = new Map()) {
  const results = []
  for (const args of commands) {
    const key = `${slugOf(cli)}\0${args.join('\0')}`
    if (!expectedCache.has(key)) expectedCache.set(key, await observe(cli, publishedBin(cli), args))
    const expected = expectedCache.get(key)
    const actual = await observe(cli, bundledEntry, args)
    const identical = expected.stdout === actual.stdout && expected.stderr === actual.stderr && expected.code === actual.code && sameFiles(expected.files, actual.files)
    results.push({ args, identical, expected, actual })
  }
  return results
}

/** The first line that tells two observations apart, for a one-line failure summary. */
export function firstDifference(expected, actual) {
  if (expected.code !== actual.code) {
    const line = actual.stderr.split('\n').find((l) => /Error|error:|Cannot|not defined|ENOENT/.test(l)) ?? actual.stderr.split('\n')[0]
    return `exit ${actual.code} (expected ${expected.code}): ${line?.trim().slice(0, 200)}`
  }
  for (const stream of ['stdout', 'stderr']) {
    if (expected[stream] === actual[stream]) continue
    const e = expected[stream].split('\n')
    const a = actual[stream].split('\n')
    const i = e.findIndex((line, n) => line !== a[n])
    const at = i === -1 ? e.length : i
    return `${stream} line ${at + 1}: expected ${JSON.stringify((e[at] ?? '').slice(0, 120))}, got ${JSON.stringify((a[at] ?? '').slice(0, 120))}`
  }
  return 'files written differ'
}
