#!/usr/bin/env node
// The project's benchmark suite (`npm run bench`, `npm run bench:check`).
//
//   node benchmarks/run.mjs [--quick] [--check] [--update-baselines] [--suite a,b] [--runs N] [--list]
//
// Suites plug in two ways:
//   - benchmarks/suites/<name>.mjs exporting `default { name, order, description, run(ctx) }`, where
//     run resolves to `{ metrics, markdown, errors?, warnings?, data? }` (see docs/bench.md);
//   - benchmarks/runtime-*.mjs, standalone scripts run as child processes with BENCH_QUICK=1|0 and
//     BENCH_RESULT_FILE=<path>: a script that writes `{ metrics, markdown, errors?, warnings? }` as
//     JSON there is checked like any suite; otherwise its stdout becomes its markdown section.
// Results go to benchmarks/results/<suite>.{json,md} and summary.{json,md}; --check compares the
// metrics with benchmarks/baselines/<suite>.json (quick mode: timing only warns, sizes still fail).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import * as bench from '@cli-optimizer/bench'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.dirname(here)
const resultsDir = path.join(here, 'results')
const baselinesDir = path.join(here, 'baselines')

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    'update-baselines': { type: 'boolean', default: false },
    suite: { type: 'string' },
    runs: { type: 'string' },
    list: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
})
if (values.help) {
  console.log('Usage: node benchmarks/run.mjs [--quick] [--check] [--update-baselines] [--suite a,b] [--runs N] [--list]')
  process.exit(0)
}
const runsOverride = values.runs === undefined ? undefined : Number(values.runs)
if (runsOverride !== undefined && !(Number.isInteger(runsOverride) && runsOverride >= 1)) {
  console.error(`--runs must be an integer ≥ 1, got ${values.runs}`)
  process.exit(2)
}

const suites = await discoverSuites()
if (values.list) {
  for (const suite of suites) console.log(`${suite.name.padEnd(24)} ${suite.description ?? ''}`)
  process.exit(0)
}
const wanted = values.suite?.split(',').map((name) => name.trim())
const unknown = wanted?.filter((name) => !suites.some((suite) => suite.name === name)) ?? []
if (unknown.length > 0) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${suites.map((suite) => suite.name).join(', ')}`)
  process.exit(2)
}
const selected = wanted ? suites.filter((suite) => wanted.includes(suite.name)) : suites

const machine = bench.machineInfo()
const log = (message) => process.stderr.write(`${message}\n`)
log(`cli-optimizer benchmarks${values.quick ? ' (quick)' : ''}: ${selected.map((suite) => suite.name).join(', ')} on ${machine.cpuCount}× ${machine.cpuModel}, Node ${machine.node}`)
const loadWarning = bench.machineLoadWarning()
if (loadWarning) log(`warning: ${loadWarning}`)

const outcomes = []
for (const suite of selected) {
  log(`\n▶ ${suite.name}: ${suite.description ?? ''}`)
  const started = performance.now()
  const ctx = {
    root,
    quick: values.quick,
    runs: runsOverride,
    bench,
    log: (message) => log(`  ${message}`),
    progress: (label) => {
      const bar = bench.createProgressBar()
      return { update: (done, total) => bar.update(done, total, label), clear: bar.clear }
    },
  }
  let outcome
  try {
    const result = await suite.run(ctx)
    outcome = { metrics: [], errors: [], warnings: [], markdown: '', ...result }
  } catch (error) {
    outcome = { metrics: [], errors: [`suite threw: ${error?.stack ?? error}`], warnings: [], markdown: '' }
  }
  outcome.name = suite.name
  outcome.description = suite.description ?? ''
  outcome.durationMs = performance.now() - started
  for (const warning of new Set(outcome.warnings)) log(`  warning: ${warning}`)
  for (const error of outcome.errors) log(`  ERROR: ${error}`)
  log(`  done in ${(outcome.durationMs / 1000).toFixed(1)} s`)
  outcomes.push(outcome)
}

// Check against the committed baselines.
let failed = outcomes.some((outcome) => outcome.errors.length > 0)
const checkSections = []
if (values.check) {
  for (const outcome of outcomes) {
    const file = path.join(baselinesDir, `${outcome.name}.json`)
    if (!existsSync(file)) {
      checkSections.push(`### ${outcome.name}\n\nno baseline (${path.relative(root, file)}); run \`node benchmarks/run.mjs --update-baselines\``)
      continue
    }
    const baseline = JSON.parse(await readFile(file, 'utf8'))
    const check = bench.checkMetrics(outcome.metrics, baseline.metrics, { quick: values.quick })
    outcome.check = check
    if (check.failed) failed = true
    const notable = check.checks.filter((entry) => entry.status !== 'ok')
    const rows = check.checks.map((entry) => [
      entry.label,
      entry.kind,
      entry.baseline === undefined ? '–' : formatValue(entry.baseline, outcome, entry.id),
      entry.current === undefined ? '–' : formatValue(entry.current, outcome, entry.id),
      entry.status === 'regressed' ? '**regressed**' : entry.status,
      entry.message,
    ])
    checkSections.push(`### ${outcome.name}\n\n${bench.markdownTable(['Metric', 'Kind', 'Baseline', 'Now', 'Status', 'Note'], rows)}`)
    log(`\ncheck ${outcome.name}: ${check.failed ? 'FAILED' : 'ok'} (${notable.length} of ${check.checks.length} metrics not plain ok)`)
    for (const entry of notable) log(`  ${entry.status.padEnd(9)} ${entry.label}: ${entry.message}`)
  }
}

