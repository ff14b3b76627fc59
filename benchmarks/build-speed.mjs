#!/usr/bin/env node
// Build time with cli-optimizer's barrel rewriting and tree-shaking help, against the bundler
// alone, on a generated project of 2,000 modules behind barrels (issue 4).
//
//   npm run build                                   # the plugin's dist/
//   node benchmarks/build-speed.mjs [--runs 5] [--modules 2000] [--bundlers esbuild,rollup]
//
// Every build runs in a fresh Node process (so a "warm" build only has the on-disk analysis
// cache, not memory; the plugin's import is part of the time), bundlers alternate run by run,
// and the median of the runs is reported:
// - plain: the bundler alone;
// - floor (esbuild): the bundler with a plugin that only answers nothing to an onResolve and an
//   onLoad callback on every module: what any JavaScript plugin that looks at every module pays
//   for esbuild's IPC, before doing any work;
// - cold:  with the plugin, analysis cache emptied before each run;
// - warm:  with the plugin, analysis cache filled by a previous build of the same sources.
// The warm output must be byte-identical to the cold one (checked).
// Targets: cold ≤ 2x (esbuild) / 1.3x (Rollup) the bundler alone; warm ≤ 1.3x / 1.1x.
import { spawn } from 'node:child_process'
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, modules: { type: 'string', default: '2000' }, bundlers: { type: 'string', default: 'esbuild,rollup' } },
})
const RUNS = Number(values.runs)
const MODULES = Number(values.modules)
const BUNDLERS = values.bundlers.split(',').filter((b) => b === 'esbuild' || b === 'rollup')
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
const plugin = variant === 'plain' || variant === 'floor' ? undefined : { root: project, cacheDir, report: false, runtime: false, lazy: false }
const floor = { name: 'floor', setup(build) { build.onResolve({ filter: /.*/ }, () => undefined); build.onLoad({ filter: /.*/ }, () => undefined) } }
const start = performance.now()
if (bundler === 'esbuild') {
  const esbuild = await import('esbuild')
  const plugins = plugin ? [(await import('unplugin-cli-optimizer/esbuild')).default(plugin)] : variant === 'floor' ? [floor] : []
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
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, bundler, variant === 'cold' || variant === 'warm' ? 'optimized' : variant, project, cacheDir, outDir], { cwd: repo })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()).ms) : reject(new Error(`${bundler} ${variant} failed:\n${err}`))))
  })
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Every file of an output folder, by relative path. */
async function outputFiles(dir) {
  const files = new Map()
  for (const name of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (name.isFile()) files.set(path.relative(dir, path.join(name.parentPath ?? name.path, name.name)), await readFile(path.join(name.parentPath ?? name.path, name.name)))
  }
  return files
}

async function sameOutput(a, b) {
  const [x, y] = await Promise.all([outputFiles(a), outputFiles(b)])
  return x.size === y.size && [...x].every(([name, bytes]) => y.get(name)?.equals(bytes))
}

await generateProject()
const loadBefore = loadavg()
const variants = { esbuild: ['plain', 'floor', 'cold', 'warm'], rollup: ['plain', 'cold', 'warm'] }
const samples = Object.fromEntries(BUNDLERS.map((b) => [b, Object.fromEntries(variants[b].map((v) => [v, []]))]))
const warmSameAsCold = Object.fromEntries(BUNDLERS.map((b) => [b, true]))
for (let run = 0; run < RUNS; run++) {
  for (const bundler of BUNDLERS) {
    for (const variant of variants[bundler]) {
      if (variant === 'cold') await rm(cacheDir, { recursive: true, force: true })
      samples[bundler][variant].push(await buildOnce(bundler, variant))
    }
    if (!(await sameOutput(path.join(work, `out-${bundler}-cold`), path.join(work, `out-${bundler}-warm`)))) warmSameAsCold[bundler] = false
  }
  process.stderr.write(`run ${run + 1}/${RUNS} done\n`)
}
const loadAfter = loadavg()

const results = { modules: MODULES, runs: RUNS, node: process.version, date: new Date().toISOString(), loadAverage: { before: loadBefore.map((l) => +l.toFixed(2)), after: loadAfter.map((l) => +l.toFixed(2)) }, bundlers: {} }
for (const bundler of BUNDLERS) {
  const s = samples[bundler]
  const plain = median(s.plain)
  const cold = median(s.cold)
  const warm = median(s.warm)
  results.bundlers[bundler] = {
    plainMs: Math.round(plain),
    ...(s.floor ? { floorMs: Math.round(median(s.floor)), floorRatio: +(median(s.floor) / plain).toFixed(2) } : {}),
    coldMs: Math.round(cold),
    warmMs: Math.round(warm),
    coldRatio: +(cold / plain).toFixed(2),
    warmRatio: +(warm / plain).toFixed(2),
    targets: TARGETS[bundler],
    coldMet: cold / plain <= TARGETS[bundler].cold,
    warmMet: warm / plain <= TARGETS[bundler].warm,
    warmOutputSameAsCold: warmSameAsCold[bundler],
    samples: s,
  }
}
await mkdir(path.join(repo, 'benchmarks', 'results'), { recursive: true })
await writeFile(path.join(repo, 'benchmarks', 'results', 'build-speed.json'), `${JSON.stringify(results, null, 2)}\n`)
const rows = Object.entries(results.bundlers).map(
  ([b, r]) =>
    `| ${b} | ${r.plainMs} | ${r.floorMs === undefined ? '–' : `${r.floorMs} (${r.floorRatio}x)`} | ${r.coldMs} (${r.coldRatio}x, target ≤ ${r.targets.cold}x: ${r.coldMet ? 'met' : 'missed'}) | ${r.warmMs} (${r.warmRatio}x, target ≤ ${r.targets.warm}x: ${r.warmMet ? 'met' : 'missed'}) | ${r.warmOutputSameAsCold ? 'yes' : 'NO'} |`,
)
const md = `# Build speed (issue 4)

Generated project: ${MODULES} modules in ${MODULES / 100} folders, each behind an \`export *\` barrel, all behind
\`src/index.js\`; \`main.js\` imports ${MODULES / 100} names from the top barrel. Median of ${RUNS} runs, each build in a
fresh Node ${process.version} process (the plugin's import included); plugin options \`{ runtime: false, lazy: false, report: false }\`.
"Floor": esbuild with a plugin whose onResolve and onLoad callbacks run on every module and do nothing.

Reproduce: \`npm run build && node benchmarks/build-speed.mjs\`

| bundler | alone (ms) | JS-callback floor (ms) | with plugin, cold cache (ms) | with plugin, warm cache (ms) | warm output = cold |
| --- | ---: | ---: | ---: | ---: | :---: |
${rows.join('\n')}

Measured ${results.date} on a shared 2-core machine, load average ${results.loadAverage.before[0]} before and ${results.loadAverage.after[0]} after
(other builds were running: compare ratios, not absolute times).
`
await writeFile(path.join(repo, 'benchmarks', 'results', 'build-speed.md'), md)
process.stdout.write(md)
