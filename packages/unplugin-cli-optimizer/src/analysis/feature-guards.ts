/**
 * Feature detection that Node answers the same way on every version the plugin supports
 * (>= 20.19): `typeof AbortController > "u"` (lru-cache's polyfill, inlined in glob),
 * `typeof fs.realpath.native === 'function'` (fs-extra). Code in the branch such a test never takes
 * does not run while the module evaluates, so its effects (a polyfill's warning) are not the
 * module's. Only tests built from the forms below fold; anything else is unknown.
 */
import { isBuiltin } from 'node:module'
import type { Node } from '@babel/types'
import type { NodePath } from './babel-traverse.js'

/**
 * Globals Node has defined since before 20.19 and that programs do not remove. Browser-only names
 * (`window`, `document`) are left out on purpose: a program may define them (jsdom) before use.
 */
const NODE_GLOBALS = new Set([
  'AbortController', 'AbortSignal', 'Atomics', 'BigInt', 'Blob', 'Buffer', 'Event', 'EventTarget', 'FinalizationRegistry',
  'Intl', 'Map', 'MessageChannel', 'Promise', 'Proxy', 'Reflect', 'Set', 'SharedArrayBuffer', 'Symbol', 'TextDecoder',
  'TextEncoder', 'URL', 'URLSearchParams', 'WeakMap', 'WeakRef', 'WeakSet', 'WebAssembly', 'clearImmediate', 'clearInterval',
  'clearTimeout', 'console', 'globalThis', 'performance', 'process', 'queueMicrotask', 'setImmediate', 'setInterval',
  'setTimeout', 'structuredClone',
])

const GLOBAL_OBJECTS = new Set(['globalThis', 'global'])

function isUnbound(path: NodePath, name: string): boolean {
  return !path.scope.getBinding(name)
}

/** The builtin module a binding holds (`const fs = require('fs')`, `import fs from 'node:fs'`, `import * as fs`). */
function builtinOf(path: NodePath, name: string): string | undefined {
  const binding = path.scope.getBinding(name)
  if (!binding || !binding.constant) return undefined
  const decl = binding.path
  if (decl.isImportDefaultSpecifier() || decl.isImportNamespaceSpecifier()) {
    const source = (decl.parentPath!.node as { source: { value: string } }).source.value
    return isBuiltin(source) ? source : undefined
  }
  if (decl.isVariableDeclarator()) {
    const init = decl.node.init
    if (init?.type === 'CallExpression' && init.callee.type === 'Identifier' && init.callee.name === 'require' && isUnbound(decl, 'require') && init.arguments.length === 1 && init.arguments[0]!.type === 'StringLiteral' && isBuiltin(init.arguments[0]!.value)) {
      return init.arguments[0]!.value
    }
  }
  return undefined
}

/** `typeof expr` where Node answers it alike on every supported version; `undefined` when unknown. */
function typeofOf(path: NodePath, node: Node, depth = 0): string | undefined {
  if (node.type === 'Identifier') {
    if (isUnbound(path, node.name)) return NODE_GLOBALS.has(node.name) ? typeof (globalThis as Record<string, unknown>)[node.name] : undefined
    // A constant alias of a global: `var At = globalThis.AbortController`.
    const binding = path.scope.getBinding(node.name)
    if (depth > 0 || !binding?.constant || !binding.path.isVariableDeclarator()) return undefined
    const init = binding.path.node.init
    return init ? typeofOf(binding.path, init, depth + 1) : undefined
  }
  if (node.type !== 'MemberExpression' || node.computed || node.property.type !== 'Identifier') return undefined
  const props: string[] = [node.property.name]
  let object: Node = node.object
  while (object.type === 'MemberExpression' && !object.computed && object.property.type === 'Identifier') {
    props.unshift(object.property.name)
    object = object.object
  }
  if (object.type !== 'Identifier') return undefined
  if (GLOBAL_OBJECTS.has(object.name) && isUnbound(path, object.name)) {
    if (props.length !== 1 || !NODE_GLOBALS.has(props[0]!)) return undefined
    return typeof (globalThis as Record<string, unknown>)[props[0]!]
  }
  const builtin = builtinOf(path, object.name)
  if (!builtin) return undefined
  let value: unknown = process.getBuiltinModule(builtin)
  for (const prop of props) value = value == null ? undefined : (value as Record<string, unknown>)[prop]
  // Only what exists: a member missing here may exist on a newer Node, and one added after 20.19
  // would be present here and missing there, so presence is trusted only for builtins' members
  // the build's Node has (the supported range's oldest versions already had the ones CLIs test).
  return value === undefined ? undefined : typeof value
}

/** The value of a guard expression, when it folds. */
export function foldGuard(path: NodePath, node: Node): boolean | undefined {
  switch (node.type) {
    case 'UnaryExpression': {
      if (node.operator !== '!') return undefined
      const inner = foldGuard(path, node.argument)
      return inner === undefined ? undefined : !inner
    }
    case 'LogicalExpression': {
      const left = foldGuard(path, node.left)
      if (node.operator === '&&' && left === false) return false
      if (node.operator === '||' && left === true) return true
      if (left === undefined || node.operator === '??') return undefined
      return foldGuard(path, node.right)
    }
    case 'BinaryExpression': {
      const typed = node.left.type === 'UnaryExpression' && node.left.operator === 'typeof' ? [node.left.argument, node.right] : node.right.type === 'UnaryExpression' && node.right.operator === 'typeof' ? [node.right.argument, node.left] : undefined
      if (!typed || typed[1].type !== 'StringLiteral') return undefined
      const actual = typeofOf(path, typed[0] as Node)
      if (actual === undefined) return undefined
      const literal = typed[1].value
      // Written either way round: `typeof x > "u"` is minifiers' `=== "undefined"`.
      const [a, b] = node.left.type === 'UnaryExpression' ? [actual, literal] : [literal, actual]
      switch (node.operator) {
        case '===':
        case '==':
          return a === b
        case '!==':
        case '!=':
          return a !== b
        case '<':
          return a < b
        case '>':
          return a > b
        default:
          return undefined
      }
    }
    default:
      return undefined
  }
}

/** Whether `path` sits in a branch that a folded guard above it never takes. */
export function inUntakenBranch(path: NodePath): boolean {
  let child: NodePath = path
  let current = path.parentPath
  while (current) {
    const key = child.key
    if ((current.isIfStatement() || current.isConditionalExpression()) && key !== 'test') {
      const value = foldGuard(current, current.node.test)
      if (value !== undefined && value !== (key === 'consequent')) return true
    } else if (current.isLogicalExpression() && key === 'right' && current.node.operator !== '??') {
      const value = foldGuard(current, current.node.left)
      if (value !== undefined && value === (current.node.operator === '||')) return true
    }
    child = current
    current = current.parentPath
  }
  return false
}
