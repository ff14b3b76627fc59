/**
 * Turns a `ProgramSpec` into source files. Every module's functions print when called, effectful
 * modules print (or change visible state) when evaluated, and every ES module records its
 * evaluation in `trace.js` (an imported call, which the analysis does not count as an effect), so
 * main can tell afterwards which modules had been evaluated when its own body started, and in
 * what order all were.
 */
import { fileOf, realTarget, type EdgeSpec, type LoadCall, type ModuleSpec, type ProgramSpec, type UseKind } from './program-model.js'

export interface EmittedProgram {
  /** Path relative to the program folder → file text. */
  files: Record<string, string>
}

const TRACE = `export const evaluated = []
export function trace(name) {
  evaluated.push(name)
}
`

// An object of the program with methods, as commander's `program` is: the registrar rule
// wants the function handed to a method call on a binding of the module, not to a bare call.
const FRAMEWORK = `const handlers = new Map()
export const fw = {
  register(name, fn) {
    handlers.set(name, fn)
  },
  dispatch(name, n) {
    return handlers.get(name)(n)
  },
}
`

interface Refs {
  /** Import or require statement. */
  declaration: string
  sync(arg: string): string
  /** A call usable in an async context: the target's async function (where it has one), then its sync one. */
  async(arg: string): string
  leaf(): string
  /** The function value handed to a registrar. */
  fn(): string
  /** The target's function `name` (`k`, `p`, `q`, `r`); not for a default import of an ES module. */
  named(name: string): string
}

function refsOf(program: ProgramSpec, importer: ModuleSpec, edge: EdgeSpec, index: number): Refs {
  const local = `i${index}`
  const target = program.modules.find((m) => m.name === edge.target)!
  const real = realTarget(program, edge.target)
  const spec = `./${fileOf(target)}`
  if (importer.kind === 'cjs' || edge.style === 'namespace' || (edge.style === 'default' && real.kind === 'cjs')) {
    const declaration =
      importer.kind === 'cjs'
        ? `const ${local} = require('${spec}')`
        : edge.style === 'namespace'
          ? `import * as ${local} from '${spec}'`
          : `import ${local} from '${spec}'`
    return {
      declaration,
      sync: (arg) => `${local}.s(${arg})`,
      async: (arg) => `(await ${local}.a(${arg})) + ${local}.s(${arg})`,
      leaf: () => `${local}.k()`,
      fn: () => `${local}.s`,
      named: (name) => `${local}.${name}`,
    }
  }
  if (edge.style === 'default') {
    const named = (): string => {
      throw new Error(`${importer.name} imports the default export of ${edge.target}: it names no other function`)
    }
    return { declaration: `import ${local} from '${spec}'`, sync: (arg) => `${local}(${arg})`, async: (arg) => `${local}(${arg})`, leaf: () => `${local}(0)`, fn: () => local, named }
  }
  const names = new Set<string>()
  const use = (name: string): string => {
    names.add(name)
    return `${local}_${name}`
  }
  // Names are collected while the module body is generated; the declaration is read last.
  return {
    get declaration() {
      return `import { ${[...names].sort().map((n) => `${n} as ${local}_${n}`).join(', ')} } from '${spec}'`
    },
    sync: (arg) => `${use('s')}(${arg})`,
    async: (arg) => `(await ${use('a')}(${arg})) + ${use('s')}(${arg})`,
    leaf: () => `${use('k')}()`,
    fn: () => use('s'),
    named: use,
  }
}

/** The call a `top` or `static-field` use makes: back edges call only the leaf (the target may not have evaluated yet). */
function loadCallOf(edge: EdgeSpec, ref: Refs): string {
  const call: LoadCall = edge.back ? 'leaf' : (edge.loadCall ?? 'leaf')
  const name = { leaf: 'k', print: 'p', read: 'r', relay: 'q' }[call]
  return call === 'leaf' ? ref.leaf() : `${ref.named(name)}()`
}

