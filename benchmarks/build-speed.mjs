#!/usr/bin/env node
// Build time with cli-optimizer's barrel rewriting and tree-shaking help, against the bundler
// alone, on a generated project of 2,000 modules behind barrels (issue 4).
//
//   npx tsc -p packages/unplugin-cli-optimizer/tsconfig.build.json   # the plugin's dist/
//   node benchmarks/build-speed.mjs [--runs 5] [--modules 2000]
//
// Every build runs in a fresh Node process (so a "warm" build only has the on-disk analysis
// cache, not memory), bundlers alternate run by run, and the median of the runs is reported:
// - plain: the bundler alone;
// - cold:  with the plugin, analysis cache emptied before each run;
// - warm:  with the plugin, analysis cache filled by a previous build of the same sources.
// Targets: cold ≤ 2x (esbuild) / 1.3x (Rollup) the bundler alone; warm ≤ 1.3x / 1.1x.
import { spawn } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, modules: { type: 'string', default: '2000' } } })
const RUNS = Number(values.runs)
const MODULES = Number(values.modules)
const work = path.join(repo, 'benchmarks', '.tmp', 'build-speed')
const project = path.join(work, 'project')
const cacheDir = path.join(work, 'analysis-cache')
const TARGETS = { esbuild: { cold: 2, warm: 1.3 }, rollup: { cold: 1.3, warm: 1.1 } }

/** 20 feature folders of 100 modules, each folder behind a barrel, all behind `src/index.js`. */
async function generateProject() {
  await rm(project, { recursive: true, force: true })
  const features = MODULES / 100
  await mkdir(path.join(project, 'src'), { recursive: true })
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'build-speed-project', private: true, type: 'module' }))
  const top = []
  const used = []
  for (let f = 0; f < features; f++) {
    const dir = path.join(project, 'src', `feature${f}`)
    await mkdir(dir, { recursive: true })
    const barrel = []
    for (let m = 0; m < 100; m++) {
      const name = `f${f}m${m}`
      const helper = m > 0 ? `import { f${f}m${m - 1}Value } from './m${m - 1}.js'\n` : ''
      const source = `${helper}export const ${name}Value = ${m > 0 ? `f${f}m${m - 1}Value + ` : ''}${m}
export function ${name}(input) {
  const parts = String(input).split('')
  return parts.map((c, i) => c.charCodeAt(0) * (i + ${m})).reduce((a, b) => a + b, ${name}Value)
}
export class ${name[0].toUpperCase()}${name.slice(1)}Store {
  #items = new Map()
  add(key, value) { this.#items.set(key, ${name}(value)); return this }
  get size() { return this.#items.size }
}
`
      await writeFile(path.join(dir, `m${m}.js`), source)
      barrel.push(`export * from './m${m}.js'`)
    }
    await writeFile(path.join(dir, 'index.js'), `${barrel.join('\n')}\n`)
    top.push(`export * from './feature${f}/index.js'`)
    used.push(`f${f}m${(f * 7) % 100}`)
  }
  await writeFile(path.join(project, 'src', 'index.js'), `${top.join('\n')}\n`)
  await writeFile(path.join(project, 'main.js'), `import { ${used.join(', ')} } from './src/index.js'\nconsole.log(${used.map((u) => `${u}('x')`).join(' + ')})\n`)
}

/** One build in a fresh process; prints its wall time in ms. */
const CHILD = `
const [bundler, variant, project, cacheDir, outDir] = process.argv.slice(1)
const plugin = variant === 'plain' ? undefined : { root: project, cacheDir, report: false, runtime: false, lazy: false }
const start = performance.now()
if (bundler === 'esbuild') {
  const esbuild = await import('esbuild')
  const plugins = plugin ? [(await import('unplugin-cli-optimizer/esbuild')).default(plugin)] : []
  await esbuild.build({ absWorkingDir: project, entryPoints: ['main.js'], outdir: outDir, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent', plugins })
} else {
  const { rollup } = await import('rollup')
  const { default: nodeResolve } = await import('@rollup/plugin-node-resolve')
  const plugins = plugin ? [(await import('unplugin-cli-optimizer/rollup')).default(plugin)] : []
  plugins.push(nodeResolve())
  const bundle = await rollup({ input: project + '/main.js', plugins, onwarn: () => {} })
  await bundle.write({ dir: outDir, format: 'es' })
  await bundle.close()
}
console.log(JSON.stringify({ ms: performance.now() - start }))
`

