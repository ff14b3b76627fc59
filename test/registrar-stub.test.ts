/**
 * Registrars (issue 11): a function imported and handed to a call at load
 * (`program.command('scan').action(scan)`) is replaced by a stub that loads its module on first
 * call. Unit level: which bindings qualify, which exports a stub can stand in for, and what the
 * stub does when run. The bundled commander and yargs CLIs are in `test/registrar-clis.test.ts`.
 */
import MagicString from 'magic-string'
import { describe, expect, it } from 'vitest'
import { parseModule } from '../packages/unplugin-cli-optimizer/src/core/ast/parse-module.js'
import { findLazyCandidates } from '../packages/unplugin-cli-optimizer/src/lazy/find-lazy-candidates.js'
import { exportedFunction, registrarStub } from '../packages/unplugin-cli-optimizer/src/lazy/registrar-stub.js'
import { rewriteSyncImport } from '../packages/unplugin-cli-optimizer/src/lazy/rewrite-lazy-imports.js'

const candidates = (code: string) => findLazyCandidates(parseModule(code, 'm.js'))
/** The registrar object, declared by the module as a program does (a global's methods are not registrars). */
const PROGRAM = 'const program = makeProgram()\n'
const shapeOf = (code: string, name: string) => exportedFunction(parseModule(code, 'x.js') as never, name)

describe('registrar candidates', () => {
  it('accepts a binding handed to a call at top level and otherwise only called', () => {
    const [c] = candidates(`import { scan } from './scan.js'\n${PROGRAM}program.command('scan').action(scan)\nexport function again(x) { return scan(x) }`)
    expect(c!.syncRefusal).toBeUndefined()
    expect(c!.registrars).toEqual([{ local: 'scan', binding: expect.objectContaining({ kind: 'named', name: 'scan' }), at: 'scan (line 3)' }])
    const [d] = candidates(`import scan from './scan.js'\nimport yargs from 'yargs'\nyargs(process.argv).command('scan', 'Scan', (y) => y, scan)`)
    expect(d!.registrars?.map((r) => r.local)).toEqual(['scan'])
  })

  it.each([
    [`import { scan } from './scan.js'\n${PROGRAM}program.action(scan)\nexport const same = (f) => f === scan`, /also used as a value/],
    [`import { scan } from './scan.js'\n${PROGRAM}program.action(scan)\nconsole.log(scan.name)`, /used at top level/],
    [`import { scan } from './scan.js'\nconst f = scan`, /used at top level/],
    [`import * as commands from './scan.js'\nyargs.command(commands)`, /used at top level/],
    [`import { scan } from './scan.js'\n${PROGRAM}program.action(...[scan])`, /used at top level/],
    // Calls that look at the function rather than keep it: bare calls and methods of globals.
    [`import { scan } from './scan.js'\nconsole.log(String(scan))`, /used at top level/],
    [`import { scan } from './scan.js'\nimport { inherits } from 'node:util'\ninherits(Child, scan)`, /used at top level/],
    [`import { scan } from './scan.js'\nconsole.log(scan)`, /used at top level/],
    [`import { scan } from './scan.js'\nObject.assign(target, scan)`, /used at top level/],
    // An event listener is removed by identity, maybe by a module holding the real function.
    [`import { scan } from './scan.js'\n${PROGRAM}program.on('scan', scan)`, /used at top level/],
  ])('refuses %s', (code, reason) => {
    expect(candidates(code)[0]!.syncRefusal).toMatch(reason)
  })
})