/**
 * The functions other modules call at load: `p()` prints, `r()` reads the state main changes,
 * `q()` calls its relay's `p()` or `r()` (`relayCall`), or is pure without one.
 */
function loadCallees(mod: ModuleSpec, relayCall: string | undefined, esm: boolean): string[] {
  const print = mod.prints === 'console' ? `console.log('${mod.name}.p')` : `process.stdout.write('${mod.name}.p\\n')`
  const declare = (name: string, body: string[]): string[] =>
    esm ? [`export function ${name}() {`, ...body.map((l) => `  ${l}`), '}'] : [`exports.${name} = function ${name}() {`, ...body.map((l) => `  ${l}`), '}']
  return [
    ...declare('p', [print, `return '${mod.name}.p'`]),
    ...declare('r', [`return '${mod.name}.r:' + (process.env.FZ_MODE ?? 'unset')`]),
    ...declare('q', [`return ${relayCall ?? `'${mod.name}.q'`}`]),
  ]
}

function effectLines(mod: ModuleSpec, index: number, esm: boolean): string[] {
  const name = mod.name
  switch (mod.effect) {
    case 'none':
      return []
    case 'console':
      return [`console.log('eval ${name}')`]
    case 'stdout':
      return [`process.stdout.write('eval ${name} (stdout)\\n')`]
    case 'stderr':
      return [`process.stderr.write('eval ${name} (stderr)\\n')`]
    case 'global-write':
      return [`globalThis.__fz = (globalThis.__fz ?? '') + '${name};'`]
    case 'exit-code':
      return [`process.exitCode = ${10 + index}`]
    case 'env-write':
      return [`process.env.FZ_E = (process.env.FZ_E ?? '') + '${name};'`]
    // Visible only in the exit code: a timer's callback runs after the event loop's I/O, where a
    // deferred chunk's load may also land (the documented limit), so it must not print.
    case 'timer':
      return [`setTimeout(() => { process.exitCode = ${40 + index} }, 0)`]
    case 'microtask':
      return [`queueMicrotask(() => console.log('microtask ${name}'))`]
    case 'process-handler':
      return [`process.on('exit', () => console.log('exit ${name}'))`]
    case 'io':
      // CommonJS binds the module first: a write through `require('node:fs').writeSync(…)`
      // itself is not seen as I/O by the analysis and is deferred (FINDINGS.md, finding 1; the
      // known failure in test/fuzz-deferral.test.ts).
      return esm ? [`writeSync(1, 'eval ${name} (io)\\n')`] : [`const fs = require('node:fs')`, `fs.writeSync(1, 'eval ${name} (io)\\n')`]
    case 'prototype-patch':
      return [`Array.prototype.fzP = '${name}'`]
    case 'builtin-write':
      return [`Error.stackTraceLimit = ${20 + index}`]
  }
}

interface Sites {
  top: string[]
  staticField: string[]
  instanceField: string[]
  method: string[]
  asyncMethod: string[]
  localBefore: string[]
  sync: string[]
  asyncBefore: string[]
  asyncAfter: string[]
  registrations: string[]
  /** The body of `q()`: the call of the relay's function. */
  relay?: string
}

