/**
 * Top-level side-effect analysis of one module: what evaluating it does besides defining its
 * exports. Shared by lazy imports (may this module's evaluation move later?) and by tree-shaking
 * (may this module be dropped when nothing it exports is used?).
 *
 * ## What "runs at evaluation" means
 * Code outside any function, class static blocks and static field initialisers, plus the bodies of
 * functions that evaluation calls: IIFEs (`(function () {…})()`, `(() => {…})()`, `fn.call(…)`),
 * functions passed as arguments to a call that runs at evaluation (assumed to be called, e.g.
 * `[…].forEach(fn)`, UMD factories), local functions whose name is called or passed at evaluation
 * (`function init() {…}; init()`), and constructors and instance field initialisers of local
 * classes that are instantiated at evaluation. Other function bodies, methods, getters and
 * instance fields do not run.
 *
 * A callback is surely called when handed to an IIFE or local function, `new Promise`, or an
 * array-style method (`forEach`, `map`, `reduce`, …). Handed to an imported or unknown function
 * (`program.action(() => console.log(…))`, `memoize(fn)`) it may run now, later or never: its
 * effects are still findings, but never observable ones (detail says "in a callback that may run
 * later"). A `throw` counts as `top-level-throw` only directly in the module body; inside a helper
 * that evaluation calls it is usually a guard that does not fire and counts as `unknown-call`.
 *
 * ## Findings
 * Every effect found in code that runs at evaluation is a `Finding`. A module is `sideEffectFree`
 * when there is none. `observable` findings are effects someone outside the module can see, so
 * moving or skipping the module's evaluation changes behaviour:
 * - `top-level-await`: `await` or `for await` at top level (evaluation suspends; order changes).
 * - `console`: any call on `console` (`console.log`, `console.warn`, …).
 * - `stdio`: calls on `process.stdout`, `process.stderr`, `process.stdin`; `process.emitWarning`.
 * - `process-handler`: `process.on/once/addListener/prepend…Listener/off/removeListener/
 *   removeAllListeners/setMaxListeners/emit(…)`.
 * - `process-state`: assignment to or `delete` of anything under `process` (`process.exitCode`,
 *   `process.env.X`, `process.title`), `process.exit/abort/kill/chdir/umask/set*(…)`.
 * - `global-write`: assignment to or `delete` of a member of `globalThis`, `global`, `window`,
 *   `self`, or of a local alias of them (`var root = typeof global == 'object' && global`), an
 *   assignment to an undeclared name (implicit global), `Object.defineProperty/assign/…(globalThis…)`.
 * - `prototype-patch`: assignment to a member of a builtin's prototype (`Array.prototype.x = …`)
 *   or `Object.defineProperty/defineProperties/assign/setPrototypeOf/freeze(…)`,
 *   `Reflect.defineProperty/set/deleteProperty/setPrototypeOf(…)` whose target is a builtin or a
 *   builtin's prototype.
 * - `builtin-write`: assignment to a member of a builtin (`Error.stackTraceLimit = …`,
 *   `Buffer.poolSize = …`, `Math.x = …`).
 * - `timer`: `setTimeout`, `setInterval`, `setImmediate`, `queueMicrotask`, `process.nextTick`
 *   (scheduled code runs at a different time, and intervals keep the process alive).
 * - `io`: writes, spawns and servers through Node builtins imported or required by the module
 *   (`fs.writeFileSync`, `mkdirSync`, `child_process.spawn`, `http.createServer`, `new Worker`, …).
 * - `top-level-throw`: a `throw` statement directly in the module body, not behind a condition
 *   (a guard such as `if (!supported) throw …` is an `unknown-call`: it does not fire where the
 *   program works, and refusing every package with a version check would defer nothing).
 *
 * Not observable, but not free of effects either (the module cannot be assumed removable):
 * - `unknown-call`: a call or `new` of something the analysis cannot see (a parameter, a property
 *   of a local object, a global it does not know to be pure).
 * - `imported-call`: a call of an imported or required binding. The callee lives in another module,
 *   which this analysis does not see; `callee` names the export called, for `analyzeCallEffects`.
 * - `imported-write`: assignment to a member of an imported or required binding (writes another
 *   module's state, e.g. a plugin registry). `source` names the module written to.
 * - `dynamic-code`: `eval(…)`, `Function(…)`, `new Function(…)`.
 *
 * Calls to known pure builtins (`Object.freeze`, `Object.defineProperty(exports, …)`,
 * `Symbol()`, `new Map()`, `JSON.parse`, `path.join`, `fileURLToPath`, `createRequire`, array and
 * string methods on literals, …) and `require(…)` (a dependency edge, see `dependencies`) are not
 * findings. Reading anything (properties, `process.env`, `Date.now()`) is not a finding.
 *
 * ## State reads
 * Separately from findings (a read does not stop tree-shaking), `stateReads` lists reads at
 * evaluation of state the program can change before a deferred module is first used, so that
 * evaluating the module later could capture another value: `process.env`, `process.argv`,
 * `process.exitCode`, `process.title`, `process.cwd()`, the clock (`Date.now()`, `new Date()`,
 * `Date()`, `performance.now()`, `process.hrtime()`, `process.uptime()`), members of the global
 * object (`globalThis.x`) and free names that are not globals of Node itself (a global another
 * module may set). `typeof x` of a free name (feature detection) is not counted. Only code that
 * surely runs at evaluation is considered (not callbacks handed to unseen functions).
 *
 * ## Known limits
 * Getters and proxies invoked by property reads, `toString`/`valueOf` coercions and iterator
 * protocols are not modelled. Effects reached through an alias the analysis does not track
 * (`const out = process.stdout; out.write(…)` is caught only because `out.write` is then an
 * `unknown-call`, not as `stdio`) are findings but may not be observable ones. Effects inside
 * imported functions called at top level are `imported-call` here; `analyzeCallEffects` gives what
 * such a call does, for a caller that can resolve the module (the deferred-graph check does).
 */
import type { Node } from '@babel/types'
import type { NodePath } from './babel-traverse.js'
import { traverse } from './babel-traverse.js'
import { exportedFunction, type ExportedElsewhere } from './exported-function.js'
import { inUntakenBranch } from './feature-guards.js'

