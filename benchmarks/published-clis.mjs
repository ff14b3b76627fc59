#!/usr/bin/env node
/**
 * Published multi-command CLIs from npm, bundled with cli-optimizer by esbuild and by Rollup:
 * checks that `--version`, `--help` and real offline commands print byte-identical stdout and
 * stderr, with the same exit code, as the published package (each run from a fresh folder
 * outside the repo), then measures startup before and after against bare `node -e 0`.
 *
 *   node benchmarks/published-clis.mjs [--runs N] [--warmup N] [--check-only]
 *
 * Writes benchmarks/results/published-clis.json and .md. Needs the plugin's dist/
 * (`npx tsc -p packages/unplugin-cli-optimizer/tsconfig.build.json`).
 */
import { spawn } from 'node:child_process'
import { builtinModules } from 'node:module'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const OUT = path.join(REPO, 'benchmarks', '.tmp', 'published-clis')

const SAMPLE_TEXT = 'Helo wrld, this is a tst of speling in a smal file.\nEverything else here is spelled correctly.\n'

/**
 * The CLIs. Each command runs in a fresh temporary folder prepared by `prepare`, so commands
 * that write files (lerna init) see the same starting state every time. Every bundle is built
 * with the plugin's defaults (`PLUGIN_OPTIONS`): no capability is switched off for any CLI.
 */
export const PUBLISHED_CLIS = [
  {
    name: 'cspell',
    version: '8.19.4',
    bin: 'node_modules/cspell/bin.mjs',
    /** Output entry name: programs print their own file name in places. */
    entryName: 'bin',
    startupArgs: ['--version'],
    commands: [
      ['--version'],
      ['--help'],
      ['lint', '--no-progress', '--no-color', 'sample.txt'],
      ['trace', '--no-color', 'hello'],
      ['suggestions', '--no-color', 'speling'],
      ['no-such-command'],
    ],
    /** The subset the test suite runs: version, help, one real command. */
    testCommands: [['--version'], ['--help'], ['lint', '--no-progress', '--no-color', 'sample.txt']],
    async prepare(dir) {
      await writeFile(path.join(dir, 'sample.txt'), SAMPLE_TEXT)
    },
  },
  {
    name: '@lerna-lite/cli',
    version: '4.9.4',
    bin: 'node_modules/@lerna-lite/cli/dist/cli.js',
    entryName: 'cli',
    startupArgs: ['--version'],
    commands: [['--version'], ['--help'], ['init'], ['no-such-command']],
    testCommands: [['--version'], ['--help'], ['init']],
    async prepare() {},
  },
]

/** The plugin options every bundle is built with: the defaults. */
export const PLUGIN_OPTIONS = {}

const isBuiltin = (id) => builtinModules.includes(id) || id.startsWith('node:')

/** Bundles one CLI with the plugin (or without, `plugin: false`); returns the entry file and the report. */
export async function bundleCli(cli, bundler, { outDir, plugin = {} } = {}) {
  const input = { [cli.entryName]: path.join(REPO, cli.bin) }
  await rm(outDir, { recursive: true, force: true })
  const reportFile = `${outDir}.report.json`
  const options = { root: REPO, ...plugin, report: { json: reportFile, terminal: false } }
  const warnings = []
  if (bundler === 'esbuild') {
    const esbuild = await import('esbuild')
    const plugins = plugin === false ? [] : [(await import('unplugin-cli-optimizer/esbuild')).default(options)]
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
      plugins,
    })
    for (const w of result.warnings) warnings.push(w.text)
  } else if (bundler === 'rollup') {
    const { rollup } = await import('rollup')
    const { default: nodeResolve } = await import('@rollup/plugin-node-resolve')
    const { default: commonjs } = await import('@rollup/plugin-commonjs')
    const { default: json } = await import('@rollup/plugin-json')
    const plugins = plugin === false ? [] : [(await import('unplugin-cli-optimizer/rollup')).default(options)]
    plugins.push(nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }), commonjs(), json())
    const bundle = await rollup({ input, plugins, external: isBuiltin, onwarn: (w) => warnings.push(w.message) })
    try {
      await bundle.write({ dir: outDir, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' })
    } finally {
      await bundle.close()
    }
  } else {
    throw new Error(`unknown bundler ${bundler}`)
  }
  const report = plugin === false ? undefined : JSON.parse(await readFile(reportFile, 'utf8'))
  return { entry: path.join(outDir, `${cli.entryName}.js`), report, warnings }
}

