import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { outlierWarnings } from '../stats/outliers.js'
import { median, summarize, type SampleSummary } from '../stats/summary.js'
import { detectRusageProbe } from './rusage-probe.js'
import { runCommandOnce, type CommandSpec, type RunMeasurement } from './run-command.js'

export interface BenchmarkCommandsOptions {
  commands: CommandSpec[]
  /** Measured runs per command. */
  runs: number
  /** Unmeasured runs per command before measuring (warm file-system and compile caches). */
  warmup: number
  /** Called after every run, warm-ups included. */
  onProgress?: (done: number, total: number) => void
  /**
   * Keep going when a command exits non-zero (its runs are still measured).
   * @default false
   */
  ignoreFailure?: boolean
  /** Kill a run (and its process group) after this many ms; it then counts as exit code 124. No limit by default. */
  timeoutMs?: number
  /**
   * Called before every run, outside the timed window (like hyperfine's `--prepare`): clear a
   * cache, make sure an input is built, reset a fixture.
   */
  prepare?: (command: CommandSpec) => unknown
}

/** Everything measured for one command. */
export interface CommandResult {
  name: string
  command: string[]
  runs: number
  /** Wall time in milliseconds. */
  wall: SampleSummary
  /** Median user CPU in ms over the runs (10 ms resolution), `null` when not measurable here. */
  userMs: number | null
  /** Median system CPU in ms, `null` when not measurable here. */
  systemMs: number | null
  /** Maximum over the runs of the process tree's peak RSS (kernel ru_maxrss), bytes. */
  peakRssBytes: number | null
  /** Per-run CPU and RSS samples, aligned with `wall.samples`. */
  perRun: { userMs: number | null; systemMs: number | null; peakRssBytes: number | null; exitCode: number }[]
  /** Outliers, missing measurements, failed runs. */
  warnings: string[]
}

/** Raised when a command exits non-zero and `ignoreFailure` is off. */
export class CommandFailedError extends Error {
  readonly code = 'CLI_OPTIMIZER_BENCH_COMMAND_FAILED'
  constructor(
    readonly commandName: string,
    readonly exitCode: number,
    readonly stderrTail: string,
  ) {
    super(
      `[cli-optimizer-bench] command "${commandName}" exited with code ${exitCode}; ` +
        `fix it or pass ignoreFailure (CLI: --ignore-failure)${stderrTail ? `\n${stderrTail.trimEnd()}` : ''}`,
    )
  }
}

/**
 * Benchmark whole commands, interleaved (A B C A B C …) so that drift on the machine (thermal
 * throttling, another process starting) hits every command alike instead of only the last one.
 */
export async function benchmarkCommands(options: BenchmarkCommandsOptions): Promise<CommandResult[]> {
  const { commands, runs, warmup, onProgress, ignoreFailure = false, timeoutMs, prepare } = options
  if (!Number.isInteger(runs) || runs < 1) throw new TypeError(`[cli-optimizer-bench] runs must be an integer ≥ 1, got ${String(runs)}`)
  if (!Number.isInteger(warmup) || warmup < 0) {
    throw new TypeError(`[cli-optimizer-bench] warmup must be an integer ≥ 0, got ${String(warmup)}`)
  }
  if (commands.length === 0) throw new TypeError('[cli-optimizer-bench] commands must list at least one command')

  const scratchDir = await mkdtemp(join(tmpdir(), 'cli-optimizer-bench-'))
  const measured: RunMeasurement[][] = commands.map(() => [])
  const total = (runs + warmup) * commands.length
  let done = 0
  try {
    for (let round = 0; round < warmup + runs; round++) {
      for (const [index, spec] of commands.entries()) {
        if (prepare) await prepare(spec)
        const measurement = await runCommandOnce(spec, scratchDir, timeoutMs)
        if (measurement.exitCode !== 0 && !ignoreFailure) {
          throw new CommandFailedError(spec.name, measurement.exitCode, measurement.stderrTail)
        }
        if (round >= warmup) measured[index]!.push(measurement)
        onProgress?.(++done, total)
      }
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true })
  }

  const probe = detectRusageProbe()
  return commands.map((spec, index) => {
    const runsOfCommand = measured[index]!
    const wall = summarize(runsOfCommand.map((run) => run.wallMs))
    const warnings = outlierWarnings(spec.name, wall.samples)
    if (!probe.timePath) warnings.push(`${spec.name}: ${probe.reason}`)
    const failed = runsOfCommand.filter((run) => run.exitCode !== 0).length
    if (failed > 0) warnings.push(`${spec.name}: ${failed} of ${runs} runs exited non-zero`)
    return {
      name: spec.name,
      command: [...spec.command],
      runs,
      wall,
      userMs: medianOrNull(runsOfCommand.map((run) => run.userMs)),
      systemMs: medianOrNull(runsOfCommand.map((run) => run.systemMs)),
      peakRssBytes: maxOrNull(runsOfCommand.map((run) => run.peakRssBytes)),
      perRun: runsOfCommand.map(({ userMs, systemMs, peakRssBytes, exitCode }) => ({ userMs, systemMs, peakRssBytes, exitCode })),
      warnings,
    }
  })
}

function medianOrNull(values: (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null)
  return present.length === 0 ? null : median(present)
}

function maxOrNull(values: (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null)
  return present.length === 0 ? null : Math.max(...present)
}