describe('exported functions a stub can stand in for', () => {
  it('takes the name and length of a function declaration, exported in any form', () => {
    expect(shapeOf(`export async function scan(dir, opts = {}) {}`, 'scan')).toEqual({ name: 'scan', length: 1 })
    expect(shapeOf(`export default function (a, b) {}`, 'default')).toEqual({ name: 'default', length: 2 })
    expect(shapeOf(`function run(a, ...rest) {}\nexport default run`, 'default')).toEqual({ name: 'run', length: 1 })
    expect(shapeOf(`function run() {}\nexport { run as scan }`, 'scan')).toEqual({ name: 'run', length: 0 })
    expect(shapeOf(`function scan(a) {}\nexport { scan }`, 'scan')).toEqual({ name: 'scan', length: 1 })
  })

  it.each([
    [`export const scan = async () => {}`, 'scan', /not a function declaration/],
    [`export class scan {}`, 'scan', /not a function declaration/],
    [`export { scan } from './other.js'`, 'scan', /not declared by the module itself/],
    [`export function scan() {}\nscan.description = 'Scan'`, 'scan', /also used inside its module/],
    [`export function scan() {}\nscan.prototype.x = 1`, 'scan', /also used inside its module/],
    [`function scan() {}\nexport { scan }\nexport const all = [scan]`, 'scan', /also used inside its module/],
    [`export default class {}`, 'default', /not a function declaration/],
  ])('refuses %s', (code, name, reason) => {
    expect(shapeOf(code, name)).toMatch(reason)
  })
})

describe('the stub, run', () => {
  /** Rewrites the module with its registrar stubs, runs it with `target` as the loaded module, counting loads. */
  function run(code: string, target: Record<string, unknown>, shapes: Record<string, { name: string; length: number }>) {
    const [c] = candidates(code)
    expect(c!.syncRefusal).toBeUndefined()
    const s = new MagicString(code)
    const stubs = c!.registrars!.map((r) => ({ ...r, ...shapes[r.local]! }))
    rewriteSyncImport(s as unknown as Parameters<typeof rewriteSyncImport>[0], c!, 0, c!.source, false, undefined, stubs)
    const out = s.toString().replace(/import\(("[^"]+")\)/g, '$1')
    let loads = 0
    const registered: Array<(...args: unknown[]) => unknown> = []
    const program = { action: (fn: (...args: unknown[]) => unknown) => registered.push(fn) }
    new Function('__cliOptimizerRequire', 'makeProgram', out)(() => (loads++, target), () => program)
    return { registered, loads: () => loads, out }
  }

  it('loads the module on the first call only, forwards this and the arguments, returns what the function returns', () => {
    const seen: unknown[] = []
    const result = Promise.resolve('done')
    const { registered, loads } = run(`import { scan } from './scan.js'\n${PROGRAM}program.action(scan)`, {
      scan(this: unknown, ...args: unknown[]) {
        seen.push(this, args)
        return result
      },
    }, { scan: { name: 'scan', length: 2 } })
    const [stub] = registered
    expect(loads()).toBe(0)
    expect([stub!.name, stub!.length]).toEqual(['scan', 2])
    const receiver = { command: 'scan' }
    expect(stub!.call(receiver, 'a', 'b', 'c')).toBe(result)
    expect(seen).toEqual([receiver, ['a', 'b', 'c']])
    stub!('d')
    expect(loads()).toBe(1)
  })

  it('keeps the function name when the import renames it, and constructs with new', () => {
    function Point(this: { x: number }, x: number) {
      this.x = x
    }
    const { registered } = run(`import P from './point.js'\n${PROGRAM}program.action(P)`, { default: Point }, { P: { name: 'Point', length: 1 } })
    const stub = registered[0] as unknown as new (x: number) => { x: number }
    expect(stub.name).toBe('Point')
    expect(new stub(3).x).toBe(3)
  })

  it('a throw from the function reaches the caller unchanged', () => {
    const error = new Error('bad input')
    const { registered } = run(`import { scan } from './scan.js'\n${PROGRAM}program.action(scan)`, { scan: () => { throw error } }, { scan: { name: 'scan', length: 0 } })
    expect(() => registered[0]!()).toThrow(error)
  })
})

describe('registrarStub', () => {
  it('is a hoisted declaration under the import name', () => {
    expect(registrarStub('scan', 'g().scan', { name: 'scan', length: 1 })).toMatch(/^function scan\(_0\) \{/)
  })
})
