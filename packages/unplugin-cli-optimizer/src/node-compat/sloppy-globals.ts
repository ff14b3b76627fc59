import type { Node } from '@babel/types'
import { childNodes, isFunctionNode } from '../core/ast/walk.js'
import { freeReferences } from './free-globals.js'

type AnyNode = Node & Record<string, any>

export interface SloppyAssignment {
  name: string
  /** Range of the assigned identifier, to replace by `globalThis.<name>`. */
  start: number
  end: number
  line: number
  column: number
}

/** Whether the code runs in sloppy mode under Node: CommonJS without a `'use strict'` prologue. */
export function mayBeSloppyCommonJs(code: string): boolean {
  return !/^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*(['"])use strict\1/.test(code) && !/^\s*(?:import\s*[\w{*'"]|export\s)/m.test(code)
}

const hasUseStrict = (node: AnyNode): boolean =>
  ((node.directives as AnyNode[] | undefined) ?? []).some((d) => d.value?.value === 'use strict') ||
  (node.body?.type === 'BlockStatement' && ((node.body.directives as AnyNode[] | undefined) ?? []).some((d) => d.value?.value === 'use strict'))

/**
 * Assignments to names no scope declares (`cb = options` in walkdir): in a sloppy-mode CommonJS
 * module they create a global, but bundled into ESM output every module runs in strict mode and
 * the same line throws `ReferenceError: cb is not defined`. Writing the target as
 * `globalThis.cb` does what sloppy mode did; reads of `cb` then find that global as before.
 * Code under a `'use strict'` directive or in a class is left alone: it threw already.
 */
export function findSloppyAssignments(program: Node): SloppyAssignment[] {
  const targets: AnyNode[] = []
  const visit = (node: AnyNode, strict: boolean): void => {
    const nowStrict = strict || node.type === 'ClassBody' || ((node.type === 'Program' || isFunctionNode(node)) && hasUseStrict(node))
    if (!nowStrict) {
      // Only `=` creates the global: `x += 1` and `x++` read it first and throw in sloppy mode too.
      if (node.type === 'AssignmentExpression' && node.operator === '=' && node.left.type === 'Identifier') targets.push(node.left)
      if ((node.type === 'ForInStatement' || node.type === 'ForOfStatement') && node.left.type === 'Identifier') targets.push(node.left)
    }
    for (const child of childNodes(node)) visit(child as AnyNode, nowStrict)
  }
  visit(program as AnyNode, false)
  if (targets.length === 0) return []
  const names = new Set(targets.map((t) => t.name as string))
  // Names every Node module may assign without declaring: module's own bindings and real globals.
  for (const known of ['module', 'exports', 'require', 'undefined', 'globalThis']) names.delete(known)
  const free = freeAssignmentTargets(program, names, targets)
  return free.map((t) => ({ name: t.name, start: t.start!, end: t.end!, line: t.loc!.start.line, column: t.loc!.start.column + 1 }))
}

/** The targets no enclosing scope declares, by the same scope model as the CommonJS globals. */
function freeAssignmentTargets(program: Node, names: Set<string>, targets: AnyNode[]): AnyNode[] {
  if (names.size === 0) return []
  const free = new Set<Node>(freeReferences(program, names))
  return targets.filter((t) => free.has(t))
}
