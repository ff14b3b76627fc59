/**
 * The generated differential suite for deferral (issue 11): programs from a seeded grammar of
 * module graphs (test/fuzz/program-model.ts), built by esbuild, Rollup and Rolldown with the
 * defaults, each compared with its unbundled source on stdout, stderr, exit code and the order in
 * which modules with a top-level effect evaluated; and the report must show every import the
 * model knows to be safe deferred, and none it knows to be unsafe.
 *
 * `FUZZ_SEED=<n> FUZZ_N=<count> npx vitest run test/fuzz-deferral.test.ts` runs another batch; a
 * failure names the program, whose files (and `spec.json`) stay in test/.tmp/fuzz-deferral-<seed>-<count>/.
 */
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ReportTransform } from 'unplugin-cli-optimizer'
import { buildFixture, TEST_ROOT, type BuiltFixture } from './harness/index.js'
import { effectfulModules, type EdgeVerdict } from './fuzz/deferral-oracle.js'
import { emitProgram } from './fuzz/emit-program.js'
import { generatePrograms } from './fuzz/generate-programs.js'
import { moduleOf, realTarget } from './fuzz/program-model.js'
import { buildBatch, runBuilt, runSource, writeBatch, type Batch, type BatchBuild, type BatchProgram, type ProgramRun } from './fuzz/program-batch.js'

const SEED = Number(process.env.FUZZ_SEED ?? 1106)
const COUNT = Number(process.env.FUZZ_N ?? 200)
const ROOT = path.join(TEST_ROOT, '.tmp', `fuzz-deferral-${SEED}-${COUNT}`)
const BUNDLERS = ['esbuild', 'rollup', 'rolldown'] as const

let batch: Batch
const sourceRuns = new Map<string, Promise<ProgramRun>>()
const sourceRun = (program: BatchProgram): Promise<ProgramRun> => {
  if (!sourceRuns.has(program.spec.id)) sourceRuns.set(program.spec.id, runSource(batch, program))
  return sourceRuns.get(program.spec.id)!
}
const where = (program: BatchProgram): string => `${program.spec.id} (FUZZ_SEED=${SEED} FUZZ_N=${COUNT}, files in ${path.relative(TEST_ROOT, program.dir)})`

beforeAll(async () => {
  batch = await writeBatch(ROOT, SEED, COUNT)
})

/** Differences between a program's source run and its bundle's run, as readable lines. */
function differences(program: BatchProgram, source: ProgramRun, bundle: ProgramRun): string[] {
  const found: string[] = []
  for (const key of ['stdout', 'stderr', 'code'] as const) {
    if (source[key] !== bundle[key]) found.push(`${key}: source ${JSON.stringify(source[key])}, bundle ${JSON.stringify(bundle[key])}`)
  }
  if (!source.trace || !bundle.trace) found.push(`trace: source ${source.trace ? 'written' : 'missing'}, bundle ${bundle.trace ? 'written' : 'missing'}`)
  else {
    const visible = effectfulModules(program.spec)
    const order = (run: ProgramRun): string => run.trace!.all.filter((m) => visible.has(m)).join(' ')
    if (order(source) !== order(bundle)) found.push(`order of top-level effects: source ${order(source)}, bundle ${order(bundle)}`)
    // Deferral only ever takes evaluations out of the startup.
    const extra = bundle.trace.atStart.filter((m) => !source.trace!.atStart.includes(m))
    if (extra.length > 0) found.push(`evaluated before main's body only in the bundle: ${extra.join(' ')}`)
  }
  return found
}

/** The modules an applied record says it kept in the startup load for reading state at load, sorted. */
function readersNamed(reason: string): string {
  const named = /; ([^;]+?) reads? at load [^;]*?: kept in the startup load/.exec(reason)?.[1]
  return named ? named.split(', ').sort().join(', ') : ''
}

