import type { Node } from '@babel/types'
import { walk } from '../core/ast/walk.js'

type AnyNode = Node & Record<string, any>

export interface HiddenImport {
  /** Range of the callee (`dynamicImport`) to replace by `import`. */
  start: number
  end: number
  specifier: string
  line: number
  column: number
}

export interface HiddenImportCall {
  /** A call through the hidden importer whose argument is not a string literal: left as is. */
  computed: true
  line: number
  column: number
  text: string
}

const stringValue = (node: AnyNode | undefined): string | undefined =>
  node?.type === 'StringLiteral' ? node.value : node?.type === 'TemplateLiteral' && node.expressions.length === 0 ? (node.quasis[0]!.value.cooked ?? undefined) : undefined

/**
 * `const load = new Function('m', 'return import(m)')`: CommonJS packages (prettier's bin, code
 * compiled by TypeScript to CommonJS) hide `import()` from their own compiler this way, and so
 * from every bundler: `load('../internal/cli.mjs')` then resolves against the chunk at run time
 * and misses. A call with a string literal is the same `import()` written plainly, so the bundler
 * can follow it; the names bound this way are found by their initialiser alone.
 */
export function findHiddenImports(program: Node, code: string): { imports: HiddenImport[]; computed: HiddenImportCall[] } {
  const importers = new Set<string>()
  walk(program, (node) => {
    const n = node as AnyNode
    if (n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier') return
    const init = n.init as AnyNode | null
    if (init?.type !== 'NewExpression' || init.callee.type !== 'Identifier' || init.callee.name !== 'Function' || init.arguments.length !== 2) return
    const param = stringValue(init.arguments[0])
    const body = stringValue(init.arguments[1])
    if (param === undefined || body === undefined || !/^[A-Za-z_$][\w$]*$/.test(param)) return
    if (new RegExp(`^\\s*return\\s+import\\(\\s*${param.replace(/\$/g, '\\$')}\\s*\\)\\s*;?\\s*$`).test(body)) importers.add(n.id.name)
  })
  const imports: HiddenImport[] = []
  const computed: HiddenImportCall[] = []
  if (importers.size === 0) return { imports, computed }
  walk(program, (node) => {
    const n = node as AnyNode
    if (n.type !== 'CallExpression' || n.callee.type !== 'Identifier' || !importers.has(n.callee.name) || n.arguments.length !== 1) return
    const at = { line: n.loc!.start.line, column: n.loc!.start.column + 1 }
    const specifier = stringValue(n.arguments[0])
    if (specifier === undefined) computed.push({ computed: true, ...at, text: code.slice(n.start!, n.end!) })
    else imports.push({ start: n.callee.start!, end: n.callee.end!, specifier, ...at })
  })
  return { imports, computed }
}