/** Runs a Node program the way a user would, collecting everything they would see. */
export function runCli(file, args, { cwd, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ stdout, stderr, code }))
  })
}

/** A fresh folder outside the repo, prepared for one command. Paths in output are made neutral. */
export async function freshDir(cli) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cli-opt-published-'))
  await cli.prepare(dir)
  return dir
}

/** What a user sees from one command, with the run's temporary folder name made neutral. */
export async function observe(cli, file, args) {
  const dir = await freshDir(cli)
  try {
    const result = await runCli(file, args, { cwd: dir })
    const neutral = (text) => text.split(dir).join('<cwd>')
    return { stdout: neutral(result.stdout), stderr: neutral(result.stderr), code: result.code }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Compares every command of a CLI between the published package and a bundle. */
export async function compareCommands(cli, bundledEntry, commands = cli.commands) {
  const published = path.join(REPO, cli.bin)
  const results = []
  for (const args of commands) {
    const expected = await observe(cli, published, args)
    const actual = await observe(cli, bundledEntry, args)
    const identical = expected.stdout === actual.stdout && expected.stderr === actual.stderr && expected.code === actual.code
    results.push({ args, identical, expected, actual })
  }
  return results
}

function parseArgs(argv) {
  const args = { runs: 15, warmup: 2, checkOnly: false }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') args.runs = Number(argv[++i])
    else if (argv[i] === '--warmup') args.warmup = Number(argv[++i])
    else if (argv[i] === '--check-only') args.checkOnly = true
    else throw new Error(`unknown argument ${argv[i]}`)
  }
  return args
}

/** Output folder of one bundle: inside a node_modules folder, where an installed CLI lives. */
export function bundleDir(cli, bundler, variant) {
  return path.join(OUT, 'node_modules', `${cli.name.replace(/\W+/g, '-').replace(/^-/, '')}-${bundler}-${variant}`)
}

/** The CLI's own entry in the report (esbuild also lists the targets of dynamic imports as entries). */
const entryOf = (cli, report) => report.entries.find((e) => e.name === cli.entryName)

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function main() {
  const args = parseArgs(process.argv.slice(2))
  const results = { node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, date: new Date().toISOString(), loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))), runs: args.runs, warmup: args.warmup, clis: [] }
  let allIdentical = true
  for (const cli of PUBLISHED_CLIS) {
    const entry = { name: cli.name, version: cli.version, bin: cli.bin, bundles: [], startup: undefined }
    for (const bundler of ['esbuild', 'rollup']) {
      const pluginOptions = PLUGIN_OPTIONS
      const started = performance.now()
      const built = await bundleCli(cli, bundler, { outDir: bundleDir(cli, bundler, 'plugin'), plugin: pluginOptions })
      const buildMs = Math.round(performance.now() - started)
      const compared = await compareCommands(cli, built.entry)
      const counts = {}
      for (const t of built.report.transforms) {
        const key = `${t.kind}:${t.applied ? 'applied' : 'refused'}`
        counts[key] = (counts[key] ?? 0) + 1
      }
      const bundle = {
        bundler,
        pluginOptions,
        entry: path.relative(REPO, built.entry),
        buildMs,
        initialBytes: entryOf(cli, built.report)?.initialBytes,
        totalBytes: entryOf(cli, built.report)?.totalBytes,
        transforms: counts,
        commands: compared.map((c) => ({ args: c.args, identical: c.identical, exitCode: c.expected.code, ...(c.identical ? {} : { expected: c.expected, actual: c.actual }) })),
      }
      for (const c of compared) {
        if (!c.identical) allIdentical = false
        console.log(`${c.identical ? 'identical' : 'DIFFERENT'}  ${cli.name} ${bundler}: ${c.args.join(' ')} (exit ${c.expected.code})`)
      }
      entry.bundles.push(bundle)
    }
    if (!args.checkOnly) entry.startup = await measureStartup(cli, entry.bundles, args)
    results.clis.push(entry)
  }
  results.loadAverageAtEnd = os.loadavg().map((l) => Number(l.toFixed(2)))
  if (!args.checkOnly) {
    const dir = path.join(REPO, 'benchmarks', 'results')
    await mkdir(dir, { recursive: true })
    await writeFile(path.join(dir, 'published-clis.json'), `${JSON.stringify(results, null, 2)}\n`)
    await writeFile(path.join(dir, 'published-clis.md'), markdown(results))
    console.log(markdown(results))
  }
  process.exit(allIdentical ? 0 : 1)
}