// Results.
await mkdir(resultsDir, { recursive: true })
const createdAt = new Date().toISOString()
for (const outcome of outcomes) {
  // A standalone script that wrote its own results/<name>.{json,md} keeps them.
  if (outcome.ownsResults) continue
  const { name, description, durationMs, metrics, errors, warnings, data, check } = outcome
  await bench.writeFileAtomic(
    path.join(resultsDir, `${name}.json`),
    `${JSON.stringify({ schemaVersion: 1, suite: name, description, createdAt, quick: values.quick, machine, durationMs, metrics, errors, warnings, check, data }, null, 2)}\n`,
  )
  await bench.writeFileAtomic(path.join(resultsDir, `${name}.md`), `${suiteMarkdown(outcome)}\n`)
}
const summary = [
  `# Benchmarks${values.quick ? ' (quick)' : ''}`,
  '',
  `${createdAt}: ${machine.cpuCount}× ${machine.cpuModel}, ${bench.formatBytes(machine.totalMemoryBytes)} RAM, ${machine.platform}/${machine.arch}, Node ${machine.node}, load average ${machine.loadAverage} at start. Reproduce: \`node benchmarks/run.mjs${values.quick ? ' --quick' : ''}${wanted ? ` --suite ${wanted.join(',')}` : ''}\`.`,
  ...(loadWarning ? ['', `> **Warning:** ${loadWarning}.`] : []),
  '',
  ...outcomes.map((outcome) => suiteMarkdown(outcome, '##')),
  ...(checkSections.length > 0 ? ['## Check against baselines', '', ...checkSections] : []),
].join('\n\n')
await bench.writeFileAtomic(path.join(resultsDir, 'summary.md'), `${summary.replace(/\n{3,}/g, '\n\n')}\n`)
await bench.writeFileAtomic(
  path.join(resultsDir, 'summary.json'),
  `${JSON.stringify({ schemaVersion: 1, createdAt, quick: values.quick, machine, suites: Object.fromEntries(outcomes.map((o) => [o.name, { durationMs: o.durationMs, metrics: o.metrics, errors: o.errors, warnings: o.warnings, check: o.check }])) }, null, 2)}\n`,
)
process.stdout.write(`\n${summary.replace(/\n{3,}/g, '\n\n')}\n`)
log(`\nresults: ${path.relative(process.cwd(), resultsDir)}/{${outcomes.map((outcome) => outcome.name).join(',')},summary}.{json,md}`)

if (values['update-baselines']) {
  await mkdir(baselinesDir, { recursive: true })
  for (const outcome of outcomes) {
    if (outcome.errors.length > 0) {
      log(`baseline of ${outcome.name} NOT updated: the suite had errors`)
      continue
    }
    await bench.writeFileAtomic(
      path.join(baselinesDir, `${outcome.name}.json`),
      `${JSON.stringify({ schemaVersion: 1, suite: outcome.name, createdAt, quick: values.quick, machine, metrics: outcome.metrics }, null, 2)}\n`,
    )
    log(`baseline updated: benchmarks/baselines/${outcome.name}.json`)
  }
}
if (failed) log(values.check ? '\nbench check FAILED' : '\nsome suites reported errors')
process.exitCode = failed ? 1 : 0