describe('the generator', () => {
  it('writes the same programs for the same seed, and others for another seed', () => {
    const text = (seed: number): string => JSON.stringify(generatePrograms(seed, 20, { stateReads: true }).map((p) => emitProgram(p).files))
    expect(text(SEED)).toBe(text(SEED))
    expect(text(SEED + 1)).not.toBe(text(SEED))
  })
})

describe.each(BUNDLERS)('generated programs, deferral differential (%s)', (bundler) => {
  let built: BatchBuild
  beforeAll(async () => {
    built = await buildBatch(batch, bundler)
  }, 300_000)

  it(`${COUNT} programs behave as their sources`, async () => {
    const failures = await Promise.all(
      batch.programs.map(async (program) => {
        const [source, bundle] = await Promise.all([sourceRun(program), runBuilt(batch, built, program)])
        const found = differences(program, source, bundle)
        return found.length === 0 ? [] : [`${where(program)}:\n  ${found.join('\n  ')}`]
      }),
    )
    expect(failures.flat()).toEqual([])
    // The programs do run: a batch of crashing sources would compare equal.
    const codes = await Promise.all(batch.programs.map(async (p) => (await sourceRun(p)).code))
    expect(codes.filter((code) => code === null || code === 1)).toEqual([])
  }, 300_000)

  it('defers every import the model knows to be safe, and none it knows to be unsafe', () => {
    const records = built.report.transforms.filter((t): t is ReportTransform & { source: string; form?: string } => t.kind === 'lazy-import')
    const recordOf = (program: BatchProgram, importerFile: string, source: string) =>
      records.find((r) => r.importer === `${program.spec.id}/${importerFile}` && r.source === source)
    const wrong: string[] = []
    let mustDefer = 0
    let mustStay = 0
    for (const program of batch.programs) {
      for (const v of program.verdicts) {
        const record = recordOf(program, v.importerFile, v.source)
        const at = `${where(program)}: ${v.importerFile} line ${v.edge.line} imports ${v.source} (${v.edge.style}, uses ${v.edge.uses.join(', ') || 're-export'})`
        if (v.verdict === 'defer') {
          mustDefer++
          if (!record?.applied || record.form !== 'sync') wrong.push(`${at}: must be deferred (${v.why}); report: ${record ? `${record.applied ? `applied, form ${record.form}` : 'refused'}: ${record.reason}` : 'no record'}`)
          else if (readersNamed(record.reason) !== v.readers!.join(', ')) {
            wrong.push(`${at}: must keep ${v.readers!.join(', ') || 'no module'} in the startup load for reading the state at load; report: ${record.reason}`)
          }
        } else if (v.verdict === 'stay') {
          mustStay++
          if (record?.applied) wrong.push(`${at}: must stay (${v.why}); report: deferred: ${record.reason}`)
        }
      }
    }
    expect(wrong).toEqual([])
    // The suite proves deferral only while the batch holds many imports known to be deferrable
    // and many known not to be: a generator drifting away from either would test nothing.
    expect(mustDefer).toBeGreaterThanOrEqual(Math.floor(COUNT * 0.8))
    expect(mustStay).toBeGreaterThanOrEqual(2 * COUNT)
    if (COUNT >= 100) {
      // Each place a deferrable use can be, and each import style, proven deferred at least once.
      const deferred = batch.programs.flatMap((p) => p.verdicts.filter((v) => v.verdict === 'defer'))
      const uses = new Set(deferred.flatMap((v) => v.edge.uses))
      // (A relay's import, called in `q()` at another module's load, is deferred in some batches only.)
      expect([...uses].filter((u) => u !== 'relay').sort()).toEqual(['async-after', 'async-before', 'async-callback-after', 'async-local-before', 'async-method-after', 'callback', 'method', 'registrar', 'sync-fn'])
      expect(new Set(deferred.map((v) => v.edge.style))).toEqual(new Set(['named', 'default', 'namespace']))
      expect(deferred.some((v) => v.source.endsWith('.cjs'))).toBe(true)
      // Calls at load into functions that print or read the state (FINDINGS.md, finding 3): every
      // kind is made, into CommonJS and through a barrel too, and such calls alone decide imports
      // (the import stays because a module of its graph prints through one, or because the
      // imported module reads the state through one), while deferred imports keep readers in the
      // startup load. (A relay deciding alone is rarer: 2 imports in the default batch.)
      const calls = batch.programs.flatMap((p) => p.spec.edges.filter((e) => e.loadCall).map((e) => ({ p, e, callee: realTarget(p.spec, e.target) })))
      expect(new Set(calls.map((c) => c.e.loadCall))).toEqual(new Set(['leaf', 'print', 'read', 'relay']))
      expect(new Set(calls.filter((c) => c.e.loadCall !== 'leaf').map((c) => c.callee.kind))).toEqual(new Set(['esm', 'cjs']))
      expect(calls.some((c) => c.e.loadCall !== 'leaf' && moduleOf(c.p.spec, c.e.target).kind === 'barrel')).toBe(true)
      const decided = (cause: EdgeVerdict['cause']): EdgeVerdict[] => batch.programs.flatMap((p) => p.verdicts.filter((v) => v.cause === cause))
      expect(decided('call-prints').length).toBeGreaterThanOrEqual(Math.floor(COUNT / 40))
      expect(decided('call-reads').length).toBeGreaterThanOrEqual(1)
      expect(deferred.some((v) => v.readers!.length > 0)).toBe(true)
    }
  })
})

