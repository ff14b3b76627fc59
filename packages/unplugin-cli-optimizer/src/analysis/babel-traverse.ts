import traverseModule, { type NodePath, type TraverseOptions } from '@babel/traverse'
import type { Node } from '@babel/types'

type TraverseFn = (parent: Node, opts?: TraverseOptions) => void

// @babel/traverse is CommonJS with `exports.default`; under Node's ESM interop the default import
// is the whole exports object, under bundlers and vitest it is the function itself.
const traverseImpl: TraverseFn =
  typeof traverseModule === 'function' ? (traverseModule as unknown as TraverseFn) : (traverseModule as unknown as { default: TraverseFn }).default

/** Babel's scope-aware traversal, usable from ESM and CommonJS consumers alike. */
export function traverse(ast: Node, visitors: TraverseOptions): void {
  traverseImpl(ast, visitors)
}

/** The program path of a parsed file: the entry point for scope queries. */
export function programPath(ast: Node): NodePath<import('@babel/types').Program> {
  let found: NodePath<import('@babel/types').Program> | undefined
  traverse(ast, {
    Program(path) {
      found = path
      path.stop()
    },
  })
  if (!found) throw new Error('[cli-optimizer] no Program node in the parsed file')
  return found
}

export type { NodePath }