function suiteMarkdown(outcome, level = '#') {
  const parts = [`${level} ${outcome.name}`, '', outcome.description ? `_${outcome.description}_` : '', '', outcome.markdown]
  if (outcome.errors.length > 0) parts.push('', '**Errors**', '', ...outcome.errors.map((error) => `- ${error.replaceAll('\n', ' ')}`))
  const warnings = [...new Set(outcome.warnings)]
  if (warnings.length > 0) parts.push('', '<details><summary>Warnings</summary>', '', ...warnings.map((warning) => `- ${warning}`), '', '</details>')
  return parts.join('\n')
}

function formatValue(value, outcome, id) {
  const unit = outcome.metrics.find((metric) => metric.id === id)?.unit
  if (unit === 'bytes') return bench.formatBytes(value)
  if (unit === 'ms') return bench.formatMs(value)
  if (unit === 'ratio') return bench.formatRatio(value)
  return String(Math.round(value * 1000) / 1000)
}

async function discoverSuites() {
  const found = []
  const suitesDir = path.join(here, 'suites')
  for (const file of (await readdir(suitesDir)).sort()) {
    if (!file.endsWith('.mjs') || file.startsWith('_')) continue
    const suite = (await import(pathToFileURL(path.join(suitesDir, file)).href)).default
    if (!suite || typeof suite.run !== 'function' || typeof suite.name !== 'string') {
      throw new TypeError(`benchmarks/suites/${file} must export default { name, run(ctx) }`)
    }
    found.push(suite)
  }
  for (const file of (await readdir(here)).sort()) {
    if (!/^runtime-.*\.mjs$/.test(file)) continue
    found.push(childScriptSuite(file))
  }
  return found.sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.name.localeCompare(b.name))
}

/** A standalone `benchmarks/runtime-*.mjs` script, run in its own process. */
function childScriptSuite(file) {
  const name = file.replace(/\.mjs$/, '')
  return {
    name,
    order: 100,
    description: `benchmarks/${file}`,
    async run(ctx) {
      const started = Date.now()
      const resultFile = path.join(resultsDir, `.${name}.child-result.json`)
      await mkdir(resultsDir, { recursive: true })
      await rm(resultFile, { force: true })
      const { code, stdout } = await new Promise((resolve) => {
        const child = spawn(process.execPath, [path.join(here, file), ...(ctx.quick ? ['--quick'] : [])], {
          cwd: root,
          env: { ...process.env, BENCH_QUICK: ctx.quick ? '1' : '0', BENCH_RESULT_FILE: resultFile, ...(ctx.runs ? { BENCH_RUNS: String(ctx.runs) } : {}) },
          stdio: ['ignore', 'pipe', 'inherit'],
        })
        let out = ''
        child.stdout.on('data', (chunk) => (out += chunk))
        child.on('error', (error) => resolve({ code: 127, stdout: error.message }))
        child.on('close', (exit) => resolve({ code: exit ?? 1, stdout: out }))
      })
      let reported = null
      if (existsSync(resultFile)) {
        reported = JSON.parse(await readFile(resultFile, 'utf8'))
        await rm(resultFile, { force: true })
      }
      const errors = [...(reported?.errors ?? [])]
      if (code !== 0) errors.push(`${file} exited with code ${code}`)
      if (reported) {
        return { metrics: reported.metrics ?? [], markdown: reported.markdown ?? '', errors, warnings: reported.warnings ?? [], data: reported.data }
      }
      // No result-file contract: show the markdown the script wrote itself this run, else its stdout.
      const ownMarkdown = path.join(resultsDir, `${name}.md`)
      const fresh = await stat(ownMarkdown).then((info) => info.mtimeMs >= started, () => false)
      const markdown = fresh
        ? (await readFile(ownMarkdown, 'utf8')).replace(/^# .*\n+/, '').replace(/^(#+) /gm, '$1## ')
        : stdout.trim()
          ? `\`\`\`\n${stdout.trim()}\n\`\`\``
          : ''
      return { metrics: [], markdown, errors, warnings: [], ownsResults: fresh }
    },
  }
}
