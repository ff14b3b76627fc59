// Startup of the playground CLI per bundler and variant (`--version`, `--help`) against bare
// `node -e 0`, all interleaved in one run so that drift hits every command alike.
import { BUNDLERS, ensureOutputs, lastLines, runToCompletion } from './_playground.mjs'

const ARGS = ['--version', '--help']

export default {
  name: 'startup',
  order: 30,
  description: 'Startup of the playground CLI per bundler and variant against bare `node -e 0`',
  async run(ctx) {
    const { benchmarkCommands, compareSamples, formatBytes, formatMs, formatPValue, formatRatio, markdownTable } = ctx.bench
    const { ready, errors } = await ensureOutputs(ctx)
    // A CLI that does not even answer --version once is reported, not timed.
    const targets = []
    for (const output of ready) {
      for (const arg of ARGS) {
        const command = [process.execPath, output.entry, arg]
        const { code, output: text } = await runToCompletion(command, { cwd: ctx.root, timeoutMs: 30_000 })
        if (code === 0) targets.push({ ...output, arg, command })
        else errors.push(`${output.key}: \`cli.js ${arg}\` exits ${code}: ${lastLines(text, 4)}`)
      }
    }
    const bare = { name: 'node -e 0', command: [process.execPath, '-e', '0'] }
    const runs = ctx.runs ?? (ctx.quick ? 5 : 20)
    const warmup = ctx.quick ? 1 : 3
    const progress = ctx.progress('startup')
    const [bareResult, ...results] = await benchmarkCommands({
      commands: [bare, ...targets.map((target) => ({ name: `${target.key} ${target.arg}`, command: target.command, cwd: ctx.root }))],
      runs,
      warmup,
      timeoutMs: 60_000,
      onProgress: progress.update,
    })
    progress.clear()

    const metrics = [{ id: 'startup.node.ms', label: 'node -e 0', value: bareResult.wall.median, unit: 'ms', better: 'lower', kind: 'info' }]
    const rows = [['`node -e 0`', formatMs(bareResult.wall.median), `± ${formatMs(bareResult.wall.stddev)}`, formatMs(bareResult.wall.p95), '1.000×', '–', formatMs(bareResult.userMs), formatMs(bareResult.systemMs), formatBytes(bareResult.peakRssBytes)]]
    const byTarget = new Map()
    for (const [index, result] of results.entries()) {
      const target = targets[index]
      byTarget.set(`${target.key} ${target.arg}`, result)
      const vsNode = compareSamples(result.wall.samples, bareResult.wall.samples)
      const id = `startup.${target.key}.${target.arg.replace(/^--/, '')}`
      metrics.push(
        { id: `${id}.ms`, label: `${target.key} ${target.arg}`, value: result.wall.median, unit: 'ms', better: 'lower', kind: 'info' },
        { id: `${id}.vs-node`, label: `${target.key} ${target.arg} / node -e 0`, value: vsNode.ratio, ci: vsNode.ci, unit: 'ratio', better: 'lower', kind: 'timing' },
        { id: `${id}.peak-rss`, label: `${target.key} ${target.arg} peak RSS`, value: result.peakRssBytes ?? Number.NaN, unit: 'bytes', better: 'lower', kind: 'info' },
      )
      rows.push([
        `\`${target.key} ${target.arg}\``,
        formatMs(result.wall.median),
        `± ${formatMs(result.wall.stddev)}`,
        formatMs(result.wall.p95),
        formatRatio(vsNode.ratio),
        `+${formatMs(result.wall.median - bareResult.wall.median)}`,
        formatMs(result.userMs),
        formatMs(result.systemMs),
        formatBytes(result.peakRssBytes),
      ])
    }

    // The question the project exists for: is the optimized build faster to start than the plain one?
    const abRows = []
    const comparisons = []
    for (const bundler of BUNDLERS) {
      for (const arg of ARGS) {
        const plain = byTarget.get(`${bundler}-plain ${arg}`)
        const optimized = byTarget.get(`${bundler}-optimized ${arg}`)
        if (!plain || !optimized) continue
        const comparison = compareSamples(optimized.wall.samples, plain.wall.samples)
        comparisons.push({ bundler, arg, ...comparison })
        metrics.push({
          id: `startup.${bundler}.${arg.replace(/^--/, '')}.optimized-vs-plain`,
          label: `${bundler} ${arg}: optimized / plain`,
          value: comparison.ratio,
          ci: comparison.ci,
          unit: 'ratio',
          better: 'lower',
          kind: 'timing',
        })
        abRows.push([
          `${bundler} \`${arg}\``,
          formatMs(plain.wall.median),
          formatMs(optimized.wall.median),
          formatRatio(comparison.ratio),
          `${formatRatio(comparison.ci.low)} – ${formatRatio(comparison.ci.high)}`,
          formatPValue(comparison.pValue),
          `**${comparison.verdict}**`,
        ])
      }
    }
    const warnings = [...bareResult.warnings, ...results.flatMap((result) => result.warnings), ...comparisons.flatMap((comparison) => comparison.warnings)]
    const markdown = [
      `${runs} runs per command after ${warmup} warm-up${warmup === 1 ? '' : 's'}, interleaved; wall time from spawn to exit; CPU and peak RSS from the kernel (wait4 via GNU time).` +
        (runs < 10 ? ` With ${runs} runs the intervals are wide and only large differences can be significant.` : ''),
      '',
      markdownTable(['Command', 'Median', 'σ', 'p95', 'vs node -e 0', 'Overhead', 'User', 'System', 'Peak RSS'], rows),
      '',
      '**Optimized vs plain** (ratio of medians, bootstrap 95% CI, Mann-Whitney U):',
      '',
      abRows.length > 0 ? markdownTable(['Startup', 'Plain', 'Optimized', 'Optimized / plain', '95% CI', 'p', 'Verdict'], abRows) : '_no bundler has both variants working_',
    ].join('\n')
    return { metrics, markdown, errors, warnings, data: { bare: bareResult, results, comparisons } }
  },
}