export type FindingKind =
  | 'top-level-await'
  | 'console'
  | 'stdio'
  | 'process-handler'
  | 'process-state'
  | 'global-write'
  | 'prototype-patch'
  | 'builtin-write'
  | 'timer'
  | 'io'
  | 'top-level-throw'
  | 'unknown-call'
  | 'imported-call'
  | 'imported-write'
  | 'dynamic-code'

export interface Finding {
  kind: FindingKind
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
  /** The source text of the effect (shortened), e.g. `process.on('exit', …)`. */
  detail: string
  /** Whether the effect is visible outside the module (see the header comment). */
  observable: boolean
  /** For `imported-call` and `imported-write`: the specifier of the module the binding comes from. */
  source?: string
  /**
   * For `imported-call`: the export called (`'default'`; `'*'` for a required module called
   * itself; `'default.f'` for a member of a default import, `d.f()`), when the call names one
   * (`f()`, `ns.f()`, `require('x').f()`); absent for a method of another imported value (`obj.m()`).
   */
  callee?: string
  /** In a callback handed to code the analysis cannot see: it may run now, later or never. */
  uncertain?: boolean
}

export interface ModuleDependency {
  source: string
  /** `import`/`reexport` are static ESM edges, `require` a CommonJS call, `dynamic-import` a lazy `import()`. */
  kind: 'import' | 'reexport' | 'require' | 'dynamic-import'
  line: number
  column: number
}

export interface ModuleEffects {
  /** No finding at all: evaluating the module only defines its exports. */
  sideEffectFree: boolean
  /** The findings visible outside the module; a module with any must not be moved or dropped. */
  observable: Finding[]
  /** Every finding, observable or not, in source order. */
  findings: Finding[]
  /** Every static import, re-export, literal `require()` and literal `import()`, in source order. */
  dependencies: ModuleDependency[]
  /** Reads at evaluation of state the program can change (see "State reads"); kind is always `state-read`. */
  stateReads: StateRead[]
}

export interface StateRead {
  line: number
  column: number
  /** The source text read, e.g. `process.env.DEBUG`. */
  detail: string
  /**
   * What is read: `env:NAME` (one variable), `env` (the whole environment, or a computed name),
   * `argv`, `exitCode`, `title`, `cwd`, `clock`, or `global:NAME` (a global Node does not define).
   */
  state: string
}

const OBSERVABLE_KINDS: ReadonlySet<FindingKind> = new Set([
  'top-level-await',
  'console',
  'stdio',
  'process-handler',
  'process-state',
  'global-write',
  'prototype-patch',
  'builtin-write',
  'timer',
  'io',
  'top-level-throw',
])

const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self'])

const BUILTINS = new Set([
  'Object', 'Function', 'Array', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Promise', 'Map', 'Set',
  'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Date', 'RegExp', 'Error', 'TypeError', 'RangeError',
  'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError', 'JSON', 'Math', 'Reflect', 'Proxy',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
  'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'Intl', 'Atomics', 'URL', 'URLSearchParams', 'Buffer', 'EventTarget', 'Event', 'AbortController', 'AbortSignal',
  'TextEncoder', 'TextDecoder', 'Headers', 'Request', 'Response', 'fetch', 'Blob', 'crypto', 'performance',
])

/** Builtin constructors and functions whose call only builds a value. */
const PURE_GLOBAL_CALLS = new Set([
  'Object', 'Array', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef',
  'Date', 'RegExp', 'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError',
  'AggregateError', 'ArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
  'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController', 'EventTarget', 'Promise', 'Proxy',
  'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI',
  'decodeURI', 'escape', 'unescape', 'structuredClone', 'Headers',
])

/** `Builtin.method(…)` calls that only build or read values (`Object.defineProperty` is checked separately). */
const PURE_STATIC_CALLS: Record<string, ReadonlySet<string>> = {
  Object: new Set(['create', 'keys', 'values', 'entries', 'fromEntries', 'getOwnPropertyNames', 'getOwnPropertySymbols',
    'getOwnPropertyDescriptor', 'getOwnPropertyDescriptors', 'getPrototypeOf', 'is', 'isFrozen', 'isSealed',
    'isExtensible', 'hasOwn', 'groupBy']),
  Array: new Set(['isArray', 'from', 'of']),
  Symbol: new Set(['for', 'keyFor']),
  JSON: new Set(['parse', 'stringify']),
  Number: new Set(['isInteger', 'isSafeInteger', 'isFinite', 'isNaN', 'parseFloat', 'parseInt']),
  String: new Set(['fromCharCode', 'fromCodePoint', 'raw']),
  Reflect: new Set(['ownKeys', 'getPrototypeOf', 'has', 'get', 'getOwnPropertyDescriptor', 'apply', 'construct']),
  Promise: new Set(['resolve', 'reject', 'all', 'allSettled', 'race', 'any', 'withResolvers']),
  Buffer: new Set(['from', 'alloc', 'allocUnsafe', 'isBuffer', 'byteLength', 'concat', 'compare']),
  Date: new Set(['now', 'parse', 'UTC']),
  Math: new Set(['abs', 'ceil', 'floor', 'round', 'max', 'min', 'pow', 'sqrt', 'log', 'log2', 'log10', 'random',
    'trunc', 'sign', 'exp', 'imul', 'clz32', 'fround', 'hypot', 'sin', 'cos', 'tan', 'atan', 'atan2']),
  Error: new Set(['captureStackTrace']),
}

/** Methods of objects built inside the module (literals, local bindings) that only read or build values. */
const PURE_METHODS = new Set([
  'map', 'filter', 'reduce', 'reduceRight', 'forEach', 'some', 'every', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'flat', 'flatMap', 'join', 'split', 'concat', 'slice', 'includes', 'indexOf', 'lastIndexOf',
  'keys', 'values', 'entries', 'at', 'push', 'unshift', 'pop', 'shift', 'splice', 'sort', 'reverse', 'fill',
  'replace', 'replaceAll', 'toLowerCase', 'toUpperCase', 'trim', 'trimStart', 'trimEnd', 'padStart', 'padEnd',
  'startsWith', 'endsWith', 'charAt', 'charCodeAt', 'codePointAt', 'repeat', 'match', 'matchAll', 'normalize',
  'substring', 'substr', 'toString', 'valueOf', 'test', 'exec', 'set', 'get', 'has', 'add', 'delete', 'bind',
  'call', 'apply', 'hasOwnProperty', 'toFixed', 'localeCompare',
])

