/**
 * Which static imports of one module only async code needs, and where they are used.
 *
 * An import is a candidate when every value reference to every binding it declares sits in the
 * body of an async function (async functions, arrows, methods and generators), not nested in a
 * sync function, class body or parameter list, because only there can `await` load it. Each use
 * is then classified by evaluation order (see `docs/lazy-imports.md`, "Evaluation order"):
 * - `after-await`: an `await` of the same function always runs before the use, so the function
 *   has already yielded to its caller and the added load cannot reorder anything the caller does.
 * - `callers-await`: the first suspension moves to the use. Kept only when no call of the
 *   function in this module lets the caller run on (a bare `f(); more()`, `Promise.all([f(), g()])`).
 */
import type { Node } from '@babel/types'
import { traverse, type NodePath } from '../analysis/babel-traverse.js'
import { CONDITIONAL_KEYS } from '../core/ast/conditional-keys.js'

export type BindingImport = { kind: 'named'; name: string } | { kind: 'default' } | { kind: 'namespace' }

export interface LazyUse {
  start: number
  end: number
  binding: BindingImport
  /** How the reference is embedded: decides the replacement's shape. */
  shape: 'value' | 'callee' | 'new-callee' | 'shorthand' | 'registrar'
  /** For `shorthand`: the property node's range and key. */
  property?: { start: number; end: number; key: string }
  order: 'after-await' | 'callers-await'
  /** Set for uses inside sync closures: the module is loaded before this offset, the use reads it directly. */
  preloadAt?: number
  /** The use is the first token of its statement: a replacement starting with `(` needs a `;` (no-semicolon style). */
  startsStatement: boolean
  /** For a namespace binding read as `ns.name` (static member, not written): the name read. */
  member?: string
  /** For `ns.name(…)`: the call's `this` is the namespace (see `namespace-this.ts`). */
  calledAsMethod?: boolean
}

export interface LazyCandidate {
  source: string
  /** Range of the whole import declaration. */
  start: number
  end: number
  line: number
  column: number
  /** Set when the import must stay static; `uses` may then be incomplete. */
  refusal?: string
  /** Whether any binding is used inside an async function at all (refusals of others are noise). */
  usedInAsync: boolean
  uses: LazyUse[]
  /**
   * Set when the import cannot be loaded synchronously on first use either: a use at top level,
   * in a class field initialiser or static block, or one of the refusals common to both forms.
   */
  syncRefusal?: string
  /** Every value use, for the synchronous form (complete when `syncRefusal` is unset). */
  syncUses: LazyUse[]
  /** Whether any binding is used inside a function body (refusals of imports that are not are noise in packages). */
  usedInFunction: boolean
  /**
   * Bindings handed at load to a call as an argument (`.action(scan)`), and otherwise only called:
   * the synchronous form replaces them with a stub that loads on first call (`registrar-stub.ts`).
   */
  registrars?: Array<{ local: string; binding: BindingImport; at: string }>
}

/**
 * Methods by which CLI frameworks register a handler they call later (commander's `action` and
 * `hook`, yargs' `command`, `middleware` and `check`). Not event emitters' `on`/`off`: a listener
 * is removed by identity, possibly from another module that holds the real function.
 */
const REGISTRAR_METHODS = new Set(['action', 'command', 'middleware', 'hook', 'check', 'handler', 'register'])

/**
 * Whether `ref` is handed whole to a registrar at load: an argument of a registrar method called
 * on an object of the program (`program.command('x').action(ref)`, `yargs(…).command(…, ref)`).
 * Not a bare call (`String(ref)` prints the source, `inherits(A, ref)` reads its prototype,
 * `promisify(ref)` its symbols) and not a method of a global (`console.log(ref)`, `Object.assign`).
 */