/**
 * Finding 1 of test/fuzz/FINDINGS.md, the fuzzer's reduced program: a CommonJS module writing
 * through `require('node:fs').writeSync(…)` at load. Fixed: the analysis reads an inline
 * require's member call as the module's (I/O), so the import stays and the output keeps its order.
 */
describe.each(BUNDLERS)('finding 1: I/O through an inline require() at load (%s)', (bundler) => {
  it('behaves as its source, the import kept', async () => {
    const built = await buildFixture('lazy-inline-require-io', bundler)
    expect(await built.run()).toEqual(await built.runSource())
    expect(built.report!.transforms.find((t) => t.kind === 'lazy-import' && (t as { source?: string }).source === './dep.cjs')).toMatchObject({ applied: false, reason: expect.stringMatching(/observable top-level effect \(io/) })
  })
})

/**
 * Findings 3 and 4 of test/fuzz/FINDINGS.md: a module whose top level calls, at load, a function of
 * another module that prints: an imported function (`helper()`), or a member of a CommonJS
 * module's default import (`helper.hello()`, followed as `exports.hello`). Fixed: the call is
 * followed into the callee's body, so `./mid.js` stays in the startup load and the print keeps its place.
 */
const CALLS_AT_LOAD = [
  ['finding 3: an imported function called at load prints', 'lazy-imported-call-prints', /mid\.js:3:11 \(helper\(\)\) calls at load a function with an observable effect: .*helper\.js:2:3 \(console: console\.log/],
  ['finding 4: a member of a CommonJS default import called at load prints', 'lazy-cjs-default-member-call', /calls at load a function with an observable effect: .*helper\.cjs:3:3 \(console/],
] as const
describe.each(BUNDLERS.flatMap((bundler) => CALLS_AT_LOAD.map(([title, fixture, reason]) => [title, bundler, fixture, reason] as const)))('%s (%s)', (_title, bundler, fixture, reason) => {
  it('behaves as its source, the import kept', async () => {
    const built = await buildFixture(fixture, bundler)
    expect(await built.run()).toEqual(await built.runSource())
    expect(built.report!.transforms.find((t) => t.kind === 'lazy-import' && (t as { source?: string }).source === './mid.js')).toMatchObject({ applied: false, reason: expect.stringMatching(reason) })
  })
})
