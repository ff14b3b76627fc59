#!/usr/bin/env node
// Where the peak RSS of the optimized playground's `--version` goes, measured side by side in
// one run (interleaved, median of N): bare `node -e 0`, an empty ES module, a hand-written ES
// module doing only what `--version` must do (read package.json, write the version), the
// optimized entry chunk run without the bootstrap, and the whole optimized output.
//
//   npm run build && node playground/build.mjs --variant optimized && node benchmarks/rss-floor.mjs [--runs 15] [--dist dist]
//
// Writes benchmarks/results/rss-floor.{json,md}.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { benchmarkCommands, writeFileAtomic } from '@cli-optimizer/bench'

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const playground = path.join(repo, 'playground')
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, warmup: { type: 'string', default: '2' }, dist: { type: 'string', default: 'dist' } },
})

const scratch = mkdtempSync(path.join(os.tmpdir(), 'rss-floor-'))
const empty = path.join(scratch, 'empty.mjs')
writeFileSync(empty, '')
const minimal = path.join(scratch, 'version.mjs')
writeFileSync(
  minimal,
  `import { readFileSync } from 'node:fs'\nprocess.stdout.write(JSON.parse(readFileSync(${JSON.stringify(path.join(playground, 'package.json'))}, 'utf8')).version + '\\n')\n`,
)

/** The chunk the bootstrap imports: `await import("./cli-….js")` in the shim. */
function entryChunk(dir) {
  const shim = readFileSync(path.join(dir, 'cli.js'), 'utf8')
  const imports = [...shim.matchAll(/import\(\s*["'`]\.\/([^"'`]+)["'`]\s*\)/g)].map((m) => m[1])
  const chunk = imports.at(-1)
  if (!chunk || !readdirSync(dir).includes(chunk)) throw new Error(`no entry chunk found in ${dir}/cli.js`)
  return path.join(dir, chunk)
}

const commands = [
  { name: 'node -e 0', command: [process.execPath, '-e', '0'] },
  { name: 'empty ES module', command: [process.execPath, empty] },
  { name: 'hand-written ES module printing the version', command: [process.execPath, minimal] },
]
for (const bundler of ['vite', 'rollup', 'esbuild']) {
  const dir = path.join(playground, values.dist, `${bundler}-optimized`)
  commands.push({ name: `${bundler}: entry chunk without the bootstrap`, command: [process.execPath, entryChunk(dir), '--version'], cwd: path.join(playground, 'examples') })
  commands.push({ name: `${bundler}: optimized output`, command: [process.execPath, path.join(dir, 'cli.js'), '--version'], cwd: path.join(playground, 'examples') })
}

try {
  const results = await benchmarkCommands({ commands, runs: Number(values.runs), warmup: Number(values.warmup) })
  const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1]
  const rss = (r) => median(r.perRun.map((run) => run.peakRssBytes))
  const base = rss(results[0])
  const mib = (bytes) => Math.round((bytes / 1048576) * 100) / 100
  const rows = results.map((r) => ({
    program: r.name,
    peakRssMiB: mib(rss(r)),
    overNodeMiB: mib(rss(r) - base),
    maxPeakRssMiB: mib(r.peakRssBytes),
    wallMedianMs: Math.round(r.wall.median * 10) / 10,
  }))
  const result = { generatedAt: new Date().toISOString(), node: process.version, runs: Number(values.runs), rows }
  await writeFileAtomic(path.join(repo, 'benchmarks', 'results', 'rss-floor.json'), `${JSON.stringify(result, null, 2)}\n`)
  const md = [
    '# Peak RSS of `--version`: where it goes',
    '',
    `Node ${process.version}, ${os.cpus().length} cores, ${result.generatedAt}; median peak RSS (kernel ru_maxrss) of ${values.runs} interleaved runs. Reproduce: \`npm run build && node playground/build.mjs --variant optimized && node benchmarks/rss-floor.mjs\`.`,
    '',
    '| program | peak RSS (median) | over `node -e 0` | peak RSS (max) | wall median |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.program} | ${r.peakRssMiB} MiB | +${r.overNodeMiB} MiB | ${r.maxPeakRssMiB} MiB | ${r.wallMedianMs} ms |`),
    '',
  ].join('\n')
  await writeFileAtomic(path.join(repo, 'benchmarks', 'results', 'rss-floor.md'), md)
  console.log(md)
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
