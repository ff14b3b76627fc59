/**
 * Cold tails: the part of an entry's async function that runs only once it needs a deferred
 * import.
 *
 * Deferring imports empties the entry of the modules it imports, but not of its own code: a CLI's
 * `main()` still carries routing, help and error formatting that `--version` never runs. When a
 * statement of an async function uses a deferred import, that statement and every one after it
 * (the tail) can only run after a load anyway; the tail moves to a module loaded at that point, so
 * the entry keeps the head: the statements that run before anything deferred is needed.
 *
 * ```js
 * async function main(argv) {                 async function main(argv) {
 *   const [first, ...rest] = argv               const [first, ...rest] = argv
 *   if (first === '--version') return print()   if (first === '--version') return print()
 *   const byName = index(commands)      →       return (tails ?? await loadTails()).main(first, rest)
 *   …                                         }
 * }
 * ```
 *
 * A tail is moved only when nothing can tell (see `docs/lazy-imports.md`, "Cold tails"):
 * - the function is a top-level async function (declaration or `const f = async …` with a block
 *   body) whose callers in this module await it, or the split point follows an `await` of it;
 * - the tail reads the head's locals and parameters only if they are never reassigned (they are
 *   passed by value), module-level functions that are never reassigned (passed too) and imports
 *   (imported again by the tail module, where the lazy rewrite defers them as before); any other
 *   module-level variable, `this`, `arguments`, `super`, `new.target`, `import.meta`, `eval` and
 *   CommonJS globals keep it where it is;
 * - a `var` or function declared in the tail is not used by the head (hoisting);
 * - it is at least `MIN_TAIL_CHARS` long: a shorter tail costs more in loader code than it moves.
 */
import type { Node } from '@babel/types'
import { programPath, type NodePath } from '../analysis/babel-traverse.js'
import { isTypeOnlyReference, precededByAwait, unawaitedLocalCall } from './find-lazy-candidates.js'

/** Below this much source, the call and the loader outweigh what the tail takes out of the entry. */
export const MIN_TAIL_CHARS = 160

/** An import the tail reads, as the tail module re-declares it. */
export interface TailImport {
  source: string
  /** `default`, `*` for a namespace import, or the imported name. */
  imported: string
  local: string
  /** Position of the original declaration: the tail module keeps the original order. */
  order: number
}

export interface ColdTail {
  /** Function name, for the report and the tail module's export. */
  name: string
  line: number
  column: number
  /** Range of the tail's statements in the module's code. */
  start: number
  end: number
  /** Head locals and module functions the tail reads, passed in this order. */
  params: string[]
  imports: TailImport[]
}

export interface ColdTailRefusal {
  name: string
  line: number
  column: number
  reason: string
}

const COMMONJS_GLOBALS = new Set(['require', 'module', 'exports', '__dirname', '__filename'])

interface TopLevelAsyncFunction {
  name: string
  fn: NodePath
}

/** Top-level async functions with a block body, by the name callers use. */
function topLevelAsyncFunctions(program: NodePath): TopLevelAsyncFunction[] {
  const found: TopLevelAsyncFunction[] = []
  for (const statement of program.get('body') as NodePath[]) {
    const declaration = statement.isExportNamedDeclaration() ? (statement.get('declaration') as NodePath) : statement
    if (declaration.isFunctionDeclaration() && declaration.node.async && !declaration.node.generator && declaration.node.id) {
      found.push({ name: declaration.node.id.name, fn: declaration })
    } else if (declaration.isVariableDeclaration() && declaration.node.kind === 'const') {
      for (const declarator of declaration.get('declarations')) {
        const init = declarator.get('init') as NodePath
        const id = declarator.node.id
        if (id.type !== 'Identifier' || !(init.isFunctionExpression() || init.isArrowFunctionExpression())) continue
        if (!init.node.async || init.node.generator || init.node.body.type !== 'BlockStatement') continue
        found.push({ name: id.name, fn: init })
      }
    }
  }
  return found
}

/**
 * The cold tails of a module's top-level async functions, given where the applied deferrals'
 * uses are, and the functions whose tail was considered and refused.
 */
export function findColdTails(ast: Node, deferredUses: ReadonlyArray<{ start: number; end: number }>): { tails: ColdTail[]; refusals: ColdTailRefusal[] } {
  const tails: ColdTail[] = []
  const refusals: ColdTailRefusal[] = []
  if (deferredUses.length === 0) return { tails, refusals }

  for (const { name, fn } of topLevelAsyncFunctions(programPath(ast))) {
    const body = (fn.get('body') as NodePath).get('body') as NodePath[]
    const k = body.findIndex((statement) => deferredUses.some((use) => use.start >= statement.node.start! && use.end <= statement.node.end!))
    if (k === -1) continue
    const start = body[k]!.node.start!
    const end = body[body.length - 1]!.node.end!
    if (end - start < MIN_TAIL_CHARS) continue
    const where = { name, line: body[k]!.node.loc!.start.line, column: body[k]!.node.loc!.start.column + 1 }
    const verdict = checkTail(fn, body, k, start, end)
    if (typeof verdict === 'string') refusals.push({ ...where, reason: verdict })
    else tails.push({ ...where, start, end, ...verdict })
  }
  return { tails, refusals }
}

