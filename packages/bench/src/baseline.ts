import { readFile } from 'node:fs/promises'
import { machineInfo, type MachineInfo } from './machine.js'
import type { CommandResult } from './process/benchmark-commands.js'
import { compareSamples, type Comparison } from './stats/compare.js'
import { writeFileAtomic } from './write-file-atomic.js'

/** A saved measurement of one command (`--save`), compared against by `--baseline`. */
export interface Baseline {
  schemaVersion: 1
  kind: 'cli-optimizer-bench-baseline'
  createdAt: string
  machine: MachineInfo
  command: string[]
  runs: number
  /** Wall-time samples, ms. */
  wallSamples: number[]
  medianMs: number
  userMs: number | null
  systemMs: number | null
  peakRssBytes: number | null
}

export function toBaseline(result: CommandResult): Baseline {
  return {
    schemaVersion: 1,
    kind: 'cli-optimizer-bench-baseline',
    createdAt: new Date().toISOString(),
    machine: machineInfo(),
    command: result.command,
    runs: result.runs,
    wallSamples: result.wall.samples,
    medianMs: result.wall.median,
    userMs: result.userMs,
    systemMs: result.systemMs,
    peakRssBytes: result.peakRssBytes,
  }
}

export async function saveBaseline(file: string, result: CommandResult): Promise<Baseline> {
  const baseline = toBaseline(result)
  await writeFileAtomic(file, `${JSON.stringify(baseline, null, 2)}\n`)
  return baseline
}

export async function loadBaseline(file: string): Promise<Baseline> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Baseline>
  if (parsed.kind !== 'cli-optimizer-bench-baseline' || parsed.schemaVersion !== 1 || !Array.isArray(parsed.wallSamples)) {
    throw new TypeError(`[cli-optimizer-bench] ${file} is not a baseline saved by cli-optimizer bench --save (schema v1)`)
  }
  return parsed as Baseline
}

export interface RegressionCheck {
  /** Current / baseline. */
  comparison: Comparison
  /** Allowed slowdown as a fraction (0.05 for 5%). */
  threshold: number
  /** `true` only when the slowdown is significant AND the ratio exceeds 1 + threshold. */
  regression: boolean
  message: string
  /** Differences of machine, Node version or command that make the comparison doubtful. */
  warnings: string[]
}

/** Is `current` a regression against `baseline`? */
export function checkRegression(current: CommandResult, baseline: Baseline, threshold: number, confidence = 0.95): RegressionCheck {
  const comparison = compareSamples(current.wall.samples, baseline.wallSamples, { confidence })
  const regression = comparison.verdict === 'slower' && comparison.ratio > 1 + threshold
  const percent = ((comparison.ratio - 1) * 100).toFixed(1)
  const limit = (threshold * 100).toFixed(1)
  const message = regression
    ? `regression: ${percent}% slower than the baseline (significant, above the ${limit}% threshold)`
    : comparison.verdict === 'slower'
      ? `slower by ${percent}% (significant) but within the ${limit}% threshold`
      : comparison.verdict === 'faster'
        ? `faster than the baseline by ${(-percent).toFixed(1)}%`
        : `no significant difference from the baseline (${percent}%)`
  const warnings: string[] = []
  const here = machineInfo()
  if (here.node !== baseline.machine.node) warnings.push(`baseline was measured on Node ${baseline.machine.node}, this is ${here.node}`)
  if (here.cpuModel !== baseline.machine.cpuModel || here.cpuCount !== baseline.machine.cpuCount) {
    warnings.push(`baseline was measured on another machine (${baseline.machine.cpuCount}× ${baseline.machine.cpuModel})`)
  }
  if (JSON.stringify(baseline.command) !== JSON.stringify(current.command)) {
    warnings.push(`baseline command differs: ${baseline.command.join(' ')}`)
  }
  return { comparison, threshold, regression, message, warnings }
}

/** Parse `5%` or `5` (both percent) into a fraction (0.05). */
export function parseThreshold(text: string): number {
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim())
  if (!match) throw new TypeError(`[cli-optimizer-bench] --threshold must be a percentage like 5%, got ${JSON.stringify(text)}`)
  return Number(match[1]) / 100
}
