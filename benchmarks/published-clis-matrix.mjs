#!/usr/bin/env node
// Probe: node benchmarks/published-clis-matrix.mjs <bundlers,> <plugin|plain,> [slugs,]  (ALL=1: every command; WARN=1: plugin warnings).
// Builds each CLI of lib/published-cli-table.mjs as a published package and compares it with the published bin.
import { PUBLISHED_CLIS, slugOf } from './lib/published-cli-table.mjs'
import { buildCli, compareCommands, firstDifference, makeWorkDir, observe, publishedBin } from './lib/published-cli-build.mjs'
const [bundlers, variants, only] = [process.argv[2].split(','), process.argv[3].split(','), process.argv[4]]
const work = await makeWorkDir()
for (const cli of PUBLISHED_CLIS) {
  if (only && !only.split(',').includes(slugOf(cli))) continue
  for (const b of bundlers) for (const v of variants) {
    const built = await buildCli(cli, b, { workDir: work, plugin: v === 'plain' ? false : {} })
    if (!built.ok) { console.log(`${slugOf(cli)} ${b} ${v}: BUILD FAILED ${built.error}`); continue }
    const cmds = process.env.ALL ? cli.commands : cli.quick.map((i) => cli.commands[i])
    const res = await compareCommands(cli, built.entry, cmds)
    for (const r of res) console.log(`${slugOf(cli)} ${b} ${v} [${built.buildMs}ms]: ${r.args.join(' ')} ${r.identical ? 'ok' : 'DIFF ' + firstDifference(r.expected, r.actual)}`)
    if (process.env.WARN) console.log(built.warnings.filter(w=>/cli-optimizer/.test(w)).join('\n'))
  }
}
console.log('work', work)