function buildOnce(bundler, variant) {
  return new Promise((resolve, reject) => {
    const outDir = path.join(work, `out-${bundler}-${variant}`)
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, bundler, variant, project, cacheDir, outDir], { cwd: repo })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()).ms) : reject(new Error(`${bundler} ${variant} failed:\n${err}`))))
  })
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

await generateProject()
const samples = { esbuild: { plain: [], cold: [], warm: [] }, rollup: { plain: [], cold: [], warm: [] } }
for (let run = 0; run < RUNS; run++) {
  for (const bundler of ['esbuild', 'rollup']) {
    samples[bundler].plain.push(await buildOnce(bundler, 'plain'))
    await rm(cacheDir, { recursive: true, force: true })
    samples[bundler].cold.push(await buildOnce(bundler, 'optimized'))
    samples[bundler].warm.push(await buildOnce(bundler, 'optimized'))
  }
  process.stderr.write(`run ${run + 1}/${RUNS} done\n`)
}

const results = { modules: MODULES, runs: RUNS, node: process.version, date: new Date().toISOString(), bundlers: {} }
for (const bundler of ['esbuild', 'rollup']) {
  const s = samples[bundler]
  const plain = median(s.plain)
  const cold = median(s.cold)
  const warm = median(s.warm)
  results.bundlers[bundler] = {
    plainMs: Math.round(plain),
    coldMs: Math.round(cold),
    warmMs: Math.round(warm),
    coldRatio: +(cold / plain).toFixed(2),
    warmRatio: +(warm / plain).toFixed(2),
    targets: TARGETS[bundler],
    coldMet: cold / plain <= TARGETS[bundler].cold,
    warmMet: warm / plain <= TARGETS[bundler].warm,
    samples: s,
  }
}
await mkdir(path.join(repo, 'benchmarks', 'results'), { recursive: true })
await writeFile(path.join(repo, 'benchmarks', 'results', 'build-speed.json'), `${JSON.stringify(results, null, 2)}\n`)
const rows = Object.entries(results.bundlers).map(
  ([b, r]) =>
    `| ${b} | ${r.plainMs} | ${r.coldMs} (${r.coldRatio}x, target ≤ ${r.targets.cold}x: ${r.coldMet ? 'met' : 'missed'}) | ${r.warmMs} (${r.warmRatio}x, target ≤ ${r.targets.warm}x: ${r.warmMet ? 'met' : 'missed'}) |`,
)
const md = `# Build speed (issue 4)

Generated project: ${MODULES} modules in ${MODULES / 100} folders, each behind an \`export *\` barrel, all behind
\`src/index.js\`; \`main.js\` imports ${MODULES / 100} names from the top barrel. Median of ${RUNS} runs, each build in a
fresh Node ${process.version} process; plugin options \`{ runtime: false, lazy: false, report: false }\`.

Reproduce: \`npx tsc -p packages/unplugin-cli-optimizer/tsconfig.build.json && node benchmarks/build-speed.mjs\`

| bundler | alone (ms) | with plugin, cold cache (ms) | with plugin, warm cache (ms) |
| --- | ---: | ---: | ---: |
${rows.join('\n')}

Measured ${results.date} on a shared 2-core machine (other builds were running: compare ratios, not absolute times).
`
await writeFile(path.join(repo, 'benchmarks', 'results', 'build-speed.md'), md)
process.stdout.write(md)
