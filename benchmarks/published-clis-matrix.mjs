#!/usr/bin/env node
// The published-CLI table built with each bundler and compared with the published package.
//
//   node benchmarks/published-clis-matrix.mjs <bundlers,> <plugin|plain,> [slugs,]
//     ALL=1   every command of a row (default: its `quick` commands)
//     WARN=1  print the plugin's warnings
//     OUT=benchmarks/results/published-clis-matrix   also write <OUT>.json and <OUT>.md
//   node benchmarks/published-clis-matrix.mjs --published-startup   the published bins' `--version`, for comparison
//
// Each build runs in a child process bounded by BUILD_TIMEOUT_MS (default 300000: builds slower
// than that are reported as skipped). `--version` startup is the median of RUNS runs (default 7)
// of the bundle and of `node -e 0`, interleaved, as a ratio.
import { execFileSync, spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { PUBLISHED_CLIS, slugOf } from './lib/published-cli-table.mjs'
import { buildCli, compareCommands, firstDifference, makeWorkDir } from './lib/published-cli-build.mjs'

const SELF = fileURLToPath(import.meta.url)
const BUILD_TIMEOUT_MS = Number(process.env.BUILD_TIMEOUT_MS ?? 300_000)
const RUNS = Number(process.env.RUNS ?? 7)

if (process.argv[2] === '--one') {
  // Child: build one row with one bundler, compare, print one JSON line.
  const [slug, bundler, variant, work] = process.argv.slice(3)
  const cli = PUBLISHED_CLIS.find((row) => slugOf(row) === slug)
  const built = await buildCli(cli, bundler, { workDir: work, plugin: variant === 'plain' ? false : {} })
  const result = { slug, bundler, variant, buildMs: built.buildMs, ok: built.ok, error: built.error, commands: [], warnings: built.warnings.filter((w) => /cli-optimizer/.test(w)) }
  if (built.ok) {
    const commands = process.env.ALL ? cli.commands : cli.quick.map((i) => cli.commands[i])
    for (const r of await compareCommands(cli, built.entry, commands)) {
      result.commands.push({ args: r.args, identical: r.identical, difference: r.identical ? undefined : firstDifference(r.expected, r.actual) })
    }
    if (cli.commands.some((args) => args[0] === '--version')) result.versionRatio = versionRatio(built.entry)
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
  process.exit(0)
}

if (process.argv[2] === '--published-startup') {
  const { publishedBin } = await import('./lib/published-cli-build.mjs')
  const seen = new Set()
  for (const cli of PUBLISHED_CLIS) {
    if (seen.has(cli.name) || !cli.commands.some((args) => args[0] === '--version')) continue
    seen.add(cli.name)
    const r = versionRatio(publishedBin(cli))
    console.log(`| ${slugOf(cli)} | ${r.ratio} (${r.bundleMs} / ${r.nodeMs} ms) |`)
  }
  process.exit(0)
}

/** Median wall time of `node <entry> --version` over that of `node -e 0`, interleaved. */
function versionRatio(entry) {
  const time = (args) => {
    const start = process.hrtime.bigint()
    try {
      execFileSync(process.execPath, args, { stdio: 'ignore', cwd: '/tmp' })
    } catch {
      // an exit code other than 0 still measures startup
    }
    return Number(process.hrtime.bigint() - start) / 1e6
  }
  const bundle = []
  const baseline = []
  for (let i = 0; i < RUNS; i++) {
    baseline.push(time(['-e', '0']))
    bundle.push(time([entry, '--version']))
  }
  const median = (list) => list.sort((a, b) => a - b)[list.length >> 1]
  return { bundleMs: Math.round(median(bundle)), nodeMs: Math.round(median(baseline)), ratio: Number((median(bundle) / median(baseline)).toFixed(2)) }
}

function runOne(slug, bundler, variant, work) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SELF, '--one', slug, bundler, variant, work], { stdio: ['ignore', 'pipe', 'inherit'], detached: true })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d))
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {}
    }, BUILD_TIMEOUT_MS)
    child.on('close', () => {
      clearTimeout(timer)
      const line = out.trim().split('\n').pop()
      try {
        resolve(JSON.parse(line))
      } catch {
        resolve({ slug, bundler, variant, ok: false, skipped: true, error: `no result within ${BUILD_TIMEOUT_MS / 1000} s (build too slow on this machine): skipped` })
      }
    })
  })
}

const [bundlers, variants, only] = [process.argv[2].split(','), process.argv[3].split(','), process.argv[4]]
const work = await makeWorkDir()
const results = []
for (const bundler of bundlers) {
  for (const cli of PUBLISHED_CLIS) {
    if (only && !only.split(',').includes(slugOf(cli))) continue
    for (const variant of variants) {
      const r = await runOne(slugOf(cli), bundler, variant, work)
      results.push(r)
      if (!r.ok) console.log(`${r.slug} ${bundler} ${variant}: ${r.skipped ? 'SKIPPED' : 'BUILD FAILED'} ${r.error}`)
      for (const c of r.commands ?? []) console.log(`${r.slug} ${bundler} ${variant} [${r.buildMs}ms]: ${c.args.join(' ')} ${c.identical ? 'ok' : `DIFF ${c.difference}`}`)
      if (r.versionRatio) console.log(`${r.slug} ${bundler} ${variant}: --version ${r.versionRatio.bundleMs} ms, node -e 0 ${r.versionRatio.nodeMs} ms, ratio ${r.versionRatio.ratio}`)
      if (process.env.WARN && r.warnings?.length) console.log(r.warnings.join('\n'))
    }
  }
}
console.log('work', work)

if (process.env.OUT) {
  await writeFile(`${process.env.OUT}.json`, `${JSON.stringify({ node: process.version, date: new Date().toISOString(), results }, null, 2)}\n`)
  const status = (r) => (r.skipped ? 'skipped (>5 min)' : !r.ok ? 'build failed' : r.commands.every((c) => c.identical) ? `pass (${r.commands.length}/${r.commands.length})` : `FAIL (${r.commands.filter((c) => c.identical).length}/${r.commands.length})`)
  const rows = results.map((r) => `| ${r.slug} | ${r.bundler} | ${r.variant} | ${status(r)} | ${r.buildMs === undefined ? '' : (r.buildMs / 1000).toFixed(1)} | ${r.versionRatio ? `${r.versionRatio.ratio} (${r.versionRatio.bundleMs} / ${r.versionRatio.nodeMs} ms)` : ''} |`)
  const failures = results.flatMap((r) => (r.ok ? r.commands.filter((c) => !c.identical).map((c) => `- ${r.slug} ${r.bundler} \`${c.args.join(' ')}\`: ${c.difference}`) : r.error ? [`- ${r.slug} ${r.bundler}: ${r.error}`] : []))
  const md = [
    `| CLI | bundler | build | result (identical commands) | build s | \`--version\` / \`node -e 0\` |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(failures.length ? ['Differences:', '', ...failures, ''] : []),
  ].join('\n')
  await writeFile(`${process.env.OUT}.table.md`, `${md}\n`)
}
