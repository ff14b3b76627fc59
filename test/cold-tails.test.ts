import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseModule } from '../packages/unplugin-cli-optimizer/src/core/ast/parse-module.js'
import { findColdTails, MIN_TAIL_CHARS } from '../packages/unplugin-cli-optimizer/src/lazy/find-cold-tails.js'
import { tailsModule } from '../packages/unplugin-cli-optimizer/src/lazy/cold-tails-module.js'
import { BUNDLERS, buildFixture, loadedFiles } from './harness/index.js'

/** Every `lazyThing` reference stands for a use of an applied deferral. */
function tails(code: string) {
  const uses = [...code.matchAll(/lazyThing/g)].map((m) => ({ start: m.index!, end: m.index! + 'lazyThing'.length }))
  return findColdTails(parseModule(code, 'm.js'), uses)
}

/** Long enough to be worth moving. */
const FILLER = `process.stdout.write(${JSON.stringify('x'.repeat(MIN_TAIL_CHARS))})`

describe('cold tails: which tails move (issue 3)', () => {
  it('splits at the first statement that uses a deferred import and passes the head values the tail reads', () => {
    const code = `import { lazyThing } from './heavy.js'
import { readFileSync } from 'node:fs'
function version() { return readFileSync('v', 'utf8') }
async function main(argv) {
  const [first, ...rest] = argv
  if (first === '-v') return version()
  const result = lazyThing(rest, readFileSync)
  ${FILLER}
  return result + version()
}
await main(process.argv)`
    const { tails: found, refusals } = tails(code)
    expect(refusals).toEqual([])
    expect(found).toHaveLength(1)
    const [tail] = found
    expect(tail).toMatchObject({ name: 'main', line: 7, column: 3 })
    expect(code.slice(tail!.start, tail!.start + 12)).toBe('const result')
    expect(code.slice(0, tail!.end).endsWith('return result + version()')).toBe(true)
    expect(new Set(tail!.params)).toEqual(new Set(['rest', 'version']))
    expect(tail!.imports.map((i) => [i.source, i.imported, i.local])).toEqual([
      ['./heavy.js', 'lazyThing', 'lazyThing'],
      ['node:fs', 'readFileSync', 'readFileSync'],
    ])
    // The tail module: the imports, then the statements verbatim in an exported async function.
    const source = tailsModule(code, found, 'm.js').code
    expect(source).toContain(`import { lazyThing } from "./heavy.js";`)
    expect(source).toContain(`import { readFileSync } from "node:fs";`)
    expect(source).toMatch(/export async function __cliTail0\((rest, version|version, rest)\) \{\nconst result = lazyThing\(rest, readFileSync\)/)
    expect(() => parseModule(source, 'tails.js')).not.toThrow()
    // Cut from the original: its source map points into the original file.
    const { map } = tailsModule(code, found, 'm.js')
    expect(map.sources).toEqual(['m.js'])
    expect(map.sourcesContent).toEqual([code])
    expect(map.mappings.length).toBeGreaterThan(0)
  })

  it('moves a whole body (split at the first statement) of a const async arrow, with default and namespace imports', () => {
    const code = `import lazyThing from './a.js'
import * as ns from './b.js'
const report = async (error) => {
  const text = lazyThing(error) + ns.x
  ${FILLER}
  return text
}
await report(1)`
    const { tails: found } = tails(code)
    expect(found).toHaveLength(1)
    expect(found[0]!.params).toEqual(['error'])
    const source = tailsModule(code, found, 'm.js').code
    expect(source).toContain('import lazyThing from "./a.js";')
    expect(source).toContain('import * as ns from "./b.js";')
  })

  it.each([
    ['`this`', `const f = async function () { lazyThing(this); ${FILLER} }; await f()`, /uses `this`/],
    ['`arguments`', `async function f() { lazyThing(arguments[0]); ${FILLER} } await f(1)`, /uses `arguments`/],
    ['a reassigned local', `async function f() { let n = 1; n++; lazyThing(n); ${FILLER} } await f()`, /n is reassigned/],
    ['a module-level variable', `let count = 0; async function f() { lazyThing(count); ${FILLER} } await f()`, /module-level variable count/],
    ['a module-level function that is reassigned', `function g() {} g = null; async function f() { lazyThing(g); ${FILLER} } await f()`, /module-level function g/],
    ['a hoisted declaration used before the split', `async function f() { helper(); lazyThing(); ${FILLER}; function helper() {} } await f()`, /helper is declared after the split point/],
    ['import.meta', `async function f() { lazyThing(import.meta.url); ${FILLER} } await f()`, /import\.meta/],
    ['a CommonJS global', `async function f() { lazyThing(__dirname); ${FILLER} } await f()`, /CommonJS global __dirname/],
    ['a caller that does not await', `async function f() { lazyThing(); ${FILLER} } f(); console.log('after')`, /does not await it/],
    ['an import with attributes', `import data from './d.json' with { type: 'json' }; async function f() { lazyThing(data); ${FILLER} } await f()`, /imported with attributes/],
  ])('keeps a tail that uses %s', (_, body, reason) => {
    const code = `import lazyThing from './heavy.js'\n${body}`
    const { tails: found, refusals } = tails(code)
    expect(found).toEqual([])
    expect(refusals).toEqual([expect.objectContaining({ name: 'f', reason: expect.stringMatching(reason) })])
  })

  it('moves the tail of a function its caller does not await when the split follows an await', () => {
    const code = `import lazyThing from './heavy.js'\nasync function f() { await null; lazyThing(); ${FILLER} } f(); console.log('after')`
    // The split point is the statement after `await null`: the caller has already run on.
    const { tails: found, refusals } = tails(code)
    expect(refusals).toEqual([])
    expect(found).toHaveLength(1)
  })

  it('leaves short tails, sync functions, nested functions and functions without deferred uses alone', () => {
    const code = `import lazyThing from './heavy.js'
async function short() { return lazyThing() }
function sync() { ${FILLER}; return lazyThing }
export const o = { async m() { ${FILLER}; return lazyThing() } }
async function none() { ${FILLER} }
await short(); await none()`
    expect(tails(code)).toEqual({ tails: [], refusals: [] })
  })
})



describe.each(BUNDLERS)('cold tails (%s)', (bundler) => {
  it('issue 3: --version loads only the head of the entry; every path behaves as the source', async () => {
    const built = await buildFixture('lazy-cold-tails', bundler, { plugin: {} })
    for (const args of [[], ['--version'], ['report', 'a', 'bb', 'ccc'], ['describe', 'x', 'y'], ['fail', 'now'], ['nope']]) {
      expect(await built.run(args), args.join(' ')).toEqual(await built.runSource(args))
    }
    const report = built.report!
    const records = report.transforms.filter((t) => t.kind === 'cold-tail')
    expect(records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ importer: 'main.js', function: 'main', applied: true, line: 29 }),
        expect.objectContaining({ importer: 'main.js', function: 'report', applied: true, line: 45 }),
        expect.objectContaining({ importer: 'main.js', function: 'counted', applied: false, reason: expect.stringMatching(/module-level variable calls/) }),
      ]),
    )
    // --version: the bootstrap and the entry's head; the tails and what they need are not loaded.
    const versionLoads = await loadedFiles(built, ['--version'])
    const initial = report.entries[0]!.initialFiles
    expect(versionLoads.every((file) => initial.includes(file) || file.startsWith('assets')), versionLoads.join(', ')).toBe(true)
    for (const moduleId of ['report.js', 'text.js', 'config.js']) {
      const chunk = report.chunks.find((c) => c.modules.some((m) => m.id === moduleId))
      if (chunk) expect(versionLoads, moduleId).not.toContain(chunk.file)
    }
    // The tails' code itself is out of the initial load.
    const initialCode = (await Promise.all(initial.map((file) => readFile(path.join(built.outDir, file), 'utf8')))).join('\n')
    expect(initialCode).toContain('--version')
    expect(initialCode).not.toContain('unknown command')
    expect(initialCode).not.toContain('reported by the cold tail')
    // An error thrown in a tail is located in the entry's source (the two source maps composed).
    const withMaps = await buildFixture('lazy-cold-tails', bundler, { plugin: {}, sourcemap: true })
    const failed = await withMaps.run(['fail', 'now'], { env: { NODE_OPTIONS: '--enable-source-maps', COLD_TAILS_STACK: '1' } })
    expect(failed.stderr).toMatch(/lazy-cold-tails[\\/]main\.js:38:\d+/)
    // The shim keeps the entry's `#!` line: the emitted file is still runnable as a bin.
    expect((await readFile(path.join(built.outDir, 'main.js'), 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true)
  })
})

