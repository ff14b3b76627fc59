import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { analyzeCallEffects, analyzeModuleEffects, type CallEffects } from '../packages/unplugin-cli-optimizer/src/analysis/module-effects.js'
import { parseModule } from '../packages/unplugin-cli-optimizer/src/core/ast/parse-module.js'

function analyze(code: string, id = 'm.js') {
  return analyzeModuleEffects(parseModule(code, id), code)
}
const kinds = (code: string) => analyze(code).findings.map((f) => `${f.kind}${f.observable ? '!' : ''}`)

describe('module-effects (issue 3)', () => {
  it('finds nothing in a module that only declares and exports', () => {
    const result = analyze(`
      import path from 'node:path'
      import { fileURLToPath } from 'node:url'
      const here = path.dirname(fileURLToPath(import.meta.url))
      const KEYS = Object.freeze(['a', 'b'].map((k) => k.toUpperCase()))
      const cache = new Map()
      export class Thing { constructor() { console.log('made') } static x = Symbol('x') }
      export function run() { process.stdout.write('hi') }
      export const helper = async () => { await 1; console.log(here, KEYS, cache) }
      Object.defineProperty(Thing, 'y', { value: 1 })
    `)
    expect(result).toMatchObject({ sideEffectFree: true, observable: [], findings: [] })
    expect(result.dependencies.map((d) => `${d.kind}:${d.source}`)).toEqual(['import:node:path', 'import:node:url'])
  })

  it.each([
    ['console.log("x")', 'console!'],
    ['process.stdout.write("x")', 'stdio!'],
    ['process.stderr.write("x")', 'stdio!'],
    ['process.emitWarning("x")', 'stdio!'],
    ['process.on("exit", () => {})', 'process-handler!'],
    ['process.once("SIGINT", () => {})', 'process-handler!'],
    ['process.exitCode = 2', 'process-state!'],
    ['process.env.FOO = "1"', 'process-state!'],
    ['globalThis.answer = 42', 'global-write!'],
    ['global.answer = 42', 'global-write!'],
    ['undeclared = 42', 'global-write!'],
    ['Array.prototype.last = function () {}', 'prototype-patch!'],
    ['Object.defineProperty(Array.prototype, "last", { value: 1 })', 'prototype-patch!'],
    ['Object.assign(globalThis, { a: 1 })', 'global-write!'],
    ['Error.stackTraceLimit = 50', 'builtin-write!'],
    ['setInterval(() => {}, 1000)', 'timer!'],
    ['await Promise.resolve()', 'top-level-await!'],
    ['throw new Error("no")', 'top-level-throw!'],
    ['import fs from "node:fs"; fs.writeFileSync("/tmp/x", "")', 'io!'],
    ['const { spawnSync } = require("child_process"); spawnSync("ls")', 'io!'],
  ])('%s is observable', (code, expected) => {
    expect(kinds(code)).toContain(expected)
    expect(analyze(code).sideEffectFree).toBe(false)
  })

  it('follows IIFEs, local functions called at evaluation and callbacks of array methods', () => {
    expect(kinds('(function () { console.log(1) })()')).toEqual(['console!'])
    expect(kinds('(() => { process.on("exit", () => {}) })()')).toEqual(['process-handler!'])
    expect(kinds('function init() { globalThis.x = 1 } init()')).toEqual(['global-write!'])
    expect(kinds('const init = () => { console.warn(1) }; [1].forEach(() => init())')).toEqual(['console!'])
    expect(kinds('class A { x = console.log(1) } new A()')).toEqual(['console!'])
    expect(kinds('class A { x = console.log(1) }')).toEqual([])
    expect(kinds('function never() { console.log(1) }')).toEqual([])
    expect(kinds('class A { static { console.log(1) } }')).toEqual(['console!'])
  })

  it('tracks aliases of the global object', () => {
    expect(kinds('var root = typeof global == "object" && global; root.x = 1')).toEqual(['global-write!'])
    expect(kinds('var root = Function("return this")(); root.x = 1')).toEqual(['dynamic-code', 'global-write!'])
    expect(kinds('var root = typeof global == "object" && global; export const O = root.Object')).toEqual([])
  })

  it('does not treat shadowed names as the globals they shadow', () => {
    expect(kinds('const console = { log() {} }; console.log(1)')).toEqual(['unknown-call'])
    expect(kinds('function f(process) { process.on("x") } f({ on() {} })')).toEqual(['unknown-call'])
  })

  it('reports calls it cannot see as findings that are not observable', () => {
    const result = analyze(`
      import { register } from './registry.js'
      import debug from 'debug'
      const log = debug('x')
      register('thing', () => console.log('later'))
      register.items.push(1)
      register.count = 1
      eval('1')
    `)
    expect(result.observable).toEqual([])
    expect(result.sideEffectFree).toBe(false)
    expect(result.findings.map((f) => [f.kind, f.source ?? null])).toEqual([
      ['imported-call', 'debug'],
      ['imported-call', './registry.js'],
      ['console', null],
      ['imported-call', './registry.js'],
      ['imported-write', './registry.js'],
      ['dynamic-code', null],
    ])
    expect(result.findings[2]!.detail).toMatch(/may run later/)
  })

  it('locates findings with 1-based line and column and a short detail', () => {
    const [finding] = analyze('export const a = 1\n  console.log("x")\n').observable
    expect(finding).toEqual({ kind: 'console', line: 2, column: 3, detail: 'console.log("x")', observable: true })
  })

  it('lists CommonJS require() calls as dependencies and ignores module.exports writes', () => {
    const result = analyze(`
      'use strict'
      const a = require('./a')
      exports.x = 1
      module.exports.y = function () { return require('./b') }
    `, 'm.cjs')
    expect(result.sideEffectFree).toBe(true)
    expect(result.dependencies.map((d) => `${d.kind}:${d.source}`)).toEqual(['require:./a', 'require:./b'])
  })

  it('finds no observable effect in semver and yaml entry points', async () => {
    const require = createRequire(import.meta.url)
    for (const id of [require.resolve('semver/functions/inc.js'), require.resolve('semver/classes/semver.js')]) {
      const code = await readFile(id, 'utf8')
      expect(analyze(code, id).observable).toEqual([])
    }
  })
})

