import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Node } from '@babel/types'
import { walk } from '../core/ast/walk.js'

type AnyNode = Node & Record<string, any>

/** Where a module URL is handed to code that runs it in a thread or process of its own. */
export type WorkerSite = 'worker' | 'task' | 'work'

/** A `new URL('./file.js', import.meta.url)` that names a worker or task module. */
export interface WorkerEntryReference {
  site: WorkerSite
  /** Absolute path of the module at build time. */
  file: string
  /** Range of the whole `new URL(...)` expression. */
  start: number
  end: number
  line: number
  column: number
}

const MODULE_FILE = /\.[cm]?[jt]sx?$/
/** Properties through which pool libraries take their task module (ours, piscina, tinypool). */
const TASK_PROPERTIES = new Set(['task', 'filename'])

function isImportMetaUrl(node: AnyNode | null | undefined): boolean {
  return (
    node?.type === 'MemberExpression' &&
    !node.computed &&
    node.object.type === 'MetaProperty' &&
    node.object.meta.name === 'import' &&
    node.property.type === 'Identifier' &&
    node.property.name === 'url'
  )
}

function staticString(node: AnyNode | null | undefined): string | undefined {
  if (node?.type === 'StringLiteral') return node.value
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]!.value.cooked ?? undefined
  return undefined
}

function calleeName(node: AnyNode): string | undefined {
  const callee = node.callee as AnyNode
  if (callee.type === 'Identifier') return callee.name
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') return callee.property.name
  return undefined
}

/** How the `new URL` at the top of `parents` is used, if as a worker or task module. */
function siteOf(url: AnyNode, parents: readonly Node[]): WorkerSite | undefined {
  const parent = parents.at(-1) as AnyNode | undefined
  if (!parent) return undefined
  if (parent.type === 'NewExpression' && parent.arguments[0] === url && calleeName(parent) === 'Worker') return 'worker'
  if (parent.type === 'CallExpression' && parent.arguments[1] === url && calleeName(parent) === 'work') return 'work'
  if (parent.type === 'ObjectProperty' && parent.value === url && !parent.computed) {
    const key = parent.key.type === 'Identifier' ? parent.key.name : staticString(parent.key)
    if (key && TASK_PROPERTIES.has(key)) return 'task'
  }
  return undefined
}

/**
 * Finds `new URL('./w.js', import.meta.url)` handed to `new Worker(...)`, to `work(name, ...)`, or
 * as the `task` / `filename` of a pool's options: modules that run in a thread of their own and
 * so must be entries of the build. A URL used any other way is left to the assets capability.
 */
export function findWorkerEntries(program: Node, id: string): WorkerEntryReference[] {
  const found: WorkerEntryReference[] = []
  walk(program, (node, parents) => {
    const n = node as AnyNode
    if (n.type !== 'NewExpression' || n.callee.type !== 'Identifier' || n.callee.name !== 'URL') return
    if (!isImportMetaUrl(n.arguments[1])) return
    const spec = staticString(n.arguments[0])
    if (!spec || !spec.startsWith('.') || !MODULE_FILE.test(spec)) return
    const site = siteOf(n, parents)
    if (!site) return
    const file = path.resolve(path.dirname(id), spec)
    if (!existsSync(file) || !statSync(file).isFile()) return
    found.push({ site, file, start: n.start!, end: n.end!, line: n.loc!.start.line, column: n.loc!.start.column + 1 })
  })
  return found
}
