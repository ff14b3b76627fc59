import { spawn } from 'node:child_process'
import { parseArgs } from 'node:util'
import { checkRegression, loadBaseline, parseThreshold, saveBaseline, type RegressionCheck } from './baseline.js'
import { machineInfo, machineLoadWarning } from './machine.js'
import { benchmarkCommands, CommandFailedError, type CommandResult } from './process/benchmark-commands.js'
import type { CommandSpec } from './process/run-command.js'
import { splitCommand } from './process/split-command.js'
import { formatBytes, formatCommand, formatMs, formatPValue, formatRatio } from './report/format.js'
import { commandsMarkdown, comparisonMarkdown } from './report/markdown.js'
import { createProgressBar } from './report/progress-bar.js'
import { compareSamples, type Comparison } from './stats/compare.js'
import { writeFileAtomic } from './write-file-atomic.js'

const USAGE = `Usage: cli-optimizer bench [options] -- <command A …>

Times whole commands (startup included) with statistics; compares two commands or a baseline.

Options:
  --runs N             measured runs per command (default 10)
  --warmup N           unmeasured runs per command first (default 2)
  --compare "<cmd B>"  also run B, interleaved with A (A B A B …), and judge A against B
  --prepare "<cmd>"    run this before every run, untimed (e.g. clear a cache)
  --json FILE          write all results and samples as JSON
  --markdown           print markdown tables instead of text
  --save FILE          save A's measurements as a baseline
  --baseline FILE      judge A against a saved baseline; exit 1 on a regression
  --threshold P        slowdown tolerated by --baseline, percent (default 5%)
  --confidence C       confidence of intervals and tests (default 0.95)
  --ignore-failure     keep measuring commands that exit non-zero
  -h, --help           show this help

Exit codes: 0 ok, 1 regression against --baseline, 2 usage error or failing command.`

/** Output of `--json` (schema v1). */
export interface BenchReport {
  schemaVersion: 1
  tool: '@cli-optimizer/bench'
  createdAt: string
  machine: ReturnType<typeof machineInfo>
  runs: number
  warmup: number
  commands: CommandResult[]
  /** A against B (`--compare`). */
  comparison?: Comparison
  /** A against the `--baseline`. */
  baseline?: RegressionCheck & { file: string }
}

/**
 * `cli-optimizer bench …`: `argv` holds the arguments after `bench` (or after the
 * `cli-optimizer-bench` bin). Resolves to the process exit code; never calls `process.exit`.
 */
export async function main(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        runs: { type: 'string', default: '10' },
        warmup: { type: 'string', default: '2' },
        compare: { type: 'string' },
        prepare: { type: 'string' },
        json: { type: 'string' },
        markdown: { type: 'boolean', default: false },
        save: { type: 'string' },
        baseline: { type: 'string' },
        threshold: { type: 'string', default: '5%' },
        confidence: { type: 'string', default: '0.95' },
        'ignore-failure': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    return usageError((error as Error).message)
  }
  const { values, positionals } = parsed
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const commandA = positionals.length === 1 ? splitCommand(positionals[0]!) : positionals
  if (commandA.length === 0) return usageError('no command given: put it after --')
  const runs = Number(values.runs)
  const warmup = Number(values.warmup)
  const confidence = Number(values.confidence)
  if (!Number.isInteger(runs) || runs < 2) return usageError(`--runs must be an integer ≥ 2, got ${values.runs}`)
  if (!Number.isInteger(warmup) || warmup < 0) return usageError(`--warmup must be an integer ≥ 0, got ${values.warmup}`)
  if (!(confidence > 0 && confidence < 1)) return usageError(`--confidence must be between 0 and 1, got ${values.confidence}`)
  let threshold: number
  try {
    threshold = parseThreshold(values.threshold)
  } catch (error) {
    return usageError((error as Error).message)
  }

  const commands: CommandSpec[] = [{ name: 'A', command: commandA }]
  if (values.compare !== undefined) {
    const commandB = splitCommand(values.compare)
    if (commandB.length === 0) return usageError('--compare needs a command')
    commands.push({ name: 'B', command: commandB })
  }
  const baseline = values.baseline === undefined ? undefined : await loadBaseline(values.baseline).catch((error: Error) => error)
  if (baseline instanceof Error) return usageError(baseline.message)

  const prepareCommand = values.prepare === undefined ? undefined : splitCommand(values.prepare)
  if (prepareCommand?.length === 0) return usageError('--prepare needs a command')
  const progress = createProgressBar()
  let results: CommandResult[]
  try {
    results = await benchmarkCommands({
      commands,
      runs,
      warmup,
      ignoreFailure: values['ignore-failure'],
      onProgress: (done, total) => progress.update(done, total),
      ...(prepareCommand ? { prepare: () => runPrepare(prepareCommand) } : {}),
    })
  } catch (error) {
    progress.clear()
    if (error instanceof CommandFailedError || error instanceof PrepareFailedError) {
      process.stderr.write(`${error.message}\n`)
      return 2
    }
    throw error
  }
  progress.clear()

  const report: BenchReport = {
    schemaVersion: 1,
    tool: '@cli-optimizer/bench',
    createdAt: new Date().toISOString(),
    machine: machineInfo(),
    runs,
    warmup,
    commands: results,
  }
  const [resultA, resultB] = results as [CommandResult, CommandResult | undefined]
  if (resultB) report.comparison = compareSamples(resultA.wall.samples, resultB.wall.samples, { confidence })
  if (baseline && values.baseline) {
    report.baseline = { file: values.baseline, ...checkRegression(resultA, baseline, threshold, confidence) }
  }

  process.stdout.write(values.markdown ? renderMarkdown(report) : renderText(report))
  const load = machineLoadWarning()
  const warnings = [
    ...(load === null ? [] : [load]),
    ...results.flatMap((result) => result.warnings),
    ...(report.comparison?.warnings ?? []),
    ...(report.baseline?.comparison.warnings ?? []),
    ...(report.baseline?.warnings ?? []),
  ]
  for (const warning of new Set(warnings)) process.stderr.write(`warning: ${warning}\n`)

  if (values.json) await writeFileAtomic(values.json, `${JSON.stringify(report, null, 2)}\n`)
  if (values.save) {
    await saveBaseline(values.save, resultA)
    process.stderr.write(`baseline saved to ${values.save}\n`)
  }
  return report.baseline?.regression ? 1 : 0
}

