export { benchmarkCommands, CommandFailedError } from './process/benchmark-commands.js'
export type { BenchmarkCommandsOptions, CommandResult } from './process/benchmark-commands.js'
export type { CommandSpec, RunMeasurement } from './process/run-command.js'
export { detectRusageProbe } from './process/rusage-probe.js'
export type { RusageProbe } from './process/rusage-probe.js'
export { compareSamples, runCountWarnings } from './stats/compare.js'
export type { Comparison, CompareOptions, Verdict } from './stats/compare.js'
export { mannWhitneyU } from './stats/mann-whitney.js'
export type { MannWhitneyResult } from './stats/mann-whitney.js'
export { findOutliers } from './stats/outliers.js'
export { summarize, quantileSorted } from './stats/summary.js'
export type { SampleSummary } from './stats/summary.js'
export { bench } from './inprocess/bench.js'
export type { BenchOptions, MicroBenchResult } from './inprocess/bench.js'
export { loadTest } from './load/load-test.js'
export type { LatencySummary, LoadTestOptions, LoadTestResult } from './load/load-test.js'
export { stressTest } from './load/stress-test.js'
export type { StressStep, StressTestOptions, StressTestResult } from './load/stress-test.js'
export { enduranceTest, linearFit } from './load/endurance-test.js'
export type { EnduranceTestOptions, EnduranceTestResult } from './load/endurance-test.js'
export { scalabilityTest } from './load/scalability-test.js'
export type {
  ConcurrencyScalabilityOptions,
  ScalabilityLevel,
  ScalabilityTestOptions,
  ScalabilityTestResult,
  WorkerScalabilityOptions,
} from './load/scalability-test.js'
export { checkRegression, loadBaseline, parseThreshold, saveBaseline, toBaseline } from './baseline.js'
export type { Baseline, RegressionCheck } from './baseline.js'
export { machineInfo, machineLoadWarning } from './machine.js'
export type { MachineInfo } from './machine.js'
export { splitCommand } from './process/split-command.js'
export {
  commandsMarkdown,
  comparisonMarkdown,
  enduranceMarkdown,
  loadTestMarkdown,
  markdownTable,
  microBenchMarkdown,
  scalabilityMarkdown,
  stressTestMarkdown,
} from './report/markdown.js'
export { writeFileAtomic } from './write-file-atomic.js'
export { checkMetrics } from './suite/metrics.js'
export type { CheckOptions, Metric, MetricCheck, MetricKind, MetricsCheckResult, MetricStatus } from './suite/metrics.js'
export { createProgressBar } from './report/progress-bar.js'
export { formatBytes, formatCommand, formatMs, formatPValue, formatRate, formatRatio } from './report/format.js'