/** Node builtins whose exports are pure functions of their arguments (for our purpose). */
const PURE_NODE_MODULES = new Set(['path', 'path/posix', 'path/win32', 'url', 'util', 'module', 'os', 'tty', 'buffer', 'events', 'assert', 'string_decoder', 'querystring'])

/** Node builtins that can write, spawn or listen, and the members that do. */
const IO_NODE_MODULES = new Set(['fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'http2', 'dgram', 'worker_threads', 'cluster', 'readline', 'tls', 'inspector'])
const IO_MEMBERS = new Set([
  'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'mkdir', 'mkdirSync', 'mkdtemp', 'mkdtempSync',
  'rm', 'rmSync', 'rmdir', 'rmdirSync', 'unlink', 'unlinkSync', 'rename', 'renameSync', 'copyFile', 'copyFileSync',
  'cp', 'cpSync', 'symlink', 'symlinkSync', 'link', 'linkSync', 'chmod', 'chmodSync', 'chown', 'chownSync',
  'truncate', 'truncateSync', 'utimes', 'utimesSync', 'open', 'openSync', 'write', 'writeSync', 'createWriteStream',
  'watch', 'watchFile', 'spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork',
  'createServer', 'createConnection', 'connect', 'request', 'get', 'createSocket', 'Worker', 'createInterface',
  'setupPrimary', 'setupMaster', 'open', 'Session',
])

const PROCESS_LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'off', 'removeListener', 'removeAllListeners', 'setMaxListeners', 'emit'])
const COMMONJS_LOCALS = new Set(['exports', 'module', 'require', '__filename', '__dirname'])
const PROCESS_READS = new Set(['argv', 'env', 'execArgv', 'execPath', 'versions', 'version', 'platform', 'arch', 'release', 'features', 'config', 'pid', 'ppid', 'hrtime', 'allowedNodeEnvironmentFlags'])
const TIMER_GLOBALS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask'])
const DEFINE_METHODS: Record<string, ReadonlySet<string>> = {
  Object: new Set(['defineProperty', 'defineProperties', 'assign', 'setPrototypeOf', 'freeze', 'seal', 'preventExtensions']),
  Reflect: new Set(['defineProperty', 'set', 'deleteProperty', 'setPrototypeOf', 'preventExtensions']),
}

interface MemberChain {
  /** The innermost object: an identifier, `this`, a call, a literal… */
  root: NodePath
  /** Property names from the root outwards; `null` for a computed property that is not a literal. */
  props: Array<string | null>
}

function memberChain(path: NodePath): MemberChain {
  const props: Array<string | null> = []
  let current = path
  while (current.isMemberExpression() || current.isOptionalMemberExpression()) {
    const node = current.node
    const prop = node.property
    if (!node.computed && prop.type === 'Identifier') props.unshift(prop.name)
    else if (prop.type === 'StringLiteral') props.unshift(prop.value)
    else props.unshift(null)
    current = current.get('object') as NodePath
  }
  return { root: current, props }
}

function nodeModuleName(source: string): string {
  return source.startsWith('node:') ? source.slice(5) : source
}

const MAX_DETAIL = 80

/**
 * Analyses the top-level effects of a module parsed with `parseModule` (a Babel `File`).
 * `code` is the source the AST was parsed from; it only feeds the findings' `detail`.
 */
export function analyzeModuleEffects(ast: Node, code: string): ModuleEffects {
  const collected = collect(ast)
  const { findings, stateReads } = evaluate(collected, code, new EvaluationTracker())
  return {
    sideEffectFree: findings.length === 0,
    observable: findings.filter((f) => f.observable),
    findings,
    dependencies: collected.dependencies,
    stateReads,
  }
}

/** What calling one exported function does, beyond what evaluating its module does. */
export interface CallEffects {
  /** Effects of the function's body and of the module's functions it calls, in source order. */
  findings: Finding[]
  /** The findings visible outside the module. */
  observable: Finding[]
  /** Changeable state the body reads (see "State reads"). */
  stateReads: StateRead[]
}

/**
 * The effects of calling the module's export `name` (`'default'`; for CommonJS, `'*'` is
 * `module.exports` itself, and `'default'` falls back to it), as if its body ran at evaluation:
 * the findings and state reads of code that surely runs once it is called, and that does not
 * already run when the module evaluates. Its parameters are unknown, so calling one is an
 * `unknown-call`. Returns where the export comes from when it is re-exported, and `undefined`
 * when it is not a function the analysis can see (a computed export, a value built at run time).
 */
export function analyzeCallEffects(ast: Node, code: string, name: string): CallEffects | ExportedElsewhere | undefined {
  const collected = collect(ast)
  const found = exportedFunction(collected.program!, name)
  if (!found || !('node' in found)) return found
  const base = new EvaluationTracker()
  const called = new EvaluationTracker(found.node)
  const { findings, stateReads } = evaluate(collected, code, called, (path) => base.atEvaluation(path) !== Runs.Yes)
  return { findings, observable: findings.filter((f) => f.observable), stateReads }
}

interface Collected {
  program: NodePath | undefined
  /** Nodes that may be effects: calls, writes, awaits, throws. */
  candidates: NodePath[]
  /** Free identifiers that may read changeable state. */
  reads: NodePath[]
  dependencies: ModuleDependency[]
}

function collect(ast: Node): Collected {
  const collected: Collected = { program: undefined, candidates: [], reads: [], dependencies: [] }
  const { candidates, reads, dependencies } = collected
  traverse(ast, {
    enter(path) {
      const node = path.node
      if (node.type === 'Identifier' && isStateReadCandidate(path)) reads.push(path)
      switch (node.type) {
        case 'Program':
          collected.program = path
          return
        case 'ImportDeclaration':
          dependencies.push({ source: node.source.value, kind: 'import', ...position(node) })
          return
        case 'ExportNamedDeclaration':
        case 'ExportAllDeclaration':
          if (node.source) dependencies.push({ source: node.source.value, kind: 'reexport', ...position(node) })
          return
        case 'ImportExpression':
          if (node.source.type === 'StringLiteral') dependencies.push({ source: node.source.value, kind: 'dynamic-import', ...position(node) })
          return
        case 'CallExpression': {
          const callee = node.callee
          const first = node.arguments[0]
          if (callee.type === 'Import' && first?.type === 'StringLiteral') {
            dependencies.push({ source: first.value, kind: 'dynamic-import', ...position(node) })
            return
          }
          if (isRequireCall(path)) {
            dependencies.push({ source: (first as { value: string }).value, kind: 'require', ...position(node) })
            return
          }
          candidates.push(path)
          return
        }
        case 'NewExpression':
        case 'OptionalCallExpression':
        case 'TaggedTemplateExpression':
        case 'AssignmentExpression':
        case 'UpdateExpression':
        case 'AwaitExpression':
        case 'ThrowStatement':
          candidates.push(path)
          return
        case 'UnaryExpression':
          if (node.operator === 'delete') candidates.push(path)
          return
        case 'ForOfStatement':
          if (node.await) candidates.push(path)
          return
        default:
          return
      }
    },
  })
  return collected
}

