// Build time of the playground per bundler, without the plugin (plain) and with it (optimized).
import { existsSync } from 'node:fs'
import { BUNDLERS, buildCommand, lastLines, playgroundOutputs, runToCompletion } from './_playground.mjs'

/** Median user + system CPU of the build's process tree (a build that mostly waited shows little). */
const cpu = (result) => (result.userMs === null ? null : result.userMs + result.systemMs)

export default {
  name: 'build',
  order: 10,
  description: 'Build time of the playground per bundler, plain vs optimized (whole `node playground/build.mjs` process)',
  async run(ctx) {
    const { benchmarkCommands, compareSamples, formatMs, formatPValue, formatRatio, markdownTable } = ctx.bench
    const errors = []
    // The optimized configs import the plugin's dist/: build it first so no run pays for it.
    const { ensurePluginBuilt } = await import(new URL('../../playground/build.mjs', import.meta.url))
    await ensurePluginBuilt()

    const outputs = playgroundOutputs(ctx.root)
    const runs = ctx.runs ?? (ctx.quick ? 1 : 3)
    const warmup = ctx.quick ? 0 : 1
    const progress = ctx.progress('build')
    const results = await benchmarkCommands({
      commands: outputs.map((output) => ({ name: output.key, command: buildCommand(ctx.root, output.bundler, output.variant), cwd: ctx.root })),
      runs,
      warmup,
      // One broken output must not hide the others' figures: failures are reported below.
      ignoreFailure: true,
      timeoutMs: 600_000,
      // In a tree being edited the plugin's sources may change mid-run: recompile it before each
      // build, untimed, so no measured optimized build pays for tsc or waits on another's.
      prepare: () => ensurePluginBuilt(),
      onProgress: progress.update,
    })
    progress.clear()

    const metrics = []
    const byKey = new Map()
    for (const [index, result] of results.entries()) {
      const output = outputs[index]
      if (result.perRun.some((run) => run.exitCode !== 0) || !existsSync(output.entry)) {
        const { code, output: text } = await runToCompletion(buildCommand(ctx.root, output.bundler, output.variant), { cwd: ctx.root })
        errors.push(`${output.key}: build failed (exit ${code}): ${lastLines(text)}`)
        continue
      }
      byKey.set(output.key, result)
      metrics.push({ id: `build.${output.key}.ms`, label: `build ${output.key}`, value: result.wall.median, unit: 'ms', better: 'lower', kind: 'info' })
    }
    const comparisons = []
    for (const bundler of BUNDLERS) {
      const plain = byKey.get(`${bundler}-plain`)
      const optimized = byKey.get(`${bundler}-optimized`)
      if (!plain || !optimized) continue
      const comparison = compareSamples(optimized.wall.samples, plain.wall.samples)
      comparisons.push({ bundler, comparison, plain, optimized })
      metrics.push({
        id: `build.${bundler}.optimized-vs-plain`,
        label: `build ${bundler}: optimized / plain`,
        value: comparison.ratio,
        ci: comparison.ci,
        unit: 'ratio',
        better: 'lower',
        kind: 'timing',
      })
    }

    const markdown = [
      `Median of ${runs} build${runs === 1 ? '' : 's'} per output (after ${warmup} warm-up), interleaved; whole \`node playground/build.mjs --bundler B --variant V --out dist-bench\` process.`,
      '',
      markdownTable(
        ['Bundler', 'Plain', 'Optimized', 'Optimized / plain', '95% CI', 'p', 'Verdict', 'CPU plain', 'CPU optimized', 'Peak RSS plain', 'Peak RSS optimized'],
        comparisons.map(({ bundler, comparison, plain, optimized }) => [
          bundler,
          formatMs(plain.wall.median),
          formatMs(optimized.wall.median),
          formatRatio(comparison.ratio),
          `${formatRatio(comparison.ci.low)} – ${formatRatio(comparison.ci.high)}`,
          formatPValue(comparison.pValue),
          comparison.verdict,
          formatMs(cpu(plain)),
          formatMs(cpu(optimized)),
          ctx.bench.formatBytes(plain.peakRssBytes),
          ctx.bench.formatBytes(optimized.peakRssBytes),
        ]),
      ),
    ].join('\n')
    const warnings = [...results.flatMap((result) => result.warnings), ...comparisons.flatMap(({ comparison }) => comparison.warnings)]
    return { metrics, markdown, errors, warnings, data: { results } }
  },
}
