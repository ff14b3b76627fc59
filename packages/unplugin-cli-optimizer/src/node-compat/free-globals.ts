import type { Node } from '@babel/types'
import { childNodes, isFunctionNode } from '../core/ast/walk.js'

/**
 * Which of `names` a module reads as globals: referenced somewhere without any enclosing scope
 * declaring them. A small scope model for a handful of names, not a general resolver: a scope is
 * the program, a function (params, `var`, hoisted declarations) or a block (`let`, `const`,
 * `class`, block functions, a catch parameter).
 */
export function freeGlobals(program: Node, names: ReadonlySet<string>): Map<string, Node> {
  const found = new Map<string, Node>()
  visitFree(program, names, (node) => {
    if (!found.has(node.name)) found.set(node.name, node)
  })
  return found
}

/** Every identifier of `names` that no enclosing scope declares (reads and assignment targets). */
export function freeReferences(program: Node, names: ReadonlySet<string>): Array<Node & { type: 'Identifier' }> {
  const found: Array<Node & { type: 'Identifier' }> = []
  visitFree(program, names, (node) => found.push(node))
  return found
}

function visitFree(program: Node, names: ReadonlySet<string>, onFree: (node: Node & { type: 'Identifier' }) => void): void {
  const visit = (node: Node, parent: Node | undefined, scopes: ReadonlyArray<ReadonlySet<string>>): void => {
    if (node.type === 'Identifier' && names.has(node.name) && parent && isReference(node, parent)) {
      if (!scopes.some((scope) => scope.has(node.name))) onFree(node)
    }
    const declared = scopeDeclarations(node, names)
    const inner = declared ? [...scopes, declared] : scopes
    for (const child of childNodes(node)) visit(child, node, inner)
  }
  visit(program, undefined, [])
}

/** Whether an identifier is read as a variable here (not a property name, label or declaration). */
function isReference(node: Node, parent: Node): boolean {
  switch (parent.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return parent.object === node || Boolean(parent.computed)
    case 'ObjectProperty':
      return parent.value === node || (parent.computed && parent.key === node)
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
    case 'ClassProperty':
    case 'ClassAccessorProperty':
      return Boolean(parent.computed) && parent.key === node
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'ExportSpecifier':
    case 'MetaProperty':
      return false
    case 'VariableDeclarator':
      return parent.init === node
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassDeclaration':
    case 'ClassExpression':
      return (parent as { body?: Node }).body === node || (parent as { superClass?: Node }).superClass === node
    case 'CatchClause':
      return false
    default:
      return true
  }
}

/** The tracked names a node declares for its own scope, or undefined when it opens none. */
function scopeDeclarations(node: Node, names: ReadonlySet<string>): Set<string> | undefined {
  const declared = new Set<string>()
  const add = (pattern: Node | null | undefined): void => {
    for (const name of patternNames(pattern)) if (names.has(name)) declared.add(name)
  }
  if (node.type === 'Program' || isFunctionNode(node)) {
    if (isFunctionNode(node)) {
      const fn = node as Node & { params: Node[]; id?: Node | null; type: string }
      for (const param of fn.params) add(param)
      if (fn.type === 'FunctionExpression' && fn.id) add(fn.id)
    }
    const body = node.type === 'Program' ? node : (node as { body: Node }).body
    collectVars(body, add, true)
    return declared
  }
  if (node.type === 'ClassExpression' && node.id) {
    add(node.id)
    return declared
  }
  if (node.type === 'CatchClause') {
    add(node.param)
    return declared
  }
  if (node.type === 'BlockStatement' || node.type === 'StaticBlock' || node.type === 'SwitchStatement') {
    const statements = node.type === 'SwitchStatement' ? node.cases.flatMap((c) => c.consequent) : node.body
    for (const statement of statements) lexical(statement, add)
    return declared
  }
  if (node.type === 'ForStatement' || node.type === 'ForInStatement' || node.type === 'ForOfStatement') {
    const init = node.type === 'ForStatement' ? node.init : node.left
    if (init?.type === 'VariableDeclaration' && init.kind !== 'var') for (const d of init.declarations) add(d.id)
    return declared
  }
  return undefined
}

/** let/const/class/function declared directly in a block or program body. */
function lexical(statement: Node, add: (pattern: Node | null | undefined) => void): void {
  const target = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement
  if (!target) return
  if (target.type === 'VariableDeclaration' && target.kind !== 'var') for (const d of target.declarations) add(d.id)
  if ((target.type === 'ClassDeclaration' || target.type === 'FunctionDeclaration') && target.id) add(target.id)
  if (target.type === 'ImportDeclaration') for (const s of target.specifiers) add(s.local)
}

/** `var` declarations anywhere in a function body (not nested functions), plus its lexical top level. */
function collectVars(body: Node, add: (pattern: Node | null | undefined) => void, top: boolean): void {
  if (top) {
    const statements = body.type === 'Program' || body.type === 'BlockStatement' ? body.body : []
    for (const statement of statements) lexical(statement, add)
  }
  for (const child of childNodes(body)) {
    if (isFunctionNode(child) || child.type === 'ClassDeclaration' || child.type === 'ClassExpression') {
      if (child.type === 'FunctionDeclaration' && child.id) add(child.id)
      continue
    }
    if (child.type === 'VariableDeclaration' && child.kind === 'var') for (const d of child.declarations) add(d.id)
    collectVars(child, add, false)
  }
}

/** Names bound by a declaration pattern. */
export function patternNames(pattern: Node | null | undefined): string[] {
  if (!pattern) return []
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name]
    case 'ObjectPattern':
      return pattern.properties.flatMap((p) => (p.type === 'RestElement' ? patternNames(p.argument) : patternNames(p.value as Node)))
    case 'ArrayPattern':
      return pattern.elements.flatMap((e) => patternNames(e))
    case 'AssignmentPattern':
      return patternNames(pattern.left)
    case 'RestElement':
      return patternNames(pattern.argument)
    case 'TSParameterProperty':
      return patternNames(pattern.parameter)
    default:
      return []
  }
}
