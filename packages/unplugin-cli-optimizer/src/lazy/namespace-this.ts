/**
 * `ns.f()` calls `f` with the module namespace as `this`. A deferred namespace import read only
 * as `ns.name` is loaded through a facade that re-exports just those names (`lazy-facade.ts`), so
 * a function reading `this` would see the facade's namespace, without the exports the importer
 * did not name (`this.other()` throws). Such an import keeps the whole namespace.
 */
import { readFile } from 'node:fs/promises'
import { isBuiltin } from 'node:module'
import type { Node } from '@babel/types'
import type { Resolve } from '../adapters/resolve.js'
import { programPath } from '../analysis/babel-traverse.js'
import { exportedFunction } from '../analysis/exported-function.js'
import { parseModule } from '../core/ast/parse-module.js'
import { fileOfId } from './deferred-subgraph.js'
import type { LazyUse } from './find-lazy-candidates.js'

const MAX_REEXPORT_DEPTH = 8
// Functions and classes bind their own `this`; arrow functions do not.
const OWN_THIS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod', 'ClassDeclaration', 'ClassExpression'])

/** The first name of `uses` called as a method of the namespace whose function, in `file`, reads `this`. */
export async function methodReadingThis(uses: readonly LazyUse[], file: string, resolve: Resolve): Promise<string | undefined> {
  const methods = new Set(uses.filter((use) => use.calledAsMethod && use.member !== undefined).map((use) => use.member!))
  for (const name of methods) {
    if (await readsThis(file, name, resolve, 0)) return name
  }
  return undefined
}

async function readsThis(file: string, name: string, resolve: Resolve, depth: number): Promise<boolean> {
  // Where the chain cannot be read, keep the whole namespace: the safe answer.
  if (depth > MAX_REEXPORT_DEPTH || !/\.[cm]?[jt]sx?$/.test(file)) return true
  let found: ReturnType<typeof exportedFunction>
  try {
    const code = await readFile(file, 'utf8')
    found = exportedFunction(programPath(parseModule(code, file)), name)
  } catch {
    return true
  }
  if (!found) return false
  if ('node' in found) return found.node.type !== 'ArrowFunctionExpression' && bodyReadsThis(found.node)
  const sources = found.kind === 'reexport' ? [found.source] : found.sources
  const exported = found.kind === 'reexport' ? found.name : name
  for (const source of sources) {
    if (isBuiltin(source)) continue
    const resolved = await resolve(source, file)
    if (!resolved || resolved.external) return true
    if (await readsThis(fileOfId(resolved.id), exported, resolve, depth + 1)) return true
  }
  return false
}

/** Whether `fn` reads `this` itself (arrow functions inside share it; nested functions and classes have their own). */
function bodyReadsThis(fn: Node): boolean {
  const visit = (node: unknown, root: boolean): boolean => {
    if (!node || typeof node !== 'object') return false
    if (Array.isArray(node)) return node.some((item) => visit(item, false))
    const typed = node as { type?: string }
    if (typed.type === 'ThisExpression') return true
    if (!root && typed.type !== undefined && OWN_THIS.has(typed.type)) return false
    for (const [key, value] of Object.entries(node)) {
      if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments' || key === 'extra') continue
      if (value && typeof value === 'object' && visit(value, false)) return true
    }
    return false
  }
  return visit(fn, true)
}