function isRegistrarArgument(ref: NodePath): boolean {
  const parent = ref.parentPath
  if (!parent || !(parent.isCallExpression() || parent.isOptionalCallExpression())) return false
  if (!(parent.node.arguments as Node[]).includes(ref.node)) return false
  const callee = parent.node.callee as Node
  if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return false
  if (callee.computed || callee.property.type !== 'Identifier' || !REGISTRAR_METHODS.has(callee.property.name)) return false
  let root: Node = callee
  for (;;) {
    if (root.type === 'MemberExpression' || root.type === 'OptionalMemberExpression') root = root.object
    else if (root.type === 'CallExpression' || root.type === 'OptionalCallExpression') root = root.callee as Node
    else break
  }
  // The chain's root: a binding of the module (`program`, an imported `yargs`), never a global.
  return root.type === 'Identifier' && parent.scope.hasBinding(root.name, true)
}

/** Whether evaluating `node` to completion always evaluates an `await` (not in nested functions or branches). */
function awaitsUnconditionally(node: Node | null | undefined): boolean {
  if (!node || typeof node !== 'object') return false
  if (node.type === 'AwaitExpression') return true
  if (node.type === 'ForOfStatement' && node.await) return true
  if (node.type.includes('Function') || node.type === 'ClassMethod' || node.type === 'ObjectMethod' || node.type.startsWith('Class')) return false
  const conditional = CONDITIONAL_KEYS[node.type] ?? []
  const record = node as unknown as Record<string, unknown>
  for (const key of Object.keys(record)) {
    if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments' || key === 'extra') continue
    if (conditional.includes(key)) continue
    // An exception before the await jumps to the handler, which then goes on without awaiting.
    if (node.type === 'TryStatement' && key === 'block' && record.handler) continue
    const value = record[key]
    if (Array.isArray(value)) {
      if (value.some((item) => isNodeLike(item) && awaitsUnconditionally(item))) return true
    } else if (isNodeLike(value) && awaitsUnconditionally(value)) {
      return true
    }
  }
  return false
}

function isNodeLike(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
}

/** Whether an `await` of `fn` always runs before `use` is evaluated. */
export function precededByAwait(use: NodePath, fn: NodePath): boolean {
  let child: NodePath = use
  let parent = use.parentPath
  while (parent && parent.node !== fn.node) {
    const node = parent.node as unknown as Record<string, unknown>
    if (parent.isForOfStatement() && child.key === 'body' && (parent.node.await || awaitsUnconditionally(parent.node.right))) return true
    if ((parent.isIfStatement() || parent.isConditionalExpression() || parent.isWhileStatement()) && child.key !== 'test' && awaitsUnconditionally(node.test as Node)) return true
    if ((parent.isBinaryExpression() || parent.isLogicalExpression()) && child.key === 'right' && awaitsUnconditionally(node.left as Node)) return true
    if ((parent.isCallExpression() || parent.isNewExpression()) && child.listKey === 'arguments' && awaitsUnconditionally(node.callee as Node)) return true
    if (parent.isMemberExpression() && child.key === 'property' && awaitsUnconditionally(node.object as Node)) return true
    if (child.listKey && typeof child.key === 'number') {
      const siblings = node[child.listKey] as Node[]
      for (let i = 0; i < child.key; i++) if (awaitsUnconditionally(siblings[i])) return true
    }
    child = parent
    parent = parent.parentPath
  }
  return false
}

/**
 * The async function that holds `use`, or why there is none. A use inside sync closures
 * (arrows, function expressions, object methods) created inside an async function is allowed:
 * the module is then loaded by a statement inserted before the statement that creates the
 * outermost closure (`preload`), so the closure, which cannot exist before, reads it synchronously.
 * Function declarations are hoisted (callable before any such statement) and stay refused.
 */
