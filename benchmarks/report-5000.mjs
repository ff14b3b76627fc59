#!/usr/bin/env node
// Report cost on a large build: generates a 5,000-module CLI (1,000 app modules in 20 lazily
// loaded commands + 4,000 modules in 40 packages), builds it with esbuild and Rollup
//   A. without the plugin,
//   B. with the plugin, every transform off, report: false (the report is still measured in memory),
//   C. with the plugin, every transform off, report JSON + HTML + Markdown written,
// interleaved (A B C A B C …), and reports the medians, the report's overhead (C − A) / A and the
// HTML size. Writes benchmarks/results/report-5000.json and .md.
// Options: --runs N (default 5) --bundlers esbuild,rollup
// Needs packages/unplugin-cli-optimizer/dist (npm run build).
import { mkdir, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const work = path.join(repo, 'benchmarks', '.tmp', 'report-5000')
const results = path.join(repo, 'benchmarks', 'results')
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, bundlers: { type: 'string', default: 'esbuild,rollup' } } })
const runs = Number(values.runs)
const bundlers = values.bundlers.split(',')

const PACKAGES = 40
const MODULES_PER_PACKAGE = 100
const COMMANDS = 20
const APP_MODULES_PER_COMMAND = 50

/** A module with real code (so minifiers keep it) that uses its imports. */
function moduleSource(name, imports) {
  const lines = imports.map((spec, i) => `import { run as dep${i} } from '${spec}'`)
  lines.push(
    `const TABLE_${name} = [${Array.from({ length: 12 }, (_, i) => `'${name}-${i}'`).join(', ')}]`,
    `export function run(input) {`,
    `  let acc = String(input ?? '')`,
    ...imports.map((_, i) => `  acc += dep${i}(acc.length)`),
    `  for (const item of TABLE_${name}) if (item.length > acc.length % 7) acc = acc.slice(-40) + item.toUpperCase()`,
    `  return acc.length > 200 ? acc.slice(0, 200) : acc`,
    `}`,
  )
  return `${lines.join('\n')}\n`
}

async function generate() {
  await rm(work, { recursive: true, force: true })
  const files = new Map()
  for (let p = 0; p < PACKAGES; p++) {
    const pkg = `bench-pkg-${p}`
    files.set(`node_modules/${pkg}/package.json`, JSON.stringify({ name: pkg, version: '1.0.0', type: 'module', main: 'index.js' }))
    for (let m = 0; m < MODULES_PER_PACKAGE; m++) {
      // Each package module imports the next one: a chain, so the index reaches all of them.
      const imports = m + 1 < MODULES_PER_PACKAGE ? [`./m${m + 1}.js`] : []
      files.set(`node_modules/${pkg}/m${m}.js`, moduleSource(`p${p}m${m}`, imports))
    }
    files.set(`node_modules/${pkg}/index.js`, `export { run } from './m0.js'\n`)
  }
  const cases = []
  for (let c = 0; c < COMMANDS; c++) {
    for (let m = 0; m < APP_MODULES_PER_COMMAND; m++) {
      const imports = m + 1 < APP_MODULES_PER_COMMAND ? [`./m${m + 1}.js`] : [`bench-pkg-${(2 * c) % PACKAGES}`, `bench-pkg-${(2 * c + 1) % PACKAGES}`]
      files.set(`src/commands/c${c}/m${m}.js`, moduleSource(`c${c}m${m}`, imports))
    }
    cases.push(`  case 'c${c}': return (await import('./commands/c${c}/m0.js')).run(arg)`)
  }
  files.set(
    'src/main.js',
    `async function dispatch(command, arg) {\n  switch (command) {\n${cases.join('\n')}\n    default: return 'usage: bench <c0..c${COMMANDS - 1}>'\n  }\n}\nconsole.log(await dispatch(process.argv[2], process.argv[3]))\n`,
  )
  files.set('package.json', JSON.stringify({ name: 'report-5000', version: '1.0.0', type: 'module' }))
  for (const [file, text] of files) {
    await mkdir(path.dirname(path.join(work, file)), { recursive: true })
    await writeFile(path.join(work, file), text)
  }
  return files.size - PACKAGES - 1 - 1
}