/** Classifies the collected nodes that run according to `runs` (and pass `include`). */
function evaluate(collected: Collected, code: string, runs: EvaluationTracker, include: (path: NodePath) => boolean = () => true): { findings: Finding[]; stateReads: StateRead[] } {
  const findings: Finding[] = []
  const add = (path: NodePath, kind: FindingKind, source?: string, callee?: string): void => {
    const node = path.node
    const finding: Finding = { kind, ...position(node), detail: shortText(code, node), observable: OBSERVABLE_KINDS.has(kind) }
    if (source !== undefined) finding.source = source
    if (callee !== undefined) finding.callee = callee
    findings.push(finding)
  }
  // Inside a callback handed to code we cannot see: maybe called now, maybe later, maybe never.
  const addUncertain: Add = (path, kind, source, callee) => {
    add(path, kind, source, callee)
    const finding = findings[findings.length - 1]!
    finding.uncertain = true
    if (finding.observable) {
      finding.observable = false
      finding.detail = `(in a callback that may run later) ${finding.detail}`
    }
  }

  for (const path of collected.candidates) {
    const certainty = runs.atEvaluation(path)
    if (certainty === Runs.No || !include(path)) continue
    classify(path, certainty === Runs.Yes ? add : addUncertain)
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column)
  const stateReads: StateRead[] = []
  for (const path of collected.reads) {
    if (runs.atEvaluation(path) !== Runs.Yes || !include(path)) continue
    const read = stateReadAt(path)
    if (!read) continue
    stateReads.push({ ...position(read.path.node), detail: shortText(code, read.path.node), state: read.state })
  }
  return { findings, stateReads }
}

function shortText(code: string, node: Node): string {
  const raw = code.slice(node.start ?? 0, node.end ?? 0).replace(/\s+/g, ' ')
  return raw.length > MAX_DETAIL ? `${raw.slice(0, MAX_DETAIL - 1)}…` : raw
}

const PROCESS_READ_CALLS = new Set(['cwd', 'uptime', 'hrtime', 'memoryUsage', 'cpuUsage', 'resourceUsage', 'getuid', 'geteuid', 'getgid', 'getegid', 'getgroups', 'availableMemory', 'constrainedMemory'])

/** Globals of Node itself (and the language's): the program cannot have set them before a deferred module loads. */
const HOST_GLOBALS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(globalThis),
  'undefined', 'NaN', 'Infinity', 'require', 'module', 'exports', '__filename', '__dirname', 'arguments',
])
const MUTABLE_PROCESS_MEMBERS = new Set(['env', 'argv', 'exitCode', 'title', 'cwd', 'hrtime', 'uptime'])

/** A cheap filter before the scope lookup: free identifiers in a value position. */
function isStateReadCandidate(path: NodePath): boolean {
  const parent = path.parentPath
  if (!parent) return false
  if ((parent.isMemberExpression() || parent.isOptionalMemberExpression()) && parent.node.property === path.node && !parent.node.computed) return false
  // A key (in shorthand `{ x }` the key and the value are one node: the value is what is read, and its binding decides).
  if ((parent.isObjectProperty() || parent.isObjectMethod() || parent.isClassMethod() || parent.isClassProperty()) && path.key === 'key' && !(parent.node as { computed?: boolean }).computed) return false
  if (!path.isReferencedIdentifier()) return false
  return !path.scope.getBinding(path.node.name)
}

/** The read, and what it reads, when the free identifier at `path` reads changeable state. */
function stateReadAt(path: NodePath): { path: NodePath; state: string } | undefined {
  const name = (path.node as { name: string }).name
  const parent = path.parentPath!
  if (parent.isUnaryExpression({ operator: 'typeof' })) return undefined
  // Writes are findings of their own, not reads.
  if (parent.isAssignmentExpression() && parent.node.left === path.node) return undefined
  const member = (parent.isMemberExpression() || parent.isOptionalMemberExpression()) && parent.node.object === path.node ? parent : undefined
  const prop = member ? memberChain(member).props[0] : undefined
  // The clock and cwd are read by a call; `const now = Date.now` only takes the function.
  const called = (m: NodePath): NodePath | undefined => (m.parentPath?.isCallExpression() && m.parentPath.node.callee === m.node ? m.parentPath : undefined)
  const clock = (read: NodePath | undefined) => (read ? { path: read, state: 'clock' } : undefined)
  if (name === 'process') {
    if (!member || prop === null || prop === undefined) return undefined
    if (!MUTABLE_PROCESS_MEMBERS.has(prop)) return undefined
    if ((prop === 'cwd' || prop === 'hrtime' || prop === 'uptime') && !called(member)) return undefined
    if (member.parentPath?.isAssignmentExpression() && member.parentPath.node.left === member.node) return undefined
    if (prop === 'hrtime' || prop === 'uptime') return clock(called(member))
    if (prop === 'cwd') return { path: called(member)!, state: 'cwd' }
    if (prop === 'env') {
      // `process.env.NAME` reads one variable; anything else (`process.env[name]`, `{ ...process.env }`) may read any.
      const outer = member.parentPath
      const variable = outer && (outer.isMemberExpression() || outer.isOptionalMemberExpression()) && outer.node.object === member.node ? memberChain(outer).props[1] : undefined
      return typeof variable === 'string' ? { path: outer!, state: `env:${variable}` } : { path: member, state: 'env' }
    }
    return { path: member, state: prop }
  }
  if (name === 'Date') {
    if (member) return prop === 'now' ? clock(called(member)) : undefined
    const call = parent.isCallExpression() || parent.isNewExpression() ? parent : undefined
    return call && call.node.callee === path.node && call.node.arguments.length === 0 ? clock(call) : undefined
  }
  if (name === 'performance') return member && prop === 'now' ? clock(called(member)) : undefined
  if (GLOBAL_OBJECTS.has(name)) {
    if (!member || prop === undefined) return undefined
    if (member.parentPath?.isAssignmentExpression() && member.parentPath.node.left === member.node) return undefined
    if (prop !== null && HOST_GLOBALS.has(prop)) return undefined
    // `globalThis[name]` may read any global: the snapshot cannot name it.
    return { path: member, state: prop === null ? 'global' : `global:${prop}` }
  }
  return HOST_GLOBALS.has(name) ? undefined : { path, state: `global:${name}` }
}