/** Startup of `startupArgs` (median wall time, interleaved runs) against bare `node -e 0`. */
async function measureStartup(cli, bundles, { runs, warmup }) {
  const { benchmarkCommands } = await import('@cli-optimizer/bench')
  const cwd = await freshDir(cli)
  const commands = [
    { name: 'node -e 0', command: [process.execPath, '-e', '0'], cwd },
    { name: 'published', command: [process.execPath, path.join(REPO, cli.bin), ...cli.startupArgs], cwd },
    ...bundles.map((b) => ({ name: `${b.bundler} + plugin`, command: [process.execPath, path.join(REPO, b.entry), ...cli.startupArgs], cwd })),
  ]
  const measured = await benchmarkCommands({ commands, runs, warmup })
  await rm(cwd, { recursive: true, force: true })
  const base = median(measured[0].wall.samples)
  return {
    args: cli.startupArgs,
    rows: measured.map((m) => ({
      name: m.name,
      medianMs: Number(median(m.wall.samples).toFixed(1)),
      ratioToBareNode: Number((median(m.wall.samples) / base).toFixed(2)),
      cpuMs: m.userMs === null || m.systemMs === null ? null : m.userMs + m.systemMs,
      cpuRatioToBareNode: m.userMs === null || measured[0].userMs === null ? null : Number(((m.userMs + m.systemMs) / (measured[0].userMs + measured[0].systemMs)).toFixed(2)),
      peakRssMiB: m.peakRssBytes === null ? null : Number((m.peakRssBytes / 2 ** 20).toFixed(1)),
      warnings: m.warnings,
    })),
  }
}

function markdown(results) {
  const lines = [
    '# Published CLIs bundled with cli-optimizer',
    '',
    `Node ${results.node}, ${results.platform}, ${results.cpus} cores, ${results.date}. Startup: median wall time of ${results.runs} interleaved runs after ${results.warmup} warm-up runs, run from a fresh folder outside the repo. Load average (1/5/15 min) ${results.loadAverageAtStart.join('/')} at the start, ${results.loadAverageAtEnd.join('/')} at the end, on a machine shared with other builds: wall times are inflated and noisy, CPU time is the steadier figure. Reproduce: \`node benchmarks/published-clis.mjs\` (after \`npx tsc -p packages/unplugin-cli-optimizer/tsconfig.build.json\`).`,
    '',
  ]
  for (const cli of results.clis) {
    lines.push(`## ${cli.name}@${cli.version}`, '')
    lines.push('| command | ' + cli.bundles.map((b) => `${b.bundler} + plugin`).join(' | ') + ' |')
    lines.push('| --- | ' + cli.bundles.map(() => '---').join(' | ') + ' |')
    for (const [i, c] of cli.bundles[0].commands.entries()) {
      lines.push(`| \`${c.args.join(' ')}\` (exit ${c.exitCode}) | ` + cli.bundles.map((b) => (b.commands[i].identical ? 'byte-identical' : '**differs**')).join(' | ') + ' |')
    }
    lines.push('')
    for (const b of cli.bundles) {
      const options = Object.keys(b.pluginOptions).length === 0 ? "the plugin's defaults (`{}`: every capability on)" : `\`${JSON.stringify(b.pluginOptions)}\``
      const transforms = Object.entries(b.transforms).sort(([a], [z]) => a.localeCompare(z)).map(([k, n]) => `${k} ${n}`).join(', ')
      lines.push(`- ${b.bundler}: options ${options}; built in ${(b.buildMs / 1000).toFixed(1)} s; initial load ${b.initialBytes} B of ${b.totalBytes} B; transforms (report records) ${transforms}.`)
    }
    if (cli.startup) {
      lines.push('', `Startup of \`${cli.startup.args.join(' ')}\`:`, '', '| program | median wall ms | wall × node -e 0 | median CPU ms (user+sys) | CPU × node -e 0 | peak RSS MiB |', '| --- | --- | --- | --- | --- | --- |')
      for (const row of cli.startup.rows) lines.push(`| ${row.name} | ${row.medianMs} | ${row.ratioToBareNode} | ${row.cpuMs ?? 'n/a'} | ${row.cpuRatioToBareNode ?? 'n/a'} | ${row.peakRssMiB ?? 'n/a'} |`)
    }
    lines.push('')
  }
  return `${lines.join('\n')}\n`
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main()
