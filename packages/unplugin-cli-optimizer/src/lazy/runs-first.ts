/**
 * Whether a position is the first thing its function does that anyone could observe.
 *
 * A method or a callback (`.action(async () => …)`, `xs.map(async (x) => …)`) has callers this
 * module cannot see: they may not await it, or may run several calls at once. A load inserted
 * before its first `await` then moves the code before the load behind the caller's next steps,
 * or interleaves the calls differently. That cannot happen when nothing observable runs before
 * the load: the function reaches the use without calling, constructing, assigning or coercing
 * anything. Then the caller sees the same order either way.
 */
import type { Node } from '@babel/types'
import type { NodePath } from '../analysis/babel-traverse.js'

/**
 * For each node type, the child keys evaluated before a given key (in evaluation order).
 * Keys not listed are evaluated first or are not expressions.
 */
const EVALUATED_BEFORE: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  CallExpression: { arguments: ['callee'] },
  OptionalCallExpression: { arguments: ['callee'] },
  NewExpression: { arguments: ['callee'] },
  MemberExpression: { property: ['object'] },
  OptionalMemberExpression: { property: ['object'] },
  BinaryExpression: { right: ['left'] },
  LogicalExpression: { right: ['left'] },
  AssignmentExpression: { right: ['left'] },
  ConditionalExpression: { consequent: ['test'], alternate: ['test'] },
  IfStatement: { consequent: ['test'], alternate: ['test'] },
  TaggedTemplateExpression: { quasi: ['tag'] },
}

/** Expressions whose evaluation can run no user code and change nothing (no call, getter, coercion). */
function inert(node: Node | null | undefined): boolean {
  if (!node) return true
  switch (node.type) {
    case 'Identifier':
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
    case 'BigIntLiteral':
    case 'RegExpLiteral':
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'FunctionDeclaration':
    case 'EmptyStatement':
    case 'ThisExpression':
      return true
    case 'TemplateLiteral':
      // `${x}` converts x to a string: only literals and `typeof`-like values are safe.
      return node.expressions.every((e) => e.type === 'StringLiteral' || e.type === 'NumericLiteral')
    case 'ArrayExpression':
      return node.elements.every((e) => e === null || (e.type !== 'SpreadElement' && inert(e)))
    case 'ObjectExpression':
      return node.properties.every((p) => p.type === 'ObjectMethod' || (p.type === 'ObjectProperty' && !p.computed && inert(p.value as Node)))
    case 'UnaryExpression':
      return (node.operator === 'typeof' || node.operator === '!' || node.operator === 'void') && inert(node.argument)
    case 'BinaryExpression':
      return (node.operator === '===' || node.operator === '!==') && inert(node.left) && inert(node.right)
    case 'LogicalExpression':
    case 'ConditionalExpression':
      // Only the evaluated branch runs, but both are checked: simpler and still inert.
      return node.type === 'LogicalExpression' ? inert(node.left) && inert(node.right) : inert(node.test) && inert(node.consequent) && inert(node.alternate)
    case 'VariableDeclaration':
      // Destructuring reads properties (getters) and iterates: only plain names.
      return node.declarations.every((d) => d.id.type === 'Identifier' && inert(d.init))
    case 'ExpressionStatement':
      return inert(node.expression)
    default:
      return false
  }
}

/** Whether nothing observable runs in `fn` before `position` is evaluated. */
export function runsFirst(position: NodePath, fn: NodePath): boolean {
  let child: NodePath = position
  let parent = position.parentPath
  while (parent && parent.node !== fn.node) {
    const node = parent.node as unknown as Record<string, unknown>
    if (child.listKey && typeof child.key === 'number') {
      const siblings = node[child.listKey] as Node[]
      for (let i = 0; i < child.key; i++) if (!inert(siblings[i])) return false
    }
    const key = child.listKey ?? String(child.key)
    for (const earlier of EVALUATED_BEFORE[parent.node.type]?.[key] ?? []) {
      if (!inert(node[earlier] as Node)) return false
    }
    child = parent
    parent = parent.parentPath
  }
  // Parameter defaults and destructuring run before the body.
  return (fn.node as { params: Node[] }).params.every((p) => p.type === 'Identifier')
}
