import type { Node } from '@babel/types'

/** Keys of a Babel node that hold positions or metadata, never child nodes. */
const SKIP_KEYS = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'range'])

/** The direct child nodes of `node`, in source order of their keys. */
export function childNodes(node: Node): Node[] {
  const children: Node[] = []
  for (const key of Object.keys(node)) {
    if (SKIP_KEYS.has(key)) continue
    const value = (node as unknown as Record<string, unknown>)[key]
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item)
    } else if (isNode(value)) {
      children.push(value)
    }
  }
  return children
}

export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
}

export function isFunctionNode(node: Node): boolean {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression' ||
    node.type === 'ObjectMethod' ||
    node.type === 'ClassMethod' ||
    node.type === 'ClassPrivateMethod'
  )
}

/**
 * Depth-first walk. `enter` returning `false` skips the node's children. `parents` is the path
 * from the root to the node's parent, so visitors can ask where they are without a scope tracker.
 */
export function walk(root: Node, enter: (node: Node, parents: readonly Node[]) => boolean | void): void {
  const parents: Node[] = []
  const visit = (node: Node): void => {
    if (enter(node, parents) === false) return
    parents.push(node)
    for (const child of childNodes(node)) visit(child)
    parents.pop()
  }
  visit(root)
}