// TypeScript entries: esbuild hands the plugin untranspiled TypeScript, so the tails module keeps
// its syntax under a `.ts` query. Node 20 cannot run the source, so the reference is the same build
// without lazy imports (which also turns cold tails off; a build without the plugin cannot find the
// package.json the program reads). The harness's Rollup has no TypeScript plugin: Vite and esbuild.
describe.each(['vite', 'esbuild'] as const)('cold tails of a TypeScript entry (%s)', (bundler) => {
  it('issue 3: moves a typed tail; output matches the build without lazy imports', async () => {
    const entries = { main: 'main.ts' }
    const [optimized, plain] = await Promise.all([
      buildFixture('lazy-cold-tails-ts', bundler, { entries, plugin: {} }),
      buildFixture('lazy-cold-tails-ts', bundler, { entries, plugin: { lazy: false } }),
    ])
    for (const args of [[], ['--version'], ['report', 'a', 'bb'], ['fail', 'x'], ['nope', 'y']]) {
      expect(await optimized.run(args), args.join(' ')).toEqual(await plain.run(args))
    }
    const tail = optimized.report!.transforms.find((t) => t.kind === 'cold-tail' && t.function === 'main')
    expect(tail, JSON.stringify(optimized.report!.transforms, null, 2)).toMatchObject({ applied: true, line: bundler === 'esbuild' ? 19 : expect.any(Number) })
    const initial = optimized.report!.entries[0]!.initialFiles
    const initialCode = (await Promise.all(initial.map((file) => readFile(path.join(optimized.outDir, file), 'utf8')))).join('\n')
    expect(initialCode).not.toContain('typed tail')
  })
})