function position(node: Node): { line: number; column: number } {
  return { line: node.loc?.start.line ?? 0, column: (node.loc?.start.column ?? 0) + 1 }
}

function isRequireCall(path: NodePath): boolean {
  const node = path.node
  if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'require') return false
  if (node.arguments.length !== 1 || node.arguments[0]!.type !== 'StringLiteral') return false
  return !path.scope.getBinding('require')
}

type Add = (path: NodePath, kind: FindingKind, source?: string, callee?: string) => void

/** Whether `path` sits in a branch, loop body, `catch`/`finally` or `try` block of the module body. */
function isConditional(path: NodePath): boolean {
  let child: NodePath = path
  let current = path.parentPath
  while (current && !current.isProgram()) {
    const key = child.key
    if (current.isIfStatement() && key !== 'test') return true
    if ((current.isConditionalExpression() || current.isLogicalExpression()) && key !== 'test' && key !== 'left') return true
    if (current.isSwitchCase() || current.isLoop() || current.isTryStatement() || current.isCatchClause()) return true
    child = current
    current = current.parentPath
  }
  return false
}

function classify(path: NodePath, add: Add): void {
  const node = path.node
  switch (node.type) {
    case 'AwaitExpression':
    case 'ForOfStatement':
      if (!path.getFunctionParent()) add(path, 'top-level-await')
      return
    case 'ThrowStatement':
      // A throw inside a helper that evaluation calls, or behind a condition (`if (!supported)
      // throw …`), is a guard that does not fire where the program works; only an unconditional
      // throw in the module body is certain.
      if (!path.getFunctionParent() && !isConditional(path)) add(path, 'top-level-throw')
      else add(path, 'unknown-call')
      return
    case 'AssignmentExpression':
      classifyWrite(path, path.get('left') as NodePath, add)
      return
    case 'UpdateExpression':
    case 'UnaryExpression':
      classifyWrite(path, path.get('argument') as NodePath, add)
      return
    case 'TaggedTemplateExpression':
      classifyCall(path, path.get('tag') as NodePath, [], add)
      return
    case 'CallExpression':
    case 'OptionalCallExpression':
    case 'NewExpression':
      classifyCall(path, path.get('callee') as NodePath, (path.get('arguments') as NodePath[]), add)
      return
    default:
      return
  }
}

/** Where a binding came from, as far as effects are concerned. */
type BindingOrigin =
  | { kind: 'global'; name: string }
  | { kind: 'global-alias' }
  /** `imported`: the export bound (`'default'`), or `null` for the whole module (a namespace, `require('x')`). */
  | { kind: 'import'; source: string; imported: string | null; whole?: boolean }
  | { kind: 'local' }

function originOf(path: NodePath): BindingOrigin | undefined {
  if (path.isThisExpression()) return path.getFunctionParent() ? { kind: 'local' } : undefined
  if (!path.isIdentifier()) return undefined
  const name = path.node.name
  const binding = path.scope.getBinding(name)
  if (!binding) return { kind: 'global', name }
  const decl = binding.path
  if (decl.isImportSpecifier()) {
    const imported = decl.node.imported
    const source = (decl.parentPath.node as { source: { value: string } }).source.value
    return { kind: 'import', source, imported: imported.type === 'Identifier' ? imported.name : imported.value }
  }
  if (decl.isImportDefaultSpecifier() || decl.isImportNamespaceSpecifier()) {
    return { kind: 'import', source: (decl.parentPath.node as { source: { value: string } }).source.value, imported: null, whole: decl.isImportNamespaceSpecifier() }
  }
  if (decl.isVariableDeclarator()) {
    const init = decl.get('init') as NodePath
    const required = requiredSource(init)
    if (required !== undefined) {
      const id = decl.node.id
      let imported: string | null = null
      if (id.type === 'ObjectPattern') {
        const prop = id.properties.find((p) => p.type === 'ObjectProperty' && p.value.type === 'Identifier' && p.value.name === name)
        if (prop && prop.type === 'ObjectProperty' && prop.key.type === 'Identifier') imported = prop.key.name
      }
      // `const x = require('y')` binds the whole module; `require('y').z` or a wrapper call does not say.
      const whole = id.type === 'Identifier' && isRequireCall(init)
      return { kind: 'import', source: required, imported, whole }
    }
    if (binding.kind !== 'param' && isGlobalAliasInit(init, new Set())) return { kind: 'global-alias' }
  }
  return { kind: 'local' }
}

/** `require('x')`, `require('x').y`, `_interop(require('x'))`: the required specifier. */
function requiredSource(init: NodePath): string | undefined {
  let current: NodePath = init
  for (let depth = 0; depth < 4 && current.node; depth++) {
    if (current.isMemberExpression()) {
      current = current.get('object') as NodePath
      continue
    }
    if (current.isCallExpression()) {
      if (isRequireCall(current)) return ((current.node.arguments[0]) as { value: string }).value
      const args = current.get('arguments') as NodePath[]
      if (args.length !== 1) return undefined
      current = args[0]!
      continue
    }
    return undefined
  }
  return undefined
}

/** An initialiser that evaluates to the global object (or may): `typeof global == 'object' && global`, `Function('return this')()`. */
function isGlobalAliasInit(init: NodePath, seen: Set<string>): boolean {
  if (!init.node) return false
  let alias = false
  const check = (p: NodePath): void => {
    if (alias) return
    if (p.isIdentifier()) {
      const binding = p.scope.getBinding(p.node.name)
      if (!binding && GLOBAL_OBJECTS.has(p.node.name) && !isTypeofOperand(p)) alias = true
      else if (binding && !seen.has(p.node.name) && binding.path.isVariableDeclarator() && binding.kind !== 'param') {
        seen.add(p.node.name)
        if (isGlobalAliasInit(binding.path.get('init') as NodePath, seen)) alias = true
      }
    } else if ((p.isCallExpression() || p.isNewExpression()) && p.node.callee.type === 'Identifier' && p.node.callee.name === 'Function') {
      alias = true
    }
  }
  check(init)
  init.traverse({
    enter(p) {
      if (p.isFunction()) {
        p.skip()
        return
      }
      check(p)
    },
  })
  return alias
}