const PLUGIN_OFF = { runtime: false, lazy: false, barrels: false, treeshake: false, assets: false, nodeCompat: false, commands: false, cacheDir: false }

function pluginOptions(variant, outDir) {
  if (variant === 'A') return undefined
  if (variant === 'B') return { root: work, ...PLUGIN_OFF, report: false }
  return {
    root: work,
    ...PLUGIN_OFF,
    report: { json: path.join(outDir, '..', 'report.json'), html: path.join(outDir, '..', 'report.html'), markdown: path.join(outDir, '..', 'report.md'), terminal: false },
  }
}

async function buildOnce(bundler, variant) {
  const outDir = path.join(work, 'out', `${bundler}-${variant}`, 'dist')
  await rm(outDir, { recursive: true, force: true })
  const options = pluginOptions(variant, outDir)
  const started = performance.now()
  if (bundler === 'esbuild') {
    const esbuild = await import('esbuild')
    const plugins = options ? [(await import('unplugin-cli-optimizer/esbuild')).default(options)] : []
    await esbuild.build({
      absWorkingDir: work, entryPoints: { main: 'src/main.js' }, outdir: outDir, bundle: true, splitting: true,
      platform: 'node', format: 'esm', minify: true, logLevel: 'silent', plugins,
    })
  } else {
    const { rollup } = await import('rollup')
    const { default: nodeResolve } = await import('@rollup/plugin-node-resolve')
    const plugins = options ? [(await import('unplugin-cli-optimizer/rollup')).default(options)] : []
    plugins.push(nodeResolve({ rootDir: work }))
    const bundle = await rollup({ input: { main: path.join(work, 'src/main.js') }, plugins, onwarn: () => {} })
    await bundle.write({ dir: outDir, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' })
    await bundle.close()
  }
  return { ms: performance.now() - started, outDir }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** Where the report's time goes, measured in this process on build C's output and report. */
async function reportBreakdown(report, distDir) {
  const { readdir, readFile } = await import('node:fs/promises')
  const zlib = await import('node:zlib')
  const dist = path.join(repo, 'packages', 'unplugin-cli-optimizer', 'dist')
  const { renderHtmlReport } = await import(path.join(dist, 'report', 'html', 'html-report.js'))
  const { formatMarkdownReport } = await import(path.join(dist, 'report', 'markdown.js'))
  const files = await Promise.all((await readdir(distDir)).map((f) => readFile(path.join(distDir, f))))
  const time = (fn) => {
    const started = performance.now()
    fn()
    return Math.round(performance.now() - started)
  }
  const { BROTLI_PARAM_QUALITY, BROTLI_MAX_QUALITY, BROTLI_PARAM_SIZE_HINT } = zlib.constants
  return {
    gzip9: time(() => files.forEach((f) => zlib.gzipSync(f, { level: 9 }))),
    brotli11: time(() => files.forEach((f) => zlib.brotliCompressSync(f, { params: { [BROTLI_PARAM_QUALITY]: BROTLI_MAX_QUALITY, [BROTLI_PARAM_SIZE_HINT]: f.length } }))),
    html: time(() => renderHtmlReport(report)),
    markdown: time(() => formatMarkdownReport(report)),
    json: time(() => JSON.stringify(report, null, 2)),
  }
}

const modules = await generate()
process.stderr.write(`generated ${modules} modules in ${path.relative(repo, work)}\n`)
const rows = []
for (const bundler of bundlers) {
  const times = { A: [], B: [], C: [] }
  await buildOnce(bundler, 'A') // warm-up: module caches, JIT
  for (let i = 0; i < runs; i++) {
    for (const variant of ['A', 'B', 'C']) {
      const { ms } = await buildOnce(bundler, variant)
      times[variant].push(ms)
      process.stderr.write(`\r\x1b[2K${bundler} run ${i + 1}/${runs} ${variant}: ${ms.toFixed(0)} ms`)
    }
  }
  process.stderr.write('\n')
  const reportDir = path.join(work, 'out', `${bundler}-C`)
  const report = JSON.parse(await (await import('node:fs/promises')).readFile(path.join(reportDir, 'report.json'), 'utf8'))
  const htmlBytes = (await stat(path.join(reportDir, 'report.html'))).size
  const jsonBytes = (await stat(path.join(reportDir, 'report.json'))).size
  const [a, b, c] = ['A', 'B', 'C'].map((v) => median(times[v]))
  const breakdown = await reportBreakdown(report, path.join(reportDir, 'dist'))
  rows.push({
    bundler,
    modules: report.chunks.reduce((n, ch) => n + ch.modules.length, 0),
    chunks: report.chunks.length,
    outputBytes: report.chunks.reduce((n, ch) => n + ch.bytes, 0),
    buildMs: Math.round(a),
    pluginNoReportMs: Math.round(b),
    pluginWithReportMs: Math.round(c),
    reportOverhead: Number(((c - a) / a).toFixed(3)),
    htmlBytes,
    jsonBytes,
    breakdownMs: breakdown,
    samplesMs: { A: times.A.map(Math.round), B: times.B.map(Math.round), C: times.C.map(Math.round) },
  })
}

/** Time from navigation to a rendered treemap in headless Chromium, when playwright-core and chromium are there. */
async function htmlOpenMs(htmlFile) {
  let chromium
  try {
    ;({ chromium } = await import('playwright-core'))
  } catch {
    return null
  }
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] }).catch(() => null)
  if (!browser) return null
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const times = []
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      await page.goto((await import('node:url')).pathToFileURL(htmlFile).href)
      await page.waitForSelector('body[data-ready="true"]')
      times.push(performance.now() - started)
    }
    return Math.round(median(times))
  } finally {
    await browser.close()
  }
}
for (const row of rows) row.htmlOpenMs = await htmlOpenMs(path.join(work, 'out', `${row.bundler}-C`, 'report.html'))

