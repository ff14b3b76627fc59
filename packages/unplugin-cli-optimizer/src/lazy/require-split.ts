/**
 * Bundling a CommonJS CLI puts every module it may `require()` into the startup chunk. Evaluation
 * stays lazy (bundlers wrap each CommonJS module in a function run on first require), but Node
 * still reads and compiles the whole file on every start: madge's `--version` loaded a 16 MB
 * chunk because its bin requires its API after the line that prints the version and exits.
 *
 * A literal `require('x')` of a large CommonJS graph is therefore loaded from a chunk of its own
 * where it runs: `require('x')` becomes a synchronous load of a facade whose only export is a
 * function requiring `x` (`lazy-facade.ts`, `requireFacadeSpecifier`). Loading that chunk
 * evaluates nothing of `x`; calling the function evaluates it, at the same place as before and
 * returning the same `module.exports`, so effects and state reads keep their order and need no
 * analysis. Where Node has no require(esm), the bootstrap preloads the chunk at startup (it
 * evaluates only the facade). See `docs/lazy-imports.md`, "Large require() graphs".
 */
import type { File, Node } from '@babel/types'
import { traverse } from '../analysis/babel-traverse.js'

export interface RequireSite {
  source: string
  /** Range of the whole `require('x')` call. */
  start: number
  end: number
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
}

/**
 * Every `require('literal')` of the module's own (unshadowed) `require`, in source order. A plain
 * walk of the tree: Babel's scope-aware traversal costs seconds and hundreds of MB on a bundled
 * 9 MB file (TypeScript), and most modules never declare a `require` of their own. Where one may
 * (a declaration, a parameter, a destructuring pattern), scopes decide.
 */
export function findRequires(ast: File): RequireSite[] {
  const sites: RequireSite[] = []
  let shadowed = false
  const visit = (node: unknown, parent: Node | undefined, key: string | undefined): void => {
    if (!node || typeof node !== 'object') return
    if (Array.isArray(node)) {
      for (const item of node) visit(item, parent, key)
      return
    }
    const typed = node as Node
    if (typed.type === 'Identifier' && typed.name === 'require') {
      if (parent && key !== undefined && declares(parent, key)) shadowed = true
      return
    }
    if (typed.type === 'CallExpression' && typed.callee.type === 'Identifier' && typed.callee.name === 'require' && typed.arguments.length === 1 && typed.arguments[0]!.type === 'StringLiteral') {
      sites.push({ source: typed.arguments[0].value, start: typed.start!, end: typed.end!, line: typed.loc!.start.line, column: typed.loc!.start.column + 1 })
    }
    for (const [childKey, value] of Object.entries(typed)) {
      if (value && typeof value === 'object' && !SKIPPED_KEYS.has(childKey)) visit(value, typed, childKey)
    }
  }
  visit(ast.program, undefined, undefined)
  return shadowed ? withScopes(ast) : sites
}

/** Whether an identifier at `parent[key]` declares a binding (or may, in a pattern). */
function declares(parent: Node, key: string): boolean {
  switch (parent.type) {
    case 'VariableDeclarator':
      return key === 'id'
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
      return key === 'id' || key === 'params'
    case 'ClassDeclaration':
    case 'ClassExpression':
      return key === 'id'
    case 'CatchClause':
      return key === 'param'
    case 'AssignmentPattern':
      return key === 'left'
    case 'ArrayPattern':
    case 'RestElement':
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'TSParameterProperty':
      return true
    // `{ require } = …` in a pattern, or `{ x: require }` in a literal: scopes tell them apart.
    case 'ObjectProperty':
      return key === 'value'
    default:
      return false
  }
}

const SKIPPED_KEYS = new Set(['loc', 'leadingComments', 'trailingComments', 'innerComments', 'extra', 'comments', 'tokens'])

function withScopes(ast: File): RequireSite[] {
  const sites: RequireSite[] = []
  traverse(ast, {
    CallExpression(path) {
      const { callee, arguments: args } = path.node
      if (callee.type !== 'Identifier' || callee.name !== 'require' || args.length !== 1 || args[0]!.type !== 'StringLiteral') return
      if (path.scope.getBinding('require')) return
      sites.push({ source: args[0].value, start: path.node.start!, end: path.node.end!, line: path.node.loc!.start.line, column: path.node.loc!.start.column + 1 })
    },
  })
  return sites
}
