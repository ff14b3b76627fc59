#!/usr/bin/env node
// npm run demo: builds the playground CLI with Vite, Rollup and esbuild, without and with
// cli-optimizer; checks every output behaves exactly like the unbundled source; measures bytes,
// the JS Node loads for --version, startup against bare `node -e 0` (interleaved, same run) and
// peak RSS. Writes benchmarks/results/demo.json and demo.md and prints the table.
//
// Options: --runs N (default 20) --warmup N (default 3) --skip-build
//          --bundlers vite,rollup,esbuild --variants plain,optimized (default: all)
import { spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { benchmarkCommands, writeFileAtomic } from '@cli-optimizer/bench'
import { measureOutputDir } from 'unplugin-cli-optimizer'
import { buildAll, BUNDLERS, VARIANTS } from '../playground/build.mjs'
import { loadedBytes } from './lib/loaded-bytes.mjs'
import { PLAYGROUND_CASES } from './lib/playground-cases.mjs'

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const playground = path.join(repo, 'playground')
const examples = path.join(playground, 'examples')
const source = path.join(playground, 'src', 'bin', 'cli.js')

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    'skip-build': { type: 'boolean', default: false },
    bundlers: { type: 'string', default: BUNDLERS.join(',') },
    variants: { type: 'string', default: VARIANTS.join(',') },
  },
})
const runs = Number(values.runs)
const warmup = Number(values.warmup)

const tty = process.stderr.isTTY
function progress(message) {
  process.stderr.write(tty ? `\r\x1b[2K${message}` : `${message}\n`)
}
function progressDone() {
  if (tty) process.stderr.write('\n')
}