const out = { generatedModules: modules, runs, node: process.version, cpus: (await import('node:os')).cpus().length, rows }
await mkdir(results, { recursive: true })
await writeFile(path.join(results, 'report-5000.json'), `${JSON.stringify(out, null, 2)}\n`)
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`
const md = [
  '# Report cost on a generated 5,000-module build',
  '',
  `\`node benchmarks/report-5000.mjs --runs ${runs}\` · Node ${process.version} · ${out.cpus} CPUs · medians of ${runs} interleaved runs; esbuild output minified, Rollup output not (no terser).`,
  'A = bundler alone; B = plugin with every transform off and `report: false`; C = same plugin writing report JSON + HTML + Markdown. Overhead = (C − A) / A (target ≤ 10%). HTML target < 2 MB.',
  '',
  '| Bundler | Modules | Chunks | Output | A build | B plugin, no report | C plugin + report | Overhead | HTML | HTML open (Chromium) | JSON |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.bundler} | ${r.modules} | ${r.chunks} | ${kib(r.outputBytes)} | ${r.buildMs} ms | ${r.pluginNoReportMs} ms | ${r.pluginWithReportMs} ms | ${(r.reportOverhead * 100).toFixed(1)}% | ${kib(r.htmlBytes)} | ${r.htmlOpenMs === null ? 'n/a' : `${r.htmlOpenMs} ms`} | ${kib(r.jsonBytes)} |`),
  '',
  'Where the time goes (one pass over build C\'s output, single thread, same run):',
  '',
  '| Bundler | gzip -9 of every chunk | brotli 11 of every chunk | HTML render | Markdown | JSON |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.bundler} | ${r.breakdownMs.gzip9} ms | ${r.breakdownMs.brotli11} ms | ${r.breakdownMs.html} ms | ${r.breakdownMs.markdown} ms | ${r.breakdownMs.json} ms |`),
  '',
]
await writeFile(path.join(results, 'report-5000.md'), md.join('\n'))
process.stdout.write(md.join('\n'))
