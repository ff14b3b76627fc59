import { createRequire } from 'node:module'
import type { NodePath, TraverseOptions } from '@babel/traverse'
import type { Node } from '@babel/types'

type TraverseFn = (parent: Node, opts?: TraverseOptions) => void

// Loaded on first use (with @babel/types it is most of the plugin's load time): a build whose
// analyses all come from the cache never needs it. It is CommonJS with `exports.default`.
const require = createRequire(import.meta.url)
let traverseImpl: TraverseFn | undefined

function loadTraverse(): TraverseFn {
  const loaded = require('@babel/traverse') as TraverseFn | { default: TraverseFn }
  return typeof loaded === 'function' ? loaded : loaded.default
}

/** Babel's scope-aware traversal, usable from ESM and CommonJS consumers alike. */
export function traverse(ast: Node, visitors: TraverseOptions): void {
  traverseImpl ??= loadTraverse()
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