const inTail = (node: Node | null | undefined, start: number, end: number): boolean => node != null && node.start! >= start && node.end! <= end

/** What the tail needs passed in and imported, or why it must stay. */
function checkTail(fn: NodePath, body: NodePath[], k: number, start: number, end: number): { params: string[]; imports: TailImport[] } | string {
  // Moving the tail adds a suspension before it: fine once the function has awaited, or when
  // every caller here waits for the function anyway.
  if (!precededByAwait(body[k]!, fn)) {
    const call = unawaitedLocalCall(fn)
    if (typeof call === 'string') return `its first part runs before any await, and ${call}`
    if (call) return `its first part runs before any await, and the call at line ${call.node.loc?.start.line ?? '?'} does not await it`
  }

  let problem: string | undefined
  const params = new Set<string>()
  const imports = new Map<string, TailImport>()
  const fail = (reason: string): void => {
    problem ??= reason
  }

  // The function's own bindings: head ones the tail reads travel by value; tail ones stay unseen by the head.
  for (const [local, binding] of Object.entries(fn.scope.bindings)) {
    const declaredInTail = inTail(binding.path.node, start, end)
    const reads = binding.referencePaths
    const writes = binding.constantViolations
    if (declaredInTail) {
      if ([...reads, ...writes].some((p) => p.node.start! < start)) fail(`${local} is declared after the split point but used before it (hoisting)`)
      continue
    }
    if (![...reads, ...writes].some((p) => inTail(p.node, start, end))) continue
    if (writes.length > 0) fail(`${local} is reassigned; the tail would see a copy`)
    params.add(local)
  }

  // `this` and `arguments` of the function itself (or, in an arrow, of the module) would change.
  const ownedOutsideTail = (path: NodePath): boolean => !inTail(ownFunctionOf(path), start, end)
  fn.traverse({
    ThisExpression(path) {
      if (inTail(path.node, start, end) && ownedOutsideTail(path)) fail('the tail uses `this`')
    },
    Super(path) {
      if (inTail(path.node, start, end)) fail('the tail uses `super`')
    },
    MetaProperty(path) {
      if (inTail(path.node, start, end)) fail(`the tail uses ${path.node.meta.name}.${path.node.property.name}`)
    },
    Identifier(path) {
      // Type positions are erased: nothing to pass or import (the TypeScript loader does not check types).
      if (!inTail(path.node, start, end) || !path.isReferencedIdentifier() || isTypeOnlyReference(path)) return
      const local = path.node.name
      const binding = path.scope.getBinding(local)
      if (!binding) {
        if (local === 'arguments' && ownedOutsideTail(path)) fail('the tail uses `arguments`')
        else if (local === 'eval') fail('the tail calls eval')
        else if (COMMONJS_GLOBALS.has(local)) fail(`the tail uses the CommonJS global ${local}`)
        return
      }
      if (binding.scope.path.type !== 'Program') return
      if (binding.kind === 'module') {
        const specifier = binding.path.node
        if ((specifier as { importKind?: string }).importKind === 'type' || (binding.path.parentPath!.node as { importKind?: string }).importKind === 'type') return
        const declaration = binding.path.parentPath!.node as { source: { value: string }; start: number; attributes?: unknown[] }
        // Re-importing without the attributes would load it as another kind of module.
        if ((declaration.attributes?.length ?? 0) > 0) fail(`the tail uses ${local}, imported with attributes`)
        const imported =
          specifier.type === 'ImportNamespaceSpecifier'
            ? '*'
            : specifier.type === 'ImportDefaultSpecifier'
              ? 'default'
              : (specifier as { imported: { type: string; name?: string; value?: string } }).imported.type === 'Identifier'
                ? (specifier as { imported: { name: string } }).imported.name
                : (specifier as { imported: { value: string } }).imported.value
        imports.set(local, { source: declaration.source.value, imported, local, order: declaration.start })
        return
      }
      if (binding.kind === 'hoisted' && binding.constantViolations.length === 0) {
        params.add(local)
        return
      }
      fail(`the tail uses the module-level ${binding.kind === 'hoisted' ? 'function' : 'variable'} ${local}, which a module of its own cannot share`)
    },
  })
  if (problem) return problem
  return { params: [...params], imports: [...imports.values()].sort((a, b) => a.order - b.order) }
}

/** The nearest enclosing non-arrow function: what `this` and `arguments` belong to. */
function ownFunctionOf(path: NodePath): Node | undefined {
  let current = path.parentPath
  while (current) {
    if (current.isFunction() && !current.isArrowFunctionExpression()) return current.node
    current = current.parentPath
  }
  return undefined
}