function isTypeofOperand(path: NodePath): boolean {
  const parent = path.parentPath
  return !!parent && parent.isUnaryExpression({ operator: 'typeof' })
}

function classifyWrite(path: NodePath, target: NodePath, add: Add): void {
  if (target.isIdentifier()) {
    // Writing a local is the module's own business; an undeclared name is an implicit global,
    // except the CommonJS wrapper's own parameters (`exports = module.exports = {}`).
    if (!target.scope.getBinding(target.node.name) && !COMMONJS_LOCALS.has(target.node.name)) add(path, 'global-write')
    return
  }
  if (!target.isMemberExpression() && !target.isOptionalMemberExpression()) return
  const chain = memberChain(target)
  const origin = originOf(chain.root)
  if (!origin || origin.kind === 'local') return
  if (origin.kind === 'global-alias') return add(path, 'global-write')
  if (origin.kind === 'import') return add(path, 'imported-write', origin.source)
  const name = origin.name
  if (name === 'module' || name === 'exports') return
  if (name === 'process') return add(path, 'process-state')
  if (GLOBAL_OBJECTS.has(name)) return add(path, chain.props.includes('prototype') ? 'prototype-patch' : 'global-write')
  if (BUILTINS.has(name)) return add(path, chain.props.includes('prototype') ? 'prototype-patch' : 'builtin-write')
  // A member of some other undeclared global (a host object we do not know): changes shared state.
  add(path, 'global-write')
}

function classifyCall(path: NodePath, callee: NodePath, args: NodePath[], add: Add): void {
  const isNew = path.isNewExpression()
  if (callee.isIdentifier()) {
    const origin = originOf(callee)!
    if (origin.kind === 'global') {
      const name = origin.name
      if (name === 'eval' || name === 'Function') return add(path, 'dynamic-code')
      if (TIMER_GLOBALS.has(name)) return add(path, 'timer')
      if (PURE_GLOBAL_CALLS.has(name)) return
      return add(path, 'unknown-call')
    }
    if (origin.kind === 'import') {
      const binding = callee.scope.getBinding(callee.node.name)!.path
      const called = binding.isImportDefaultSpecifier() ? 'default' : origin.imported ?? (origin.whole ? '*' : undefined)
      return classifyImportedCall(path, origin, origin.imported ?? callee.node.name, add, called)
    }
    if (origin.kind === 'local') {
      // Local functions and classes are followed: their bodies count as running (see EvaluationTracker).
      const binding = callee.scope.getBinding(callee.node.name)!
      const decl = binding.path
      if (decl.isFunctionDeclaration() || decl.isClassDeclaration()) return
      if (decl.isVariableDeclarator()) {
        const init = decl.node.init
        if (init && (init.type === 'FunctionExpression' || init.type === 'ArrowFunctionExpression' || init.type === 'ClassExpression')) return
      }
      return add(path, 'unknown-call')
    }
    return add(path, 'unknown-call')
  }

  if (callee.isFunctionExpression() || callee.isArrowFunctionExpression()) return // an IIFE: its body is analysed
  // `Function('return this')()`: the inner call is already a `dynamic-code` finding.
  if ((callee.isCallExpression() || callee.isNewExpression()) && callee.node.callee.type === 'Identifier' && callee.node.callee.name === 'Function') return
  if (!callee.isMemberExpression() && !callee.isOptionalMemberExpression()) return add(path, 'unknown-call')

  const chain = memberChain(callee)
  const method = chain.props[chain.props.length - 1] ?? null
  // `(function () {…}).call(this)`: an IIFE.
  if ((chain.root.isFunctionExpression() || chain.root.isArrowFunctionExpression()) && chain.props.length === 1 && (method === 'call' || method === 'apply')) return
  const origin = originOf(chain.root)
  // `require('node:fs').writeSync(…)`: the module's member, as if bound to a name first.
  const inlineRequired = origin ? undefined : requiredSource(chain.root)
  if (inlineRequired !== undefined) {
    const whole = chain.root.isCallExpression() && isRequireCall(chain.root)
    return classifyImportedCall(path, { source: inlineRequired }, chain.props[0] ?? null, add, whole && chain.props.length === 1 ? chain.props[0] ?? undefined : undefined)
  }
  if (!origin) {
    // Methods of literals (`[…].map(fn)`, `'a b'.split(' ')`) or of `this` at top level.
    if ((chain.root.isArrayExpression() || chain.root.isStringLiteral() || chain.root.isTemplateLiteral() || chain.root.isObjectExpression()) && method && PURE_METHODS.has(method)) return
    return add(path, 'unknown-call')
  }
  if (origin.kind === 'global-alias') return add(path, 'global-write')
  if (origin.kind === 'import') {
    // `ns.f()` on a namespace or a whole required module calls its export `f`; `d.f()` on a default
    // import calls the member `f` of the default export (`module.exports.f` for CommonJS).
    const defaultImport = chain.root.isIdentifier() && chain.root.scope.getBinding(chain.root.node.name)?.path.isImportDefaultSpecifier() === true
    const member = chain.props.length === 1 ? chain.props[0] ?? undefined : undefined
    const called = member === undefined ? undefined : origin.whole ? member : defaultImport ? `default.${member}` : undefined
    return classifyImportedCall(path, origin, chain.props[0] ?? null, add, called)
  }
  if (origin.kind === 'local') {
    if (chain.props.length === 1 && method && PURE_METHODS.has(method) && !isNew) return
    return add(path, 'unknown-call')
  }

  const root = origin.name
  // `console.warn.bind(console)` makes a logger; only calling it prints.
  if (root === 'console' && chain.props.length === 2 && method === 'bind' && !isNew) return
  if (root === 'console') return add(path, 'console')
  if (root === 'process') {
    const first = chain.props[0]
    if (first === 'stdout' || first === 'stderr' || first === 'stdin' || first === 'emitWarning') return add(path, 'stdio')
    if (chain.props.length === 1 && first && PROCESS_LISTENER_METHODS.has(first)) return add(path, 'process-handler')
    if (first === 'nextTick') return add(path, 'timer')
    // Reads. The ids (`getuid()`…) change only through `process.setuid()` and friends, which a
    // CLI calls to drop privileges for good, not to toggle: not modelled as state.
    if (chain.props.length === 1 && first && PROCESS_READ_CALLS.has(first)) return
    // Methods of values read from process (`process.argv.slice(2)`, `process.env.X.split(…)`) only read.
    if (first && PROCESS_READS.has(first) && chain.props.length > 1) return
    return add(path, 'process-state')
  }
  if (GLOBAL_OBJECTS.has(root)) {
    if (chain.props.length === 1 && method && TIMER_GLOBALS.has(method)) return add(path, 'timer')
    return add(path, 'unknown-call')
  }
  if (chain.props.length === 1 && method && DEFINE_METHODS[root]?.has(method)) {
    const target = args[0]
    if (target && targetsSharedObject(target)) return add(path, targetIsPrototype(target) ? 'prototype-patch' : 'global-write')
    return
  }
  if (chain.props.length === 1 && method && PURE_STATIC_CALLS[root]?.has(method)) return
  // `Object.prototype.hasOwnProperty.call(…)`, `Array.prototype.slice.call(…)`.
  if (BUILTINS.has(root) && chain.props[0] === 'prototype' && (method === 'call' || method === 'apply')) return
  add(path, 'unknown-call')
}