function asyncContext(use: NodePath): { fn: NodePath; preload?: NodePath } | { refusal: string } {
  let child: NodePath = use
  let current = use.parentPath
  let outermostClosure: NodePath | undefined
  while (current) {
    if (current.isFunction()) {
      if ((current.node.params as Node[]).includes(child.node)) return { refusal: 'used in a parameter default, evaluated before the function body can await' }
      if (!current.node.async) {
        const expression = current.isArrowFunctionExpression() || current.isFunctionExpression() || current.isObjectMethod()
        if (!expression || current.node.generator) {
          return { refusal: current.getFunctionParent() ? 'used in a sync function nested in other code (cannot await there)' : 'used in a sync function' }
        }
        outermostClosure = current
      } else {
        if (!outermostClosure) return { fn: current }
        const preload = preloadPoint(outermostClosure, current)
        if (!preload) return { refusal: 'used in a sync callback whose creating statement has no place for a load (expression-bodied async arrow)' }
        return { fn: current, preload }
      }
    }
    if (current.isClass() || current.isStaticBlock() || current.isClassProperty() || current.isClassPrivateProperty()) {
      return { refusal: 'used in a class body (field initialiser or static block), evaluated synchronously' }
    }
    if (current.isProgram()) return { refusal: outermostClosure ? 'used in a sync function' : 'used at top level' }
    child = current
    current = current.parentPath
  }
  return { refusal: 'used at top level' }
}

/**
 * Why a use cannot load its module synchronously where it runs, if it cannot: only code inside a
 * function body (or parameter list) runs after the module's evaluation, at a call; top-level
 * code, class field initialisers and static blocks run while the module evaluates.
 */
function syncContextRefusal(use: NodePath): string | undefined {
  let child: NodePath = use
  let current = use.parentPath
  while (current) {
    if (current.isFunction()) {
      const node = current.node as { key?: Node; computed?: boolean }
      // A computed method key is evaluated with the class or object, not at a call.
      if (!(node.computed && node.key === child.node)) return undefined
    }
    if (current.isStaticBlock() || ((current.isClassProperty() || current.isClassPrivateProperty() || current.isClassAccessorProperty()) && child.key === 'value')) {
      return 'used in a class field initialiser or static block (a sync load on first use is refused there)'
    }
    if (current.isProgram()) return 'used at top level'
    child = current
    current = current.parentPath
  }
  return 'used at top level'
}

/** The statement of `fn` (directly in a statement list) whose evaluation creates `closure`. */
function preloadPoint(closure: NodePath, fn: NodePath): NodePath | undefined {
  let current: NodePath | null = closure.parentPath
  while (current && current.node !== fn.node) {
    const parent = current.parentPath
    if (current.isStatement() && parent && (parent.isBlockStatement() || parent.isSwitchCase()) && typeof current.key === 'number') return current
    current = parent
  }
  return undefined
}

/** A function declaration or `const f = …` has callers this module can list; a method or callback has not. */
function callersKnown(fn: NodePath): boolean {
  return (fn.isFunctionDeclaration() && fn.node.id != null) || (fn.parentPath?.isVariableDeclarator() === true && fn.parentPath.node.id.type === 'Identifier')
}

/** Calls of a local async function that let the caller run on before the function finishes. */
export function unawaitedLocalCall(fn: NodePath, awaitedExports?: ReadonlySet<string>): NodePath | string | undefined {
  let nameHolder: NodePath | undefined
  let name: string | undefined
  if (fn.isFunctionDeclaration() && fn.node.id) {
    name = fn.node.id.name
    nameHolder = fn
  } else if (fn.parentPath?.isVariableDeclarator() && fn.parentPath.node.id.type === 'Identifier') {
    name = fn.parentPath.node.id.name
    nameHolder = fn.parentPath
  }
  if (!name || !nameHolder) return undefined // a method or an anonymous callback: callers unknown
  const binding = nameHolder.scope.getBinding(name)
  if (!binding) return undefined
  const declaration = nameHolder.isVariableDeclarator() ? nameHolder.parentPath : nameHolder
  const exported =
    declaration?.parentPath?.isExportNamedDeclaration() ||
    declaration?.parentPath?.isExportDefaultDeclaration() ||
    binding.referencePaths.some((ref) => ref.parentPath?.isExportSpecifier() || ref.parentPath?.isExportDefaultDeclaration())
  let awaitedLocally = false
  for (const ref of binding.referencePaths) {
    const call = ref.parentPath
    if (!call || !call.isCallExpression() || call.node.callee !== ref.node) continue
    if (!isAwaitedCall(call)) return call
    awaitedLocally = true
  }
  // Issue 3: an exported function only other modules call may be called without await there
  // (execa sets up stream listeners before its first await, and its caller pipes right after).
  if (exported && !awaitedLocally && !awaitedExports?.has(name)) return `${name} is exported and never awaited in this module: callers elsewhere may not await it`
  return undefined
}

