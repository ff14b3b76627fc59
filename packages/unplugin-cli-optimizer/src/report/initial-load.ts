import path from 'node:path'
import { createRequire } from 'node:module'
import type { Node } from '@babel/types'
import { isFunctionNode, walk } from '../core/ast/walk.js'
import { CONDITIONAL_KEYS } from '../core/ast/conditional-keys.js'

// @babel/parser loads on first use: most builds never measure a chunk with dynamic imports.
const require = createRequire(import.meta.url)
const parse: typeof import('@babel/parser').parse = (code, options) => (require('@babel/parser') as typeof import('@babel/parser')).parse(code, options)

function isConditionalChild(parent: Node, child: Node): boolean {
  const keys = CONDITIONAL_KEYS[parent.type]
  if (!keys) return false
  const record = parent as unknown as Record<string, unknown>
  return keys.some((key) => {
    const value = record[key]
    return value === child || (Array.isArray(value) && value.includes(child))
  })
}

/**
 * The relative specifiers of `import('…')` calls a chunk makes on every evaluation: at module
 * top level, outside functions, classes' methods and conditionally executed branches. An entry
 * shim such as `await import('./main.js')` loads its target on every start, so the report counts
 * that target as part of the initial load.
 */
export function unconditionalDynamicImports(code: string): string[] {
  let ast: Node
  try {
    ast = parse(code, { sourceType: 'module', createImportExpressions: true, errorRecovery: true }).program
  } catch {
    return []
  }
  const found: string[] = []
  walk(ast, (node, parents) => {
    if (isFunctionNode(node) || node.type === 'ClassBody') return false
    const parent = parents[parents.length - 1]
    if (parent && isConditionalChild(parent, node)) return false
    if (node.type === 'ImportExpression' && node.source.type === 'StringLiteral') {
      found.push(node.source.value)
    } else if (node.type === 'ImportExpression' && node.source.type === 'TemplateLiteral' && node.source.expressions.length === 0) {
      found.push(node.source.quasis[0]!.value.cooked ?? '')
    }
    return undefined
  })
  return found
}

export interface ChunkLinks {
  fileName: string
  imports: readonly string[]
  dynamicImports: readonly string[]
  /** Dynamic imports (file names) this chunk makes on every evaluation. */
  eagerDynamicImports: readonly string[]
}

/** Resolves a chunk's relative import specifier to the imported chunk's file name. */
export function resolveChunkSpecifier(fromFile: string, specifier: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier))
}

/** Files an entry loads on every start: static imports and unconditional dynamic imports, transitively. */
export function initialFiles(entry: string, chunks: ReadonlyMap<string, ChunkLinks>): string[] {
  return closure(entry, chunks, (chunk) => [...chunk.imports, ...chunk.eagerDynamicImports])
}

/** Every JS file reachable from the entry in any way. */
export function reachableFiles(entry: string, chunks: ReadonlyMap<string, ChunkLinks>): string[] {
  return closure(entry, chunks, (chunk) => [...chunk.imports, ...chunk.dynamicImports])
}

function closure(start: string, chunks: ReadonlyMap<string, ChunkLinks>, next: (chunk: ChunkLinks) => string[]): string[] {
  const seen = new Set<string>([start])
  const queue = [start]
  while (queue.length > 0) {
    const chunk = chunks.get(queue.shift()!)
    if (!chunk) continue
    for (const file of next(chunk)) {
      if (!seen.has(file) && chunks.has(file)) {
        seen.add(file)
        queue.push(file)
      }
    }
  }
  return [...seen]
}