/** The target of `Object.defineProperty(target, …)` & co. is a builtin, a global object or their members. */
function targetsSharedObject(target: NodePath): boolean {
  const chain = memberChain(target)
  const origin = originOf(chain.root)
  if (!origin) return false
  if (origin.kind === 'global-alias') return true
  if (origin.kind !== 'global') return false
  const name = origin.name
  return GLOBAL_OBJECTS.has(name) || BUILTINS.has(name) || name === 'process' || name === 'console'
}

function targetIsPrototype(target: NodePath): boolean {
  return memberChain(target).props.includes('prototype')
}

function classifyImportedCall(path: NodePath, origin: { source: string }, member: string | null, add: Add, callee?: string): void {
  const module = nodeModuleName(origin.source)
  if (PURE_NODE_MODULES.has(module)) return
  if (IO_NODE_MODULES.has(module)) {
    const callee = path.isTaggedTemplateExpression() ? undefined : ((path.node as { callee: Node }).callee)
    const last = callee?.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : member
    if (last && IO_MEMBERS.has(last)) return add(path, 'io')
    if (member && IO_MEMBERS.has(member)) return add(path, 'io')
    return
  }
  add(path, 'imported-call', origin.source, path.isNewExpression() ? undefined : callee)
}

/** Whether code runs while the module evaluates: surely, maybe (a callback handed to unseen code), or not. */
const Runs = { No: 0, Maybe: 1, Yes: 2 } as const
type Runs = (typeof Runs)[keyof typeof Runs]