/** `await f()`, `return f()` in an async function, `async () => f()`, or the program's last statement (`f().catch(…)`). */
function isAwaitedCall(call: NodePath): boolean {
  let expr: NodePath = call
  // `f().then(…)`, `f().catch(…)`, `f().finally(…)`: the chain stands for the call.
  for (;;) {
    const member = expr.parentPath
    const outer = member?.parentPath
    if (
      member?.isMemberExpression() &&
      member.node.object === expr.node &&
      member.node.property.type === 'Identifier' &&
      ['then', 'catch', 'finally'].includes(member.node.property.name) &&
      outer?.isCallExpression() &&
      outer.node.callee === member.node
    ) {
      expr = outer
      continue
    }
    break
  }
  const parent = expr.parentPath
  if (!parent) return false
  if (parent.isAwaitExpression()) return true
  // Returned from an async function only: a sync one (`streams.map((s) => f(s))`) hands the
  // promise to a caller that runs on at once (issue 3, execa's waitForStdioStreams).
  if (parent.isReturnStatement()) return parent.getFunctionParent()?.node.async === true
  if (parent.isArrowFunctionExpression() && parent.node.body === expr.node) return parent.node.async
  if (parent.isExpressionStatement() && parent.parentPath?.isProgram()) {
    const body = parent.parentPath.node.body
    return body.indexOf(parent.node) === body.length - 1 || body.slice(body.indexOf(parent.node) + 1).every(isDeclarationOnly)
  }
  return false
}

/** Statements that run no code when reached: declarations of functions, imports, type-only exports. */
function isDeclarationOnly(statement: Node): boolean {
  if (statement.type === 'FunctionDeclaration' || statement.type === 'ImportDeclaration' || statement.type === 'EmptyStatement') return true
  if (statement.type === 'ExportNamedDeclaration') return !statement.declaration || statement.declaration.type === 'FunctionDeclaration'
  return statement.type.startsWith('TS')
}