describe('module-effects: reads of process (issue 3)', () => {
  it('treats methods of values read from process as reads', () => {
    expect(kinds('const args = process.argv.slice(2); const p = process.env.PATH.split(":")')).toEqual([])
    expect(kinds('process.chdir("/")')).toEqual(['process-state!'])
  })
})

describe('module-effects: guards (issue 3)', () => {
  it('counts only unconditional top-level throws as observable', () => {
    expect(kinds('if (!process.versions.node) { throw new Error("x") }')).toEqual(['unknown-call'])
    expect(kinds('try { throw new Error("x") } catch {}')).toEqual(['unknown-call'])
    expect(kinds('throw new Error("x")')).toEqual(['top-level-throw!'])
  })
})

describe('module-effects: callbacks handed to local functions (issue 11)', () => {
  it('a decorator that only names and returns its function does not run it', () => {
    // import-meta-resolve's `hideStackFrames(function (error) { … Error.stackTraceLimit = … })`:
    // its effects are at most uncertain (the result may be called later), never observable.
    expect(kinds(`
      function hide(fn) { Object.defineProperty(fn, 'name', { value: 'x' + fn.name }); return fn }
      export const capture = hide(function (error) { Error.stackTraceLimit = Infinity; console.log(error) })
    `).filter((kind) => kind.endsWith('!'))).toEqual([])
  })
  it('a local function that calls its parameter runs it (a UMD factory), one that stores it maybe does', () => {
    // Calling a parameter is itself a call the analysis cannot see; what the callback does is certain.
    expect(kinds(`function umd(factory) { factory() } umd(function () { console.log('x') })`)).toEqual(['unknown-call', 'console!'])
    expect(kinds(`function umd(factory) { return factory.call(this) } umd(function () { console.log('x') })`)).toEqual(['console!'])
    expect(kinds(`const list = []; function on(fn) { list.push(fn) } on(function () { console.log('x') })`)).toEqual(['console'])
    expect(kinds(`function later(fn) { return () => fn() } later(function () { console.log('x') })`)).toEqual(['console'])
  })
  it('a callback run through a returned decorator, new, an alias or arguments runs now', () => {
    expect(kinds(`function id(f) { return f } id(function () { console.log('x') })()`)).toContain('console!')
    expect(kinds(`function make(F) { return new F() } make(function () { console.log('x') })`)).toContain('console!')
    expect(kinds(`function run(f) { const g = f; g() } run(function () { console.log('x') })`)).toContain('console!')
    expect(kinds(`function run(f) { arguments[0]() } run(function () { console.log('x') })`)).toContain('console!')
    expect(kinds(`function each(f) { [1].forEach(f) } each(function () { console.log('x') })`)).toContain('console!')
  })
  it('console.x.bind(console) makes a logger and prints nothing', () => {
    expect(kinds(`export const log = console.warn.bind(console)`)).toEqual([])
    expect(kinds(`console.warn.call(console, 'x')`)).toEqual(['console!'])
  })
})

describe('module-effects: reads of the process (issue 11)', () => {
  it('process.getuid() and other id and usage calls only read', () => {
    // @lerna-lite/core's defaults.js: `const uidOrPid = process.getuid ? process.getuid() : process.pid`.
    expect(kinds(`export const id = process.getuid ? process.getuid() : process.pid; export const g = process.getgid?.()`)).toEqual([])
    expect(kinds(`process.setuid(1000)`)).toEqual(['process-state!'])
  })
})

