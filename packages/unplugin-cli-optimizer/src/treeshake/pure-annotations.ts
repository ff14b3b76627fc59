import MagicString from 'magic-string'
import type { Expression, File, Node, Statement } from '@babel/types'
import { parseModule } from '../core/ast/parse-module.js'
import { childNodes } from '../core/ast/walk.js'
import type { TransformOutput } from '../core/context.js'
import { KNOWN_PURE_CALLS, globalRoot, type ArgumentRule } from './known-pure.js'

export const PURE_ANNOTATION = '/*#__PURE__*/'

/** A regex that finds modules mentioning any of the pure callees: others are never parsed. */
export function pureCalleeFilter(userPure: readonly string[]): RegExp {
  const names = [...KNOWN_PURE_CALLS.keys(), ...userPure].map((name) => name.replace(/^new /, '').replace(/[.$]/g, '\\$&'))
  return new RegExp(`(?:^|[^\\w$.])(?:${[...new Set(names)].join('|')})\\s*\\(`)
}

function calleeName(node: Node): string | undefined {
  if (node.type === 'Identifier') return node.name
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') {
    const object = calleeName(node.object)
    return object === undefined ? undefined : `${object}.${node.property.name}`
  }
  return undefined
}

function isAnnotated(node: Node): boolean {
  return (node.leadingComments ?? []).some((c) => /[@#]__PURE__/.test(c.value))
}

function topLevelNames(ast: File): Set<string> {
  const names = new Set<string>()
  const add = (node: Node | null | undefined): void => {
    if (node?.type === 'Identifier') names.add(node.name)
  }
  for (const raw of ast.program.body) {
    const statement: Node = (raw.type === 'ExportNamedDeclaration' || raw.type === 'ExportDefaultDeclaration') && raw.declaration ? raw.declaration : raw
    if (statement.type === 'ImportDeclaration') for (const s of statement.specifiers) add(s.local)
    else if (statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') add(statement.id)
    else if (statement.type === 'VariableDeclaration') for (const d of statement.declarations) add(d.id)
  }
  return names
}

/** A value whose evaluation does nothing but build it (see `ArgumentRule`). */
function isPureValue(node: Node, allowIdentifiers: boolean, isPureCall: (node: Node) => boolean): boolean {
  switch (node.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
    case 'BigIntLiteral':
    case 'RegExpLiteral':
      return true
    case 'TemplateLiteral':
      return node.expressions.length === 0
    case 'Identifier':
      return allowIdentifiers || node.name === 'undefined'
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return true
    case 'UnaryExpression':
      return (node.operator === '-' || node.operator === '!' || node.operator === 'void') && isPureValue(node.argument, false, isPureCall)
    case 'ArrayExpression':
      return node.elements.every((e) => e !== null && e.type !== 'SpreadElement' && isPureValue(e, true, isPureCall))
    case 'ObjectExpression':
      return node.properties.every((p) => {
        if (p.type === 'SpreadElement') return false
        if (p.computed) return false
        if (p.type === 'ObjectMethod') return true
        return isPureValue(p.value, true, isPureCall)
      })
    case 'CallExpression':
    case 'NewExpression':
      return isPureCall(node)
    default:
      return false
  }
}

function argumentsFit(rule: ArgumentRule, args: readonly Node[], isPureCall: (node: Node) => boolean): boolean {
  if (rule === 'fresh') {
    const [first] = args
    return (
      args.length === 1 &&
      first !== undefined &&
      (first.type === 'ObjectExpression' || first.type === 'ArrayExpression' || first.type === 'FunctionExpression' || first.type === 'ArrowFunctionExpression') &&
      isPureValue(first, true, isPureCall)
    )
  }
  return args.every((arg) => arg.type !== 'SpreadElement' && isPureValue(arg, rule === 'values', isPureCall))
}

/**
 * Offsets where `/*#__PURE__*\/` goes, in ES modules only: top-level calls (in declarations, exports and their
 * initialisers, never inside functions) of known-pure builtins and of `userPure` names, whose
 * arguments fit the callee's rule. A builtin name the module declares itself is not the builtin.
 */
export function pureAnnotationSites(ast: File, userPure: readonly string[]): number[] {
  // CommonJS top levels end up inside the bundler's module wrapper, where an annotation drops nothing.
  if (ast.program.sourceType !== 'module') return []
  const declared = topLevelNames(ast)
  const user = new Set(userPure)
  const sites: number[] = []
  const verdicts = new Map<Node, boolean>()

  const ruleFor = (node: Node): ArgumentRule | undefined => {
    if (node.type !== 'CallExpression' && node.type !== 'NewExpression') return undefined
    const name = calleeName(node.callee)
    if (name === undefined) return undefined
    const key = node.type === 'NewExpression' ? `new ${name}` : name
    if (user.has(name)) return 'values'
    const rule = KNOWN_PURE_CALLS.get(key)
    if (rule === undefined || declared.has(globalRoot(key))) return undefined
    return rule
  }
  const isPureCall = (node: Node): boolean => {
    const cached = verdicts.get(node)
    if (cached !== undefined) return cached
    const rule = ruleFor(node)
    const verdict = rule !== undefined && (node.type === 'CallExpression' || node.type === 'NewExpression') && argumentsFit(rule, node.arguments, isPureCall)
    verdicts.set(node, verdict)
    return verdict
  }
  const visit = (node: Node): void => {
    if (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression' || node.type === 'ClassExpression' || node.type === 'ObjectMethod') return
    if ((node.type === 'CallExpression' || node.type === 'NewExpression') && isPureCall(node) && !isAnnotated(node)) sites.push(node.start!)
    for (const child of childNodes(node)) visit(child)
  }
  const roots: Array<Expression | Node> = []
  for (const statement of ast.program.body as Statement[]) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement
    if (declaration?.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) if (declarator.init) roots.push(declarator.init)
    } else if (statement.type === 'ExportDefaultDeclaration' && statement.declaration.type !== 'FunctionDeclaration' && statement.declaration.type !== 'ClassDeclaration') {
      roots.push(statement.declaration)
    }
  }
  for (const root of roots) visit(root)
  return sites.sort((a, b) => a - b)
}

/** Inserts the annotations at `sites`; `undefined` when there are none. */
export function applyPureAnnotations(code: string, id: string, sites: readonly number[]): TransformOutput | undefined {
  if (sites.length === 0) return undefined
  const s = new MagicString(code)
  for (const site of sites) s.appendLeft(site, PURE_ANNOTATION)
  return { code: s.toString(), map: s.generateMap({ hires: true, source: id, includeContent: true }) }
}

/** Parse + find + apply, for callers without cached sites. */
export function annotatePureCalls(code: string, id: string, userPure: readonly string[]): TransformOutput | undefined {
  return applyPureAnnotations(code, id, pureAnnotationSites(parseModule(code, id), userPure))
}