class PrepareFailedError extends Error {}

/** Run the `--prepare` command to completion; a failure stops the benchmark. */
function runPrepare(command: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] })
    child.once('error', reject)
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new PrepareFailedError(`[cli-optimizer-bench] --prepare command exited with code ${code}: ${command.join(' ')}`)),
    )
  })
}

function usageError(message: string): number {
  process.stderr.write(`cli-optimizer bench: ${message.replace(/^\[cli-optimizer-bench\] /, '')}\n\n${USAGE}\n`)
  return 2
}

export function renderText(report: BenchReport): string {
  const lines: string[] = []
  for (const result of report.commands) {
    const { wall } = result
    lines.push(
      `${result.name}: ${formatCommand(result.command)}`,
      `  Time (median):      ${formatMs(wall.median)}   (mean ${formatMs(wall.mean)} ± σ ${formatMs(wall.stddev)})`,
      `  Range (min … p95):  ${formatMs(wall.min)} … ${formatMs(wall.p95)}   max ${formatMs(wall.max)}   ${result.runs} runs`,
      `  CPU (median):       user ${formatMs(result.userMs)}, system ${formatMs(result.systemMs)}`,
      `  Peak RSS (max):     ${formatBytes(result.peakRssBytes)}`,
      '',
    )
  }
  const { comparison } = report
  if (comparison) {
    const level = Math.round(comparison.confidence * 100)
    lines.push(
      `A / B = ${formatRatio(comparison.ratio)}  (${level}% CI ${formatRatio(comparison.ci.low)} … ${formatRatio(comparison.ci.high)}, Mann-Whitney U p = ${formatPValue(comparison.pValue)})`,
      `Verdict: ${describeVerdict(comparison)}`,
      '',
    )
  }
  if (report.baseline) {
    const { comparison: c, message } = report.baseline
    lines.push(
      `Against baseline ${report.baseline.file}: ${formatRatio(c.ratio)} (CI ${formatRatio(c.ci.low)} … ${formatRatio(c.ci.high)}, p = ${formatPValue(c.pValue)})`,
      `  ${message}`,
      '',
    )
  }
  return `${lines.join('\n')}`
}

function describeVerdict(comparison: Comparison): string {
  if (comparison.verdict === 'slower') return `slower (A takes ${formatRatio(comparison.ratio)} the time of B)`
  if (comparison.verdict === 'faster') return `faster (A takes ${formatRatio(comparison.ratio)} the time of B)`
  return 'no significant difference'
}

export function renderMarkdown(report: BenchReport): string {
  const parts = [commandsMarkdown(report.commands)]
  if (report.comparison) parts.push(comparisonMarkdown('A', 'B', report.comparison))
  if (report.baseline) {
    parts.push(`${comparisonMarkdown('A', 'baseline', report.baseline.comparison)}\n\n${report.baseline.message}`)
  }
  return `${parts.join('\n\n')}\n`
}