function collectSites(program: ProgramSpec, mod: ModuleSpec, outgoing: Array<[EdgeSpec, number]>): { sites: Sites; refs: Refs[] } {
  const sites: Sites = { top: [], staticField: [], instanceField: [], method: [], asyncMethod: [], localBefore: [], sync: [], asyncBefore: [], asyncAfter: [], registrations: [] }
  const refs: Refs[] = []
  for (const [edge, index] of outgoing) {
    const ref = refsOf(program, mod, edge, index)
    refs.push(ref)
    const call = (kind: 'sync' | 'async', arg: string): string => (edge.back ? ref.leaf() : kind === 'sync' ? ref.sync(arg) : ref.async(arg))
    const at: Record<UseKind, () => void> = {
      // The call the edge's `loadCall` says: the analysis follows it into the callee's body
      // (FINDINGS.md, finding 3), so a module printing or reading state through it stays in the
      // startup load.
      top: () => sites.top.push(loadCallOf(edge, ref)),
      'static-field': () => sites.staticField.push(loadCallOf(edge, ref)),
      'instance-field': () => sites.instanceField.push(call('sync', '0')),
      method: () => sites.method.push(call('sync', 'n')),
      'async-method-after': () => sites.asyncMethod.push(call('async', 'n')),
      'async-local-before': () => sites.localBefore.push(call('async', 'n')),
      'sync-fn': () => sites.sync.push(call('sync', 'n')),
      callback: () => sites.sync.push(`[n].map((v) => ${call('sync', 'v')}).join('')`),
      'async-before': () => sites.asyncBefore.push(call('async', 'n')),
      'async-after': () => sites.asyncAfter.push(call('async', 'n')),
      'async-callback-after': () => sites.asyncAfter.push(`[n].map((v) => ${call('sync', 'v')}).join('')`),
      registrar: () => {
        sites.registrations.push(`fw.register('${mod.name}.e${index}', ${ref.fn()})`)
        sites.sync.push(`fw.dispatch('${mod.name}.e${index}', n)`)
      },
      'registrar-identity': () => {
        sites.registrations.push(`fw.register('${mod.name}.e${index}', ${ref.fn()})`, `const len${index} = ${ref.fn()}.length`)
        sites.sync.push(`fw.dispatch('${mod.name}.e${index}', n)`, `len${index}`)
      },
      relay: () => {
        sites.relay = `${ref.named(mod.relay!.calls === 'print' ? 'p' : 'r')}()`
      },
    }
    for (const use of edge.uses) at[use]()
  }
  return { sites, refs }
}

function emitEsm(program: ProgramSpec, mod: ModuleSpec, index: number): string {
  const isMain = mod.name === 'main'
  const ex = isMain ? '' : 'export '
  const outgoing = program.edges.map((e, i) => [e, i] as [EdgeSpec, number]).filter(([e]) => e.importer === mod.name)
  const { sites, refs } = collectSites(program, mod, outgoing)
  const list = (items: string[]): string => `[${items.join(', ')}]`
  const body: string[] = []
  body.push(`trace('${mod.name}')`, ...effectLines(mod, index, true))
  if (isMain) {
    body.push(
      'const atStart = [...evaluated]',
      // Hidden from the output: which modules had evaluated when main's body started, and in
      // what order every module evaluated by the end.
      "process.on('exit', () => { if (process.env.FZ_TRACE) writeFileSync(process.env.FZ_TRACE, JSON.stringify({ atStart, all: evaluated })) })",
      "const state = () => [globalThis.__fz ?? '-', process.env.FZ_E ?? '-', [].fzP ?? '-', Error.stackTraceLimit, process.exitCode ?? '-'].join(' ')",
      "console.log('main: state', state())",
    )
    if (program.mainChangesState) body.push("process.env.FZ_MODE = 'late'")
  }
  body.push(mod.readsState ? "const mode = process.env.FZ_MODE ?? 'unset'" : "const mode = '-'")
  body.push(`const tops = ${list(sites.top)}`, ...sites.registrations)
  body.push(
    'class C {',
    `  static sf = ${list(sites.staticField)}.join('+')`,
    `  f = ${list(sites.instanceField)}.join('+')`,
    `  m(n) { return ${list(sites.method)}.join('+') }`,
    `  async am(n) { await null; return ${list(sites.asyncMethod)}.join('+') }`,
    '}',
    'async function loc(n) {',
    `  const r = ${list(sites.localBefore)}`,
    `  console.log('${mod.name}.loc', n)`,
    '  await null',
    "  return r.join('+')",
    '}',
    `${ex}function k() { return '${mod.name}' }`,
    ...(isMain ? [] : loadCallees(mod, sites.relay, true)),
    `${ex}function s(n) {`,
    `  console.log('${mod.name}.s', n)`,
    `  const parts = ${list(["tops.join('+')", ...sites.sync, 'new C().m(n)', 'new C().f', 'C.sf', 'mode'])}`,
    `  return \`${mod.name}.s(\${n})[\${parts.join(',')}]\``,
    '}',
    `${ex}async function a(n) {`,
    `  console.log('${mod.name}.a1', n)`,
    `  const before = ${list(sites.asyncBefore)}`,
    `  console.log('${mod.name}.a2', n)`,
    '  await null',
    `  console.log('${mod.name}.a3', n)`,
    `  const after = ${list([...sites.asyncAfter, '(await new C().am(n))', '(await loc(n))'])}`,
    `  return \`${mod.name}.a(\${n})[\${before.join(',')}|\${after.join(',')}]\``,
    '}',
  )
  if (isMain) {
    body.push("console.log('main: s', s(1))")
    if (program.mainCall === 'await') body.push("console.log('main: a', await a(2))", "console.log('main: end')")
    else if (program.mainCall === 'fire-and-log') body.push("a(2).then((r) => console.log('main: a', r))", "console.log('main: after a')")
    else body.push("a(2).then((r) => console.log('main: a', r))")
  } else {
    body.push(`export default function d(n) { return \`${mod.name}.d(\${n})\` }`)
  }
  const header = [isMain ? "import { writeFileSync } from 'node:fs'" : undefined, isMain ? "import { evaluated, trace } from './trace.js'" : "import { trace } from './trace.js'", "import { fw } from './fw.js'"]
  if (mod.effect === 'io') header.push("import { writeSync } from 'node:fs'")
  const lines = header.filter((l): l is string => l !== undefined)
  // Each import on its own line, whose number the report's record must carry.
  outgoing.forEach(([edge], i) => {
    lines.push(refs[i]!.declaration)
    edge.line = lines.length
  })
  return [...lines, ...body, ''].join('\n')
}

