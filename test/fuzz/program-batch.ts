/**
 * A batch of generated programs on disk, built as the entries of one build per bundler (a build
 * per program would take minutes per bundler), and run with bounded parallelism.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import pLimit from 'p-limit'
import type { Options, Report } from 'unplugin-cli-optimizer'
import { build, type Bundler } from '../harness/bundlers.js'
import { runNode, type RunResult } from '../harness/run-node.js'
import { judgeProgram, type EdgeVerdict } from './deferral-oracle.js'
import { emitProgram } from './emit-program.js'
import { generatePrograms } from './generate-programs.js'
import type { ProgramSpec } from './program-model.js'

export interface BatchProgram {
  spec: ProgramSpec
  verdicts: EdgeVerdict[]
  /** The program's folder: its files stay there after the run, for reading a failure. */
  dir: string
}

export interface Batch {
  seed: number
  root: string
  programs: BatchProgram[]
}

/** What a run shows: output, exit code, and the hidden evaluation trace main writes at exit. */
export interface ProgramRun extends RunResult {
  trace: { atStart: string[]; all: string[] } | undefined
}

/** Writes the programs of `seed` under `root` (emptied first), one folder each. */
export async function writeBatch(root: string, seed: number, count: number): Promise<Batch> {
  await rm(root, { recursive: true, force: true })
  await mkdir(root, { recursive: true })
  // The programs are ES modules (`.js`); the runtime the plugin injects resolves from the repository.
  await writeFile(path.join(root, 'package.json'), JSON.stringify({ name: 'fuzz-programs', private: true, type: 'module' }))
  const programs: BatchProgram[] = []
  for (const spec of generatePrograms(seed, count, { stateReads: true })) {
    const dir = path.join(root, spec.id)
    await mkdir(dir)
    // Emitting fills in each edge's line, so the verdicts come after it.
    const { files } = emitProgram(spec)
    for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, file), text)
    await writeFile(path.join(dir, 'spec.json'), JSON.stringify(spec, null, 2))
    programs.push({ spec, verdicts: judgeProgram(spec), dir })
  }
  // How many edges the oracle decided each way: the figures a run proves, kept for reading.
  const verdicts = programs.flatMap((p) => p.verdicts.map((v) => v.verdict))
  const summary = { seed, count, edges: verdicts.length, defer: verdicts.filter((v) => v === 'defer').length, stay: verdicts.filter((v) => v === 'stay').length, either: verdicts.filter((v) => v === 'either').length }
  await writeFile(path.join(root, 'summary.json'), JSON.stringify(summary, null, 2))
  return { seed, root, programs }
}

export interface BatchBuild {
  bundler: Bundler
  outDir: string
  report: Report
}

/** One build of every program's `main.js` as an entry named `<id>/main`. */
export async function buildBatch(batch: Batch, bundler: Bundler, plugin: Options = {}): Promise<BatchBuild> {
  const outDir = path.join(batch.root, `out-${bundler}`)
  const reportFile = path.join(batch.root, `report-${bundler}.json`)
  const entries = Object.fromEntries(batch.programs.map((p) => [`${p.spec.id}/main`, `${p.spec.id}/main.js`]))
  await build({ bundler, root: batch.root, entries, outDir, plugin: { ...plugin, report: { json: reportFile, terminal: false } } })
  return { bundler, outDir, report: JSON.parse(await readFile(reportFile, 'utf8')) as Report }
}

/** Two processes per core at most: the machine is shared, and each run is short. */
const limit = pLimit(Math.max(2, availableParallelism()))

export function runProgram(file: string, traceFile: string, cwd: string): Promise<ProgramRun> {
  return limit(async () => {
    await rm(traceFile, { force: true })
    const result = await runNode(file, [], { cwd, env: { FZ_TRACE: traceFile, FZ_MODE: undefined, FZ_E: undefined }, timeoutMs: 20_000 })
    const trace = await readFile(traceFile, 'utf8').then((text) => JSON.parse(text) as ProgramRun['trace'], () => undefined)
    return { ...result, trace }
  })
}

/** Runs the unbundled source of a program. */
export function runSource(batch: Batch, program: BatchProgram): Promise<ProgramRun> {
  return runProgram(path.join(program.dir, 'main.js'), path.join(program.dir, 'trace-source.json'), batch.root)
}

/** Runs a program's entry from a batch build. */
export function runBuilt(batch: Batch, built: BatchBuild, program: BatchProgram): Promise<ProgramRun> {
  return runProgram(path.join(built.outDir, program.spec.id, 'main.js'), path.join(program.dir, `trace-${built.bundler}.json`), batch.root)
}
