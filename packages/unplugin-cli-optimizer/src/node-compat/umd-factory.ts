import type { Node } from '@babel/types'
import { walk } from '../core/ast/walk.js'

type AnyNode = Node & Record<string, any>

export interface UmdFactory {
  /** Range of the factory's `require` parameter, to rename. */
  start: number
  end: number
  line: number
  column: number
}

const isFunction = (node: AnyNode | undefined): node is AnyNode => node?.type === 'FunctionExpression' || node?.type === 'ArrowFunctionExpression'

/** Whether `body` calls `name(require, …)`: the wrapper hands Node's own require to the factory. */
function handsRequireTo(body: AnyNode, name: string): boolean {
  let found = false
  walk(body, (node) => {
    const n = node as AnyNode
    if (found) return false
    if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === name && n.arguments[0]?.type === 'Identifier' && n.arguments[0].name === 'require') {
      found = true
      return false
    }
    return undefined
  })
  return found
}

/**
 * UMD wrappers as TypeScript emits them (jsonc-parser, vscode-* packages):
 * `(function (factory) { … factory(require, exports) … })(function (require, exports) { require('./impl/x') })`.
 * Inside the factory `require` is a parameter, so no bundler sees `require('./impl/x')` as a
 * dependency and the bundle asks Node for `./impl/x` next to the chunk. Renaming the parameter
 * makes those calls CommonJS requires of the module itself, which every bundler follows; under
 * Node the wrapper passed the module's own `require` anyway, so nothing else changes.
 */
export function findUmdFactories(program: Node): UmdFactory[] {
  const found: UmdFactory[] = []
  walk(program, (node) => {
    const n = node as AnyNode
    if (n.type !== 'CallExpression' || !isFunction(n.callee) || n.callee.params.length !== 1 || n.arguments.length !== 1) return
    const factory = n.arguments[0] as AnyNode
    const param = n.callee.params[0] as AnyNode
    if (!isFunction(factory) || param.type !== 'Identifier') return
    const first = factory.params[0] as AnyNode | undefined
    if (first?.type !== 'Identifier' || first.name !== 'require' || !handsRequireTo(n.callee.body, param.name)) return
    found.push({ start: first.start!, end: first.end!, line: first.loc!.start.line, column: first.loc!.start.column + 1 })
  })
  return found
}