function emitCjs(program: ProgramSpec, mod: ModuleSpec, index: number): string {
  const outgoing = program.edges.map((e, i) => [e, i] as [EdgeSpec, number]).filter(([e]) => e.importer === mod.name)
  const { sites, refs } = collectSites(program, mod, outgoing)
  const lines = ["'use strict'", ...refs.map((r) => r.declaration), ...effectLines(mod, index, false)]
  lines.push(
    `const tops = [${sites.top.join(', ')}]`,
    `exports.k = function k() { return '${mod.name}' }`,
    ...loadCallees(mod, sites.relay, false),
    'exports.s = function s(n) {',
    `  console.log('${mod.name}.s', n)`,
    `  return \`${mod.name}.s(\${n})[\${[tops.join('+'), ${sites.sync.join(', ')}].join(',')}]\``,
    '}',
    'exports.a = async function a(n) {',
    `  console.log('${mod.name}.a1', n)`,
    '  await null',
    `  return \`${mod.name}.a(\${n})[\${[${sites.asyncAfter.join(', ')}].join(',')}]\``,
    '}',
    '',
  )
  return lines.join('\n')
}

function emitBarrel(program: ProgramSpec, mod: ModuleSpec): string {
  const edge = program.edges.find((e) => e.importer === mod.name)!
  const spec = `./${fileOf(program.modules.find((m) => m.name === edge.target)!)}`
  // Two spellings of a barrel, picked by the module's position so it is stable per seed.
  const star = Number(mod.name.slice(1)) % 2 === 0
  return star ? `export * from '${spec}'\nexport { default } from '${spec}'\n` : `export { a, k, p, q, r, s, default } from '${spec}'\n`
}

export function emitProgram(program: ProgramSpec): EmittedProgram {
  const files: Record<string, string> = { 'trace.js': TRACE, 'fw.js': FRAMEWORK }
  program.modules.forEach((mod, index) => {
    files[fileOf(mod)] = mod.kind === 'cjs' ? emitCjs(program, mod, index) : mod.kind === 'barrel' ? emitBarrel(program, mod) : emitEsm(program, mod, index)
  })
  return { files }
}