/** Calls known to invoke the callbacks they are given, right away. */
const INVOKING_METHODS = new Set(['map', 'filter', 'reduce', 'reduceRight', 'forEach', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap', 'sort', 'replace', 'replaceAll', 'call', 'apply'])

/**
 * Decides which code runs while the module evaluates. Memoised per function; a function whose
 * answer is being computed counts as not running (recursion adds nothing new).
 */
class EvaluationTracker {
  readonly #functions = new Map<Node, Runs>()

  /** `called`: a function whose body counts as running (an export a caller calls at load). */
  constructor(called?: Node) {
    if (called) this.#functions.set(called, Runs.Yes)
  }

  atEvaluation(path: NodePath): Runs {
    if (inUntakenBranch(path)) return Runs.No
    const context = enclosingContext(path)
    return context === null ? Runs.Yes : this.contextRuns(context)
  }

  contextRuns(context: NodePath): Runs {
    const cached = this.#functions.get(context.node)
    if (cached !== undefined) return cached
    this.#functions.set(context.node, Runs.No)
    const result = this.#computeRuns(context)
    this.#functions.set(context.node, result)
    return result
  }

  #computeRuns(context: NodePath): Runs {
    // Instance fields and constructors run when the class is instantiated.
    if (context.isClassProperty() || context.isClassPrivateProperty() || context.isClassAccessorProperty() || context.isClassMethod({ kind: 'constructor' })) {
      const classPath = context.parentPath?.parentPath
      return classPath ? this.#bindingInvoked(classPath, true) : Runs.No
    }
    if (context.isClassMethod() || context.isClassPrivateMethod() || context.isObjectMethod()) return Runs.No

    const parent = context.parentPath
    if (!parent) return Runs.No
    // IIFE: `(function () {…})()`, `new function () {…}()`, `(() => {…})()`.
    if ((parent.isCallExpression() || parent.isNewExpression() || parent.isOptionalCallExpression()) && parent.node.callee === context.node) {
      return this.atEvaluation(parent)
    }
    // `(function () {…}).call(this)`.
    if (parent.isMemberExpression() && parent.node.object === context.node) {
      const grand = parent.parentPath
      if (grand && grand.isCallExpression() && grand.node.callee === parent.node) return this.atEvaluation(grand)
      return Runs.No
    }
    if ((parent.isCallExpression() || parent.isNewExpression() || parent.isOptionalCallExpression()) && parent.node.arguments.includes(context.node as never)) {
      return Math.min(this.atEvaluation(parent), this.#invokesCallbacks(parent, context.node)) as Runs
    }
    return this.#bindingInvoked(context, false)
  }

  /**
   * Whether a call invokes the callback `argument` it is given, right away: surely for array-style
   * methods, `new Promise` and a local function that calls that parameter (a UMD factory); not for
   * a local function that only decorates and returns it (`hideStackFrames(function () {…})`);
   * maybe for anything else.
   */
  #invokesCallbacks(call: NodePath, argument?: Node): Runs {
    const callee = call.get('callee') as NodePath
    if (callee.isFunctionExpression() || callee.isArrowFunctionExpression()) return Runs.Yes
    if (call.isNewExpression() && callee.isIdentifier({ name: 'Promise' }) && !callee.scope.getBinding('Promise')) return Runs.Yes
    if (callee.isMemberExpression() && !callee.node.computed && callee.node.property.type === 'Identifier' && INVOKING_METHODS.has(callee.node.property.name)) return Runs.Yes
    if (callee.isIdentifier()) {
      const decl = callee.scope.getBinding(callee.node.name)?.path
      if (decl?.isFunctionDeclaration()) return parameterInvoked(decl, call, argument)
      if (decl?.isVariableDeclarator()) {
        const init = decl.get('init') as NodePath
        if (init.isFunctionExpression() || init.isArrowFunctionExpression()) return parameterInvoked(init, call, argument)
      }
    }
    return Runs.Maybe
  }

  /** Whether the local name of a function or class is called, instantiated or handed to a call while evaluating. */
  #bindingInvoked(declaration: NodePath, classOnly: boolean): Runs {
    let name: string | undefined
    let scopePath: NodePath = declaration
    const node = declaration.node
    if ((node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') && node.id) {
      name = node.id.name
      scopePath = declaration.parentPath ?? declaration
    } else {
      const parent = declaration.parentPath
      if (parent && parent.isVariableDeclarator() && parent.node.id.type === 'Identifier') {
        name = parent.node.id.name
        scopePath = parent
      }
    }
    if (!name) return Runs.No
    const binding = scopePath.scope.getBinding(name)
    if (!binding) return Runs.No
    let best: Runs = Runs.No
    for (const ref of binding.referencePaths) {
      const parent = ref.parentPath
      if (!parent) continue
      let runs: Runs = Runs.No
      if (((parent.isCallExpression() || parent.isOptionalCallExpression()) && parent.node.callee === ref.node && !classOnly) || (parent.isNewExpression() && parent.node.callee === ref.node)) {
        runs = this.atEvaluation(parent)
      } else if (!classOnly && (parent.isCallExpression() || parent.isNewExpression()) && parent.node.arguments.includes(ref.node as never)) {
        runs = Math.min(this.atEvaluation(parent), this.#invokesCallbacks(parent, ref.node)) as Runs
      }
      if (runs > best) best = runs
      if (best === Runs.Yes) break
    }
    return best
  }
}

/** Builtins that take a function as their first argument without calling it. */
const NON_INVOKING_TARGETS = new Set(['defineProperty', 'defineProperties', 'assign', 'setPrototypeOf', 'freeze'])

/**
 * What a local function does with the parameter `argument` is passed to: `Yes` when its own body
 * calls it, `No` when it only reads members of it, decorates it with `Object.defineProperty` and
 * friends, or returns it, `Maybe` otherwise (stored, passed on, called from a nested function).
 */
function parameterInvoked(fn: NodePath, call: NodePath, argument: Node | undefined): Runs {
  const index = argument ? (call.node as { arguments: Node[] }).arguments.indexOf(argument) : -1
  const param = index >= 0 ? (fn.node as { params: Node[] }).params[index] : undefined
  // Unknown position, destructuring or rest: assume the old answer, a UMD factory calls it.
  if (!param || param.type !== 'Identifier') return Runs.Yes
  const binding = fn.scope.getBinding(param.name)
  if (!binding || binding.path.node !== param) return Runs.Yes
  // `arguments[0]()` calls it without naming it.
  let usesArguments = false
  fn.traverse({
    Identifier(path) {
      if (path.node.name === 'arguments' && path.isReferencedIdentifier()) usesArguments = true
    },
    Function(path) {
      if (!path.isArrowFunctionExpression()) path.skip()
    },
  })
  if (usesArguments) return Runs.Yes
  let result: Runs = Runs.No
  for (const ref of binding.referencePaths) {
    const parent = ref.parentPath!
    const own = ref.getFunctionParent()?.node === fn.node
    const calledHere = ((parent.isCallExpression() || parent.isNewExpression()) && parent.node.callee === ref.node) ||
      (parent.isMemberExpression() && parent.node.object === ref.node && !parent.node.computed && parent.node.property.type === 'Identifier' &&
        (parent.node.property.name === 'call' || parent.node.property.name === 'apply') && parent.parentPath?.isCallExpression() === true && parent.parentPath.node.callee === parent.node)
    if (calledHere) {
      if (own) return Runs.Yes
      result = Runs.Maybe
      continue
    }
    if (!own) {
      result = Runs.Maybe
      continue
    }
    if (parent.isReturnStatement() || (parent.isArrowFunctionExpression() && parent.node.body === ref.node)) {
      // A decorator hands it back: called now if the caller calls the result at once (`id(f)()`).
      const outer = call.parentPath
      if ((outer?.isCallExpression() || outer?.isNewExpression()) && outer.node.callee === call.node) return Runs.Yes
      result = Runs.Maybe
      continue
    }
    if (parent.isMemberExpression() && parent.node.object === ref.node && !(parent.parentPath?.isCallExpression() && parent.parentPath.node.callee === parent.node) && !(parent.parentPath?.isAssignmentExpression() && parent.parentPath.node.left === parent.node)) continue
    if (parent.isCallExpression() && parent.node.arguments[0] === ref.node) {
      const target = parent.node.callee
      if (target.type === 'MemberExpression' && target.object.type === 'Identifier' && target.object.name === 'Object' && target.property.type === 'Identifier' && NON_INVOKING_TARGETS.has(target.property.name)) continue
    }
    // Handed on to another call: as for any callback handed to code the analysis does not
    // follow, maybe (surely, for the array methods that call it at once).
    if ((parent.isCallExpression() || parent.isNewExpression()) && parent.node.arguments.includes(ref.node as never)) {
      const callee = parent.node.callee
      if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && INVOKING_METHODS.has(callee.property.name)) return Runs.Yes
      result = Runs.Maybe
      continue
    }
    // An alias (`const g = f; g()`) or anything else: it may be called right here.
    return Runs.Yes
  }
  return result
}

/**
 * The innermost function, method or instance field whose body holds `path`, or `null` when the
 * code runs as part of the module body (including static blocks and static fields).
 */
function enclosingContext(path: NodePath): NodePath | null {
  let child: NodePath = path
  let current = path.parentPath
  while (current) {
    if (current.isFunction()) {
      const node = current.node as { key?: Node; computed?: boolean }
      if (!(node.computed && node.key === child.node)) return current
    } else if ((current.isClassProperty() || current.isClassPrivateProperty() || current.isClassAccessorProperty()) && !current.node.static) {
      if ((current.node as { value?: Node | null }).value === child.node) return current
    }
    child = current
    current = current.parentPath
  }
  return null
}