export function isTypeOnlyReference(path: NodePath): boolean {
  let current = path.parentPath
  while (current) {
    const type = current.node.type
    if (type.startsWith('TS') && !['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'TSInstantiationExpression'].includes(type)) return true
    if (current.isStatement() || current.isExpression()) {
      if (!type.startsWith('TS')) return false
    }
    current = current.parentPath
  }
  return false
}

function bindingImport(specifier: Node): BindingImport {
  if (specifier.type === 'ImportDefaultSpecifier') return { kind: 'default' }
  if (specifier.type === 'ImportNamespaceSpecifier') return { kind: 'namespace' }
  if (specifier.type === 'ImportSpecifier') {
    const imported = specifier.imported
    const name = imported.type === 'Identifier' ? imported.name : imported.value
    return name === 'default' ? { kind: 'default' } : { kind: 'named', name }
  }
  throw new Error(`[cli-optimizer] unexpected import specifier ${specifier.type}`)
}

/** Every value import of the module with its uses, and why it cannot be deferred when it cannot. */
export function findLazyCandidates(ast: Node, awaitedExports?: ReadonlySet<string>): LazyCandidate[] {
  const candidates: LazyCandidate[] = []
  const reexport = (node: Node & { source?: { value: string } | null }): void => {
    if (!node.source) return
    candidates.push({
      source: node.source.value,
      start: node.start!,
      end: node.end!,
      line: node.loc!.start.line,
      column: node.loc!.start.column + 1,
      refusal: 're-export (export … from): the binding must exist as soon as the module is loaded',
      syncRefusal: 're-export (export … from): the binding must exist as soon as the module is loaded',
      usedInAsync: false,
      uses: [],
      syncUses: [],
      usedInFunction: false,
    })
  }
  traverse(ast, {
    ExportNamedDeclaration(path) {
      if ((path.node as { exportKind?: string }).exportKind !== 'type') reexport(path.node)
    },
    ExportAllDeclaration(path) {
      if ((path.node as { exportKind?: string }).exportKind !== 'type') reexport(path.node)
    },
    ImportDeclaration(path) {
      path.skip()
      const node = path.node
      if (node.importKind === 'type' || node.importKind === 'typeof') return
      const candidate: LazyCandidate = {
        source: node.source.value,
        start: node.start!,
        end: node.end!,
        line: node.loc!.start.line,
        column: node.loc!.start.column + 1,
        usedInAsync: false,
        uses: [],
        syncUses: [],
        usedInFunction: false,
      }
      candidates.push(candidate)
      const refuse = (reason: string): void => {
        candidate.refusal ??= reason
      }
      // Refusals that hold for the synchronous form as well.
      const refuseBoth = (reason: string): void => {
        refuse(reason)
        candidate.syncRefusal ??= reason
      }
      if (node.specifiers.length === 0) return refuseBoth('side-effect-only import: its evaluation is the point')
      if ((node.attributes?.length ?? 0) > 0 || ((node as { assertions?: unknown[] }).assertions?.length ?? 0) > 0) refuseBoth('import attributes are kept static')
      const callerChecked = new Map<Node, NodePath | string | undefined>()
      let valueUses = 0
      for (const specifier of path.get('specifiers')) {
        if (specifier.isImportSpecifier() && (specifier.node.importKind === 'type' || specifier.node.importKind === 'typeof')) continue
        const local = (specifier.node as { local: { name: string } }).local.name
        const binding = path.scope.getBinding(local)
        if (!binding) continue
        if (binding.constantViolations.length > 0) refuseBoth(`${local} is assigned to`)
        const imported = bindingImport(specifier.node)
        /** Where the binding is first handed to a call at load, if it is. */
        let registrarAt: string | undefined
        /** The first sync use of this binding that is neither a call nor a registrar argument. */
        let valueAt: string | undefined
        for (const ref of binding.referencePaths) {
          if (isTypeOnlyReference(ref)) continue
          valueUses++
          const at = `${local} (line ${ref.node.loc?.start.line ?? '?'})`
          if (ref.parentPath?.isExportSpecifier()) {
            refuseBoth(`${at} is re-exported: an export needs the binding at load time`)
            continue
          }
          if (ref.node.type === 'JSXIdentifier' || ref.parentPath?.node.type.startsWith('JSX')) {
            refuseBoth(`${at} is used in JSX`)
            continue
          }
          const syncRefusal = syncContextRefusal(ref)
          // After the import statement: the stub's `name` is set where the import was (hoisted imports aside).
          if (syncRefusal === 'used at top level' && imported.kind !== 'namespace' && ref.node.start! > candidate.end && isRegistrarArgument(ref)) {
            // Handed to a registrar at load: a stub stands in (checked below and against the export).
            registrarAt ??= at
            candidate.usedInFunction = true
            candidate.syncUses.push({ ...useOf(ref, imported, 'after-await'), shape: 'registrar' })
          } else if (syncRefusal) candidate.syncRefusal ??= `${at} ${syncRefusal}`
          else {
            candidate.usedInFunction = true
            const use = useOf(ref, imported, 'after-await')
            if (use.shape !== 'callee') valueAt ??= at
            candidate.syncUses.push(use)
          }
          const context = asyncContext(ref)
          if ('refusal' in context) {
            refuse(`${at} ${context.refusal}`)
            continue
          }
          candidate.usedInAsync = true
          let order: LazyUse['order'] = 'after-await'
          // With a preload, the load happens at the preload statement: classify that position.
          if (!precededByAwait(context.preload ?? ref, context.fn)) {
            order = 'callers-await'
            if (!callerChecked.has(context.fn.node)) callerChecked.set(context.fn.node, unawaitedLocalCall(context.fn, awaitedExports))
            const call = callerChecked.get(context.fn.node)
            if (typeof call === 'string') {
              refuse(`${at} runs before any await of its function, and ${call}`)
              continue
            }
            if (call) {
              refuse(`${at} runs before any await of its function, and the call at line ${call.node.loc?.start.line ?? '?'} does not await the function: the caller's code after it would run earlier`)
              continue
            }
            // Issue 3: a method or callback may be called without await, or several times at once.
            if (!callersKnown(context.fn)) {
              refuse(`${at} runs before any await of a method or callback whose callers are unknown: a caller that does not await it would run on before the use`)
              continue
            }
          }
          const use = useOf(ref, imported, order)
          if (context.preload) use.preloadAt = context.preload.node.start!
          candidate.uses.push(use)
        }
        if (registrarAt) {
          // Any use but a call would see the stub instead of the function (`===`, `.name` reads):
          // the stub is only sound where the binding is otherwise only called.
          if (valueAt) candidate.syncRefusal ??= `${local} is handed to a call at load and also used as a value (${valueAt}): a stub would not be the same function`
          else (candidate.registrars ??= []).push({ local, binding: imported, at: registrarAt })
        }
      }
      if (valueUses === 0) refuseBoth('no binding is used as a value')
    },
  })
  return candidates
}

function useOf(ref: NodePath, binding: BindingImport, order: LazyUse['order']): LazyUse {
  const parent = ref.parentPath!
  const node = ref.node
  const statement = ref.getStatementParent()
  // Only in a statement list: `if (c) ;(0, f)()` would turn the `;` into the branch.
  const inList = statement !== null && typeof statement.key === 'number'
  const startsStatement = inList && statement.node.start === node.start
  const base: Omit<LazyUse, 'shape'> = { start: node.start!, end: node.end!, binding, order, startsStatement }
  if (binding.kind === 'namespace' && parent.isMemberExpression() && parent.node.object === node) {
    const property = parent.node.property
    const name = !parent.node.computed && property.type === 'Identifier' ? property.name : property.type === 'StringLiteral' ? property.value : undefined
    const outer = parent.parentPath
    const written = (outer?.isAssignmentExpression() && outer.node.left === parent.node) || outer?.isUpdateExpression() || outer?.isUnaryExpression({ operator: 'delete' })
    if (name !== undefined && !written) base.member = name
    if ((outer?.isCallExpression() || outer?.isOptionalCallExpression()) && outer.node.callee === parent.node) base.calledAsMethod = true
    if (outer?.isTaggedTemplateExpression() && outer.node.tag === parent.node) base.calledAsMethod = true
  }
  if (parent.isObjectProperty() && parent.node.shorthand && parent.node.value === node) {
    const key = (parent.node.key as { name: string }).name
    return { ...base, shape: 'shorthand', property: { start: parent.node.start!, end: parent.node.end!, key } }
  }
  if ((parent.isCallExpression() || parent.isOptionalCallExpression()) && parent.node.callee === node) return { ...base, shape: 'callee' }
  if (parent.isTaggedTemplateExpression() && parent.node.tag === node) return { ...base, shape: 'callee' }
  if (isNewCallee(ref)) return { ...base, shape: 'new-callee' }
  return { ...base, shape: 'value' }
}

/**
 * `new x()`, and also `new x.a.B()`: the accessor put in place of `x` is a call, and
 * `new getX().a.B()` would construct `getX` itself, so the whole chain's head needs parentheses.
 */
function isNewCallee(ref: NodePath): boolean {
  let path = ref
  while (path.parentPath?.isMemberExpression() && path.parentPath.node.object === path.node) path = path.parentPath
  return path.parentPath?.isNewExpression() === true && path.parentPath.node.callee === path.node
}