describe('module-effects: feature detection Node always answers alike (issue 11)', () => {
  it('a polyfill branch Node never takes does not run: lru-cache in glob, fs-extra', () => {
    // lru-cache, as minified into glob: the warning runs only where AbortController is missing.
    expect(kinds(`var At = globalThis.AbortController, Fe = (n) => { console.error(n) }; if (typeof At > "u") { Fe('polyfilled') }`)).toEqual([])
    expect(kinds(`const fs = require('fs'); if (typeof fs.realpath.native === 'function') { exports.n = 1 } else { process.emitWarning('monkey-patched') }`)).toEqual([])
    expect(kinds(`import fs from 'node:fs'; typeof fs.realpath.native !== 'function' && console.warn('x')`)).toEqual([])
  })
  it('the branch Node takes still counts, and unknown tests stay conditional', () => {
    expect(kinds(`if (typeof AbortController === 'function') console.log('has it')`)).toEqual(['console!'])
    // Browser globals may be defined by the program (jsdom): not folded.
    expect(kinds(`if (typeof window === 'undefined') console.log('node')`)).toEqual(['console!'])
    // A member this Node does not have may exist on another: not folded.
    expect(kinds(`const fs = require('fs'); if (typeof fs.notAThing !== 'function') console.log('x')`)).toEqual(['console!'])
    // A shadowed name is the module's own value.
    expect(kinds(`const AbortController = undefined; if (typeof AbortController > "u") console.log('x')`)).toEqual(['console!'])
  })
})

describe('module-effects: what calling an export does (issue 11, fuzz finding 3)', () => {
  const call = (code: string, name: string, id = 'm.js') => analyzeCallEffects(parseModule(code, id), code, name)
  const effects = (code: string, name: string, id?: string) => {
    const result = call(code, name, id) as CallEffects
    expect(result, name).toHaveProperty('findings')
    return { kinds: result.findings.map((f) => `${f.kind}${f.observable ? '!' : ''}`), reads: result.stateReads.map((r) => r.state) }
  }

  it('finds the body of an ESM export however it is declared', () => {
    const code = `
      export function a() { console.log('a') }
      export const b = () => process.stdout.write('b')
      const c = function () { process.exitCode = 1 }
      function d() { return 1 }
      export { c, d as e }
      export default function () { globalThis.x = 1 }
    `
    expect(effects(code, 'a').kinds).toEqual(['console!'])
    expect(effects(code, 'b').kinds).toEqual(['stdio!'])
    expect(effects(code, 'c').kinds).toEqual(['process-state!'])
    expect(effects(code, 'e').kinds).toEqual([])
    expect(effects(code, 'default').kinds).toEqual(['global-write!'])
    expect(call(code, 'missing')).toBeUndefined()
  })

  it('finds the body of a CommonJS export', () => {
    expect(effects(`exports.a = function () { console.log('a') }`, 'a', 'm.cjs').kinds).toEqual(['console!'])
    expect(effects(`function f() { console.log('f') }\nmodule.exports = f`, '*', 'm.cjs').kinds).toEqual(['console!'])
    expect(effects(`function f() { console.log('f') }\nmodule.exports = f`, 'default', 'm.cjs').kinds).toEqual(['console!'])
    expect(effects(`function f() { console.log('f') }\nmodule.exports = { f, g: () => 1 }`, 'f', 'm.cjs').kinds).toEqual(['console!'])
    expect(effects(`function f() { console.log('f') }\nmodule.exports = { f, g: () => 1 }`, 'g', 'm.cjs').kinds).toEqual([])
  })

  it('points at the module a re-exported function comes from', () => {
    expect(call(`export { helper as h } from './helper.js'`, 'h')).toEqual({ kind: 'reexport', source: './helper.js', name: 'helper' })
    expect(call(`import { helper } from './helper.js'\nexport { helper }`, 'helper')).toEqual({ kind: 'reexport', source: './helper.js', name: 'helper' })
    expect(call(`import run from './run.js'\nexport default run`, 'default')).toEqual({ kind: 'reexport', source: './run.js', name: 'default' })
    expect(call(`export * from './a.js'\nexport * from './b.js'`, 'x')).toEqual({ kind: 'star', sources: ['./a.js', './b.js'] })
  })

  it('follows local functions the body calls, and names the imported calls it makes', () => {
    const code = `
      import { other } from './other.js'
      import * as ns from './ns.js'
      function log(x) { console.error(x) }
      export function run() { log('x'); other(); ns.deep(); return 1 }
    `
    const result = call(code, 'run') as CallEffects
    expect(result.findings.map((f) => `${f.kind}:${f.callee ?? ''}`)).toEqual(['console:', 'imported-call:other', 'imported-call:deep'])
  })

  it('counts only what the call adds to evaluation, and not what its callbacks or parameters may do', () => {
    const code = `
      console.log('module')
      export function run(cb, options) {
        cb()
        options.hook()
        options.later(() => console.log('later'))
        return process.env.COLOR
      }
    `
    const result = effects(code, 'run')
    expect(result.kinds).toEqual(['unknown-call', 'unknown-call', 'unknown-call', 'console'])
    expect(result.reads).toEqual(['env:COLOR'])
  })
})