function run(file, args) {
  const result = spawnSync(process.execPath, [file, ...args], { cwd: examples, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' })
  return { stdout: result.stdout, stderr: result.stderr, code: result.status }
}

const pick = (list, allowed, name) => {
  const picked = list.split(',').filter(Boolean)
  for (const item of picked) if (!allowed.includes(item)) throw new TypeError(`--${name} takes ${allowed.join(', ')}; got ${item}`)
  return picked
}
const outputs = pick(values.bundlers, BUNDLERS, 'bundlers').flatMap((bundler) => pick(values.variants, VARIANTS, 'variants').map((variant) => ({ bundler, variant, dir: path.join(playground, 'dist', `${bundler}-${variant}`) })))

// 1. Build.
const buildMs = {}
if (!values['skip-build']) {
  for (const { bundler, variant } of outputs) {
    progress(`[demo] building ${bundler} ${variant}…`)
    const [result] = await buildAll({ bundlers: [bundler], variants: [variant] })
    buildMs[`${bundler}-${variant}`] = result?.ms
  }
  progressDone()
}

// 2. Behaviour: every output against the unbundled source, case by case.
const expected = PLAYGROUND_CASES.map((args) => run(source, args))
const mismatches = {}
for (const [index, output] of outputs.entries()) {
  progress(`[demo] comparing ${output.bundler} ${output.variant} with the source (${index + 1}/${outputs.length})…`)
  const file = path.join(output.dir, 'cli.js')
  mismatches[`${output.bundler}-${output.variant}`] = PLAYGROUND_CASES.flatMap((args, i) => {
    const actual = run(file, args)
    const want = expected[i]
    const diff = ['stdout', 'stderr', 'code'].filter((key) => actual[key] !== want[key])
    return diff.length === 0 ? [] : [{ args: args.join(' '), differs: diff, actual, expected: want }]
  })
}
progressDone()

// 3. Bytes: from the report for optimized builds, from the emitted files for plain ones.
const sizes = {}
for (const output of outputs) {
  const key = `${output.bundler}-${output.variant}`
  progress(`[demo] measuring bytes of ${key}…`)
  const loaded = loadedBytes(path.join(output.dir, 'cli.js'), ['--version'], { cwd: examples })
  let initialBytes
  let totalBytes
  let report = null
  if (output.variant === 'optimized') {
    report = path.relative(repo, path.join(output.dir, 'report.json'))
    const parsed = JSON.parse(await readFile(path.join(repo, report), 'utf8'))
    const entry = parsed.entries.find((e) => e.file === 'cli.js') ?? parsed.entries[0]
    initialBytes = entry.initialBytes
    totalBytes = entry.totalBytes
  } else {
    const measured = await measureOutputDir(output.dir, 'cli.js')
    initialBytes = measured.initialBytes
    totalBytes = measured.totalBytes
  }
  sizes[key] = { initialBytes, totalBytes, loadedBytes: loaded.bytes, loadedFiles: loaded.files, report }
}
progressDone()

// 4. Startup of --version, interleaved with bare node in the same run.
const commands = [
  { name: 'node -e 0', command: [process.execPath, '-e', '0'] },
  ...outputs.map((o) => ({ name: `${o.bundler}-${o.variant}`, command: [process.execPath, path.join(o.dir, 'cli.js'), '--version'], cwd: examples })),
]
const results = await benchmarkCommands({
  commands,
  runs,
  warmup,
  onProgress: (done, total) => progress(`[demo] timing --version: run ${done}/${total} (${commands.length} commands interleaved)`),
})
progressDone()
const byName = new Map(results.map((r) => [r.name, r]))
const node = byName.get('node -e 0')
const mib = (bytes) => (bytes == null ? null : Math.round((bytes / 1048576) * 10) / 10)
const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits

const rows = outputs.map((o) => {
  const key = `${o.bundler}-${o.variant}`
  const timing = byName.get(key)
  return {
    bundler: o.bundler,
    variant: o.variant,
    entry: path.relative(repo, path.join(o.dir, 'cli.js')),
    report: sizes[key].report,
    totalBytes: sizes[key].totalBytes,
    initialBytes: sizes[key].initialBytes,
    loadedBytes: sizes[key].loadedBytes,
    loadedFiles: sizes[key].loadedFiles,
    startupMs: round(timing.wall.median, 2),
    nodeMs: round(node.wall.median, 2),
    ratio: round(timing.wall.median / node.wall.median, 3),
    peakRssMiB: mib(timing.peakRssBytes),
    buildMs: buildMs[key] == null ? null : Math.round(buildMs[key]),
    outputsMatch: mismatches[key].length === 0,
    mismatches: mismatches[key],
  }
})

const result = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  runs,
  warmup,
  cases: PLAYGROUND_CASES.map((a) => a.join(' ')),
  nodePeakRssMiB: mib(node.peakRssBytes),
  rows,
}
await writeFileAtomic(path.join(repo, 'benchmarks', 'results', 'demo.json'), `${JSON.stringify(result, null, 2)}\n`)

const kib = (n) => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`)
const header = ['bundler', 'variant', 'total', 'initial', 'loaded for --version', '--version median', 'vs node -e 0', 'peak RSS', 'outputs match']
const table = rows.map((r) => [
  r.bundler,
  r.variant,
  kib(r.totalBytes),
  kib(r.initialBytes),
  kib(r.loadedBytes),
  `${r.startupMs.toFixed(1)} ms`,
  `${r.ratio.toFixed(2)}x`,
  r.peakRssMiB == null ? 'n/a' : `${r.peakRssMiB} MiB`,
  r.outputsMatch ? 'yes' : `NO (${r.mismatches.length})`,
])
const markdown = [
  `# cli-optimizer demo: the playground CLI (${PLAYGROUND_CASES.length} cases compared with the source)`,
  '',
  `Node ${process.version}; \`node -e 0\`: median ${node.wall.median.toFixed(1)} ms, peak RSS ${mib(node.peakRssBytes) ?? 'n/a'} MiB; ${runs} runs + ${warmup} warm-ups per command, interleaved.`,
  'Plain builds have no report: their initial/total bytes are measured from the emitted files the same way.',
  '',
  `| ${header.join(' | ')} |`,
  `| ${header.map(() => '---').join(' | ')} |`,
  ...table.map((cells) => `| ${cells.join(' | ')} |`),
  '',
].join('\n')
await writeFileAtomic(path.join(repo, 'benchmarks', 'results', 'demo.md'), markdown)

const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)))
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ')
console.log(`\nnode -e 0: ${node.wall.median.toFixed(1)} ms median, peak RSS ${mib(node.peakRssBytes) ?? 'n/a'} MiB`)
console.log(line(header))
for (const cells of table) console.log(line(cells))
console.log('\nwritten: benchmarks/results/demo.json, benchmarks/results/demo.md')
for (const r of rows.filter((row) => !row.outputsMatch)) {
  console.error(`\n${r.bundler} ${r.variant} differs from the source in: ${r.mismatches.map((m) => `"${m.args}" (${m.differs.join(', ')})`).join('; ')}`)
}
process.exitCode = rows.every((r) => r.outputsMatch) ? 0 : 1
