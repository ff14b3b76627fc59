/**
 * What the barrel rewriter, side-effect inference and the dead-export report need to know about
 * one module, computed from its source alone (no resolution), so it can be cached on disk keyed
 * by the contents: how every exported name is defined, what it imports, and its top-level effects
 * (from the shared analyser in `analysis/module-effects.ts`).
 */
import type { File, Node, Statement } from '@babel/types'
import { analyzeModuleEffects, type FindingKind } from '../analysis/module-effects.js'
import { traverse } from '../analysis/babel-traverse.js'
import { parseModule } from '../core/ast/parse-module.js'
import { walk } from '../core/ast/walk.js'

/** How one exported name is defined. `imported: '*'` is a namespace (`export * as ns from`). */
export type ExportDefinition =
  | { name: string; kind: 'local'; bytes: number }
  | { name: string; kind: 'reexport'; source: string; imported: string }

/** A CommonJS export: `{ name: require('./x') }` gives `source`; anything else is `null`. */
export interface CjsExport {
  name: string
  source: string | null
}

export interface FactFinding {
  kind: FindingKind
  observable: boolean
  source?: string
  line: number
  detail: string
}

export interface ImportSpecifierFact {
  /** Exported name asked for: a name, `default`, or `*` for a namespace import. */
  imported: string
  local: string
  /** TypeScript `type` specifier: erased, never rewritten. */
  typeOnly: boolean
}

/** One `import … from` or `export … from` declaration of the module, with its position. */
export interface ImportDeclarationFact {
  kind: 'import' | 'export-from'
  source: string
  start: number
  end: number
  line: number
  column: number
  specifiers: ImportSpecifierFact[]
  /**
   * For a namespace import: the members read as `ns.member`, or `null` when the namespace
   * escapes (passed around, computed access, spread…) and must stay a real namespace object.
   */
  namespaceMembers: string[] | null | undefined
  /** For a namespace import: where each `ns.member` read is, to replace it by a plain binding. */
  namespaceReads: Array<{ start: number; end: number; member: string }> | undefined
  /**
   * For a default import: the members read as `local.member`, or `null` when the binding is used
   * otherwise. A CommonJS barrel's default (`import semver from 'semver'; semver.gt(…)`) can then
   * be rebuilt from just those members.
   */
  defaultMembers?: string[] | null
}

export interface ModuleFacts {
  format: 'esm' | 'cjs' | 'none'
  /** Statically known ESM exports, in source order. */
  exports: ExportDefinition[]
  /** `export * from '…'` sources. */
  starSources: string[]
  /** CommonJS exports when `module.exports`/`exports.x` are static; `undefined` when not CommonJS. */
  cjsExports: CjsExport[] | undefined
  /** Exports assigned in ways the analysis cannot list (computed keys, `Object.defineProperty`, spreads…). */
  dynamicExports: boolean
  /** Sets `exports.__esModule`: default-import interop differs between bundlers, so never a rewrite target. */
  esModuleFlag: boolean
  imports: ImportDeclarationFact[]
  /** Static dependencies (imports and re-exports, literal `require`s), for graph walks. */
  dependencies: Array<{ source: string; kind: 'import' | 'require' }>
  /** Literal `import('…')` specifiers: their targets' whole namespaces are in use. */
  dynamicImports: string[]
  /** Whether evaluating the module does anything besides defining its exports. */
  sideEffectFree: boolean
  findings: FactFinding[]
}

const EXPORTS_OBJECT = /\b(?:module\.exports|exports\.|exports\[|Object\.defineProperty\(\s*(?:module\.)?exports)/

function nameOf(node: Node): string {
  if (node.type === 'Identifier') return node.name
  if (node.type === 'StringLiteral') return node.value
  return ''
}

function bytesOf(node: Node): number {
  return (node.end ?? 0) - (node.start ?? 0)
}

/** Top-level bindings declared locally, with the byte size of their declaration. */
function localDeclarations(body: Statement[]): Map<string, number> {
  const sizes = new Map<string, number>()
  for (const raw of body) {
    const statement = raw.type === 'ExportNamedDeclaration' && raw.declaration ? raw.declaration : raw
    if (statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') {
      if (statement.id) sizes.set(statement.id.name, bytesOf(statement))
    } else if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        const size = statement.declarations.length === 1 ? bytesOf(statement) : bytesOf(declarator)
        for (const name of patternNames(declarator.id)) sizes.set(name, size)
      }
    }
  }
  return sizes
}

function patternNames(node: Node): string[] {
  switch (node.type) {
    case 'Identifier':
      return [node.name]
    case 'ObjectPattern':
      return node.properties.flatMap((p) => patternNames(p.type === 'RestElement' ? p.argument : p.value))
    case 'ArrayPattern':
      return node.elements.flatMap((e) => (e ? patternNames(e) : []))
    case 'AssignmentPattern':
      return patternNames(node.left)
    case 'RestElement':
      return patternNames(node.argument)
    default:
      return []
  }
}

function requireSource(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== 'CallExpression') return undefined
  if (node.callee.type !== 'Identifier' || node.callee.name !== 'require') return undefined
  const [first] = node.arguments
  return node.arguments.length === 1 && first?.type === 'StringLiteral' ? first.value : undefined
}

function isModuleExports(node: Node): boolean {
  return (
    node.type === 'MemberExpression' &&
    !node.computed &&
    node.object.type === 'Identifier' &&
    node.object.name === 'module' &&
    node.property.type === 'Identifier' &&
    node.property.name === 'exports'
  )
}

/** `exports.x` or `module.exports.x`: the name, or `null` for a computed one. */
function exportsMember(node: Node): string | null | undefined {
  if (node.type !== 'MemberExpression') return undefined
  const object = node.object
  const onExports = (object.type === 'Identifier' && object.name === 'exports') || isModuleExports(object)
  if (!onExports) return undefined
  if (!node.computed && node.property.type === 'Identifier') return node.property.name
  if (node.property.type === 'StringLiteral') return node.property.value
  return null
}

interface CjsScan {
  exports: CjsExport[]
  dynamic: boolean
  esModuleFlag: boolean
}

/**
 * Reads the static shape of a CommonJS module's exports: `module.exports = { a: require('./a'),
 * b, c: x.y }` (identifiers bound once to `require()` count as requires), and `exports.a = …`
 * statements. Anything else touching `exports` makes the shape dynamic.
 */
function scanCommonJs(ast: File, code: string): CjsScan {
  const body = ast.program.body
  const requiredBindings = new Map<string, string>()
  const exports: CjsExport[] = []
  let dynamic = false
  const esModuleFlag = /\b__esModule\b/.test(code)

  for (const statement of body) {
    if (statement.type === 'VariableDeclaration' && statement.kind === 'const') {
      for (const declarator of statement.declarations) {
        const source = requireSource(declarator.init)
        if (source !== undefined && declarator.id.type === 'Identifier') requiredBindings.set(declarator.id.name, source)
      }
    }
  }
  const valueSource = (value: Node): string | null => {
    const direct = requireSource(value)
    if (direct !== undefined) return direct
    if (value.type === 'Identifier') return requiredBindings.get(value.name) ?? null
    return null
  }

  let sawExports = false
  for (const statement of body) {
    if (statement.type !== 'ExpressionStatement' || statement.expression.type !== 'AssignmentExpression') continue
    const assignment = statement.expression
    if (assignment.operator !== '=') continue
    if (isModuleExports(assignment.left)) {
      sawExports = true
      exports.length = 0
      if (assignment.right.type !== 'ObjectExpression') {
        dynamic = true
        continue
      }
      for (const property of assignment.right.properties) {
        if (property.type !== 'ObjectProperty' || property.computed) {
          dynamic = true
          continue
        }
        exports.push({ name: nameOf(property.key), source: valueSource(property.value) })
      }
      continue
    }
    const member = exportsMember(assignment.left)
    if (member === undefined) continue
    sawExports = true
    if (member === null) dynamic = true
    else exports.push({ name: member, source: valueSource(assignment.right) })
  }
  // Any other mention of the exports object (nested assignments, defineProperty, `exports[k]`,
  // passing `module.exports` around) may add names we did not list.
  const mentions = countExportMentions(ast)
  const counted = countStaticExportMentions(body)
  if (mentions !== counted) dynamic = true
  if (!sawExports && mentions > 0) dynamic = true
  return { exports, dynamic, esModuleFlag }
}

/** References to `module.exports` or a free `exports`, wherever they are. */
function countExportMentions(ast: File): number {
  let count = 0
  walk(ast.program, (node, parents) => {
    if (isModuleExports(node)) {
      count++
      return false
    }
    if (node.type !== 'Identifier' || node.name !== 'exports') return
    const parent = parents[parents.length - 1]
    if (parent?.type === 'MemberExpression' && parent.property === node && !parent.computed) return
    if ((parent?.type === 'ObjectProperty' || parent?.type === 'ObjectMethod' || parent?.type === 'ClassMethod') && parent.key === node && !parent.computed) return
    count++
  })
  return count
}

function countStaticExportMentions(body: Statement[]): number {
  let count = 0
  for (const statement of body) {
    if (statement.type !== 'ExpressionStatement' || statement.expression.type !== 'AssignmentExpression') continue
    const left = statement.expression.left
    if (isModuleExports(left)) count++
    else if (exportsMember(left) !== undefined) count++
  }
  return count
}

/** Members read from a namespace binding, or `null` when it escapes. */
function namespaceUsage(ast: File, local: string): { members: string[] | null; reads: Array<{ start: number; end: number; member: string }> } {
  let escapes = false
  const members = new Set<string>()
  const reads: Array<{ start: number; end: number; member: string }> = []
  traverse(ast, {
    Program(path) {
      const binding = path.scope.getBinding(local)
      if (!binding || !binding.constant) {
        escapes = true
        path.stop()
        return
      }
      for (const ref of binding.referencePaths) {
        const parent = ref.parentPath
        const node = parent?.node
        if (!parent || !node || node.type !== 'MemberExpression' || node.object !== ref.node) {
          escapes = true
          break
        }
        const member = !node.computed && node.property.type === 'Identifier' ? node.property.name : node.property.type === 'StringLiteral' ? node.property.value : undefined
        const grand = parent.parentPath?.node
        const written =
          (grand?.type === 'AssignmentExpression' && grand.left === node) ||
          grand?.type === 'UpdateExpression' ||
          (grand?.type === 'UnaryExpression' && grand.operator === 'delete')
        if (member === undefined || written) {
          escapes = true
          break
        }
        members.add(member)
        reads.push({ start: node.start!, end: node.end!, member })
      }
      path.stop()
    },
  })
  return escapes ? { members: null, reads: [] } : { members: [...members], reads }
}

function importFacts(ast: File): ImportDeclarationFact[] {
  const facts: ImportDeclarationFact[] = []
  for (const statement of ast.program.body) {
    const position = { start: statement.start!, end: statement.end!, line: statement.loc?.start.line ?? 0, column: (statement.loc?.start.column ?? 0) + 1 }
    if (statement.type === 'ImportDeclaration') {
      if (statement.importKind === 'type' || statement.importKind === 'typeof') continue
      const specifiers: ImportSpecifierFact[] = []
      let namespaceLocal: string | undefined
      for (const specifier of statement.specifiers) {
        if (specifier.type === 'ImportDefaultSpecifier') specifiers.push({ imported: 'default', local: specifier.local.name, typeOnly: false })
        else if (specifier.type === 'ImportNamespaceSpecifier') {
          specifiers.push({ imported: '*', local: specifier.local.name, typeOnly: false })
          namespaceLocal = specifier.local.name
        } else {
          specifiers.push({ imported: nameOf(specifier.imported), local: specifier.local.name, typeOnly: specifier.importKind === 'type' || specifier.importKind === 'typeof' })
        }
      }
      const usage = namespaceLocal ? namespaceUsage(ast, namespaceLocal) : undefined
      const defaultLocal = statement.specifiers.find((spec) => spec.type === 'ImportDefaultSpecifier')?.local.name
      const defaultUsage = defaultLocal ? namespaceUsage(ast, defaultLocal) : undefined
      facts.push({
        kind: 'import',
        source: statement.source.value,
        ...position,
        specifiers,
        namespaceMembers: usage?.members,
        namespaceReads: usage?.reads,
        ...(defaultUsage ? { defaultMembers: defaultUsage.members } : {}),
      })
    } else if (statement.type === 'ExportNamedDeclaration' && statement.source) {
      if (statement.exportKind === 'type') continue
      const specifiers: ImportSpecifierFact[] = []
      for (const specifier of statement.specifiers) {
        if (specifier.type === 'ExportSpecifier') {
          specifiers.push({ imported: nameOf(specifier.local), local: nameOf(specifier.exported), typeOnly: specifier.exportKind === 'type' })
        } else if (specifier.type === 'ExportNamespaceSpecifier') {
          specifiers.push({ imported: '*', local: nameOf(specifier.exported), typeOnly: false })
        } else {
          specifiers.push({ imported: 'default', local: nameOf(specifier.exported), typeOnly: false })
        }
      }
      facts.push({ kind: 'export-from', source: statement.source.value, ...position, specifiers, namespaceMembers: undefined, namespaceReads: undefined })
    }
  }
  return facts
}

function esmExports(ast: File): { exports: ExportDefinition[]; starSources: string[] } {
  const body = ast.program.body
  const locals = localDeclarations(body)
  const imported = new Map<string, { source: string; imported: string }>()
  for (const statement of body) {
    if (statement.type !== 'ImportDeclaration' || statement.importKind === 'type') continue
    for (const specifier of statement.specifiers) {
      const name = specifier.type === 'ImportDefaultSpecifier' ? 'default' : specifier.type === 'ImportNamespaceSpecifier' ? '*' : nameOf(specifier.imported)
      imported.set(specifier.local.name, { source: statement.source.value, imported: name })
    }
  }
  const exports: ExportDefinition[] = []
  const starSources: string[] = []
  for (const statement of body) {
    if (statement.type === 'ExportAllDeclaration') {
      if (statement.exportKind !== 'type') starSources.push(statement.source.value)
    } else if (statement.type === 'ExportDefaultDeclaration') {
      exports.push({ name: 'default', kind: 'local', bytes: bytesOf(statement) })
    } else if (statement.type === 'ExportNamedDeclaration') {
      if (statement.exportKind === 'type') continue
      const declaration = statement.declaration
      if (declaration) {
        if (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') {
          if (declaration.id) exports.push({ name: declaration.id.name, kind: 'local', bytes: bytesOf(statement) })
        } else if (declaration.type === 'VariableDeclaration') {
          for (const declarator of declaration.declarations) {
            for (const name of patternNames(declarator.id)) exports.push({ name, kind: 'local', bytes: locals.get(name) ?? bytesOf(declarator) })
          }
        }
        continue
      }
      for (const specifier of statement.specifiers) {
        if (specifier.type === 'ExportSpecifier' && specifier.exportKind === 'type') continue
        const exported = nameOf(specifier.exported)
        if (statement.source) {
          const importedName = specifier.type === 'ExportNamespaceSpecifier' ? '*' : specifier.type === 'ExportDefaultSpecifier' ? 'default' : nameOf(specifier.local)
          exports.push({ name: exported, kind: 'reexport', source: statement.source.value, imported: importedName })
          continue
        }
        if (specifier.type !== 'ExportSpecifier') continue
        const local = nameOf(specifier.local)
        const from = imported.get(local)
        if (from) exports.push({ name: exported, kind: 'reexport', source: from.source, imported: from.imported })
        else exports.push({ name: exported, kind: 'local', bytes: locals.get(local) ?? 0 })
      }
    }
  }
  return { exports, starSources }
}

function uniqueDependencies(dependencies: ReadonlyArray<{ source: string; kind: string }>): ModuleFacts['dependencies'] {
  const seen = new Map<string, { source: string; kind: 'import' | 'require' }>()
  for (const dependency of dependencies) {
    if (dependency.kind === 'dynamic-import') continue
    const kind = dependency.kind === 'require' ? 'require' : 'import'
    seen.set(`${kind}\0${dependency.source}`, { source: dependency.source, kind })
  }
  return [...seen.values()]
}

/** An expression whose evaluation only builds a value and calls nothing. */
function isInertExpression(node: Node | null | undefined): boolean {
  if (!node) return true
  switch (node.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
    case 'BigIntLiteral':
    case 'RegExpLiteral':
    case 'Identifier':
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return true
    case 'TemplateLiteral':
      return node.expressions.every((e) => isInertExpression(e))
    case 'UnaryExpression':
      return node.operator !== 'delete' && isInertExpression(node.argument)
    case 'BinaryExpression':
    case 'LogicalExpression':
      return node.left.type !== 'PrivateName' && isInertExpression(node.left) && isInertExpression(node.right)
    case 'ConditionalExpression':
      return isInertExpression(node.test) && isInertExpression(node.consequent) && isInertExpression(node.alternate)
    case 'ArrayExpression':
      return node.elements.every((e) => e === null || (e.type !== 'SpreadElement' && isInertExpression(e)))
    case 'ObjectExpression':
      return node.properties.every((p) => p.type === 'ObjectMethod' ? !p.computed : p.type === 'ObjectProperty' && !p.computed && isInertExpression(p.value as Node))
    case 'ClassExpression':
      return isInertClass(node)
    default:
      return false
  }
}

/** A class whose definition runs no code: no static blocks or static initialisers, no decorators or computed keys. */
function isInertClass(node: Node): boolean {
  if (node.type !== 'ClassDeclaration' && node.type !== 'ClassExpression') return false
  if (node.decorators?.length || (node.superClass && node.superClass.type !== 'Identifier')) return false
  return node.body.body.every((member) => {
    if (member.type === 'StaticBlock') return false
    if ('computed' in member && member.computed) return false
    if ('decorators' in member && member.decorators?.length) return false
    if ((member.type === 'ClassProperty' || member.type === 'ClassPrivateProperty') && member.static) return isInertExpression(member.value)
    return true
  })
}

/**
 * Most modules only declare things: when every top-level statement is an import, an export of
 * a declaration, a function, an inert class or a variable with an inert initialiser, the module
 * is side-effect-free without the full (scope-tracking, much slower) effects analysis.
 */
function isTriviallyInert(ast: File): boolean {
  if (ast.program.sourceType !== 'module') return false
  return ast.program.body.every((raw) => {
    let statement: Node = raw
    if (statement.type === 'ImportDeclaration' || statement.type === 'ExportAllDeclaration' || statement.type === 'EmptyStatement') return true
    if (statement.type === 'ExportNamedDeclaration') {
      if (!statement.declaration) return true
      statement = statement.declaration
    } else if (statement.type === 'ExportDefaultDeclaration') {
      statement = statement.declaration
      if (statement.type !== 'FunctionDeclaration' && statement.type !== 'ClassDeclaration') return isInertExpression(statement)
    }
    if (statement.type === 'FunctionDeclaration') return true
    if (statement.type === 'ClassDeclaration') return isInertClass(statement)
    if (statement.type === 'VariableDeclaration') return statement.declarations.every((d) => d.id.type === 'Identifier' && isInertExpression(d.init))
    if (statement.type === 'TSTypeAliasDeclaration' || statement.type === 'TSInterfaceDeclaration') return true
    return false
  })
}

function staticDependencies(ast: File): Array<{ source: string; kind: 'import' | 'reexport'; line: number; column: number }> {
  const dependencies: Array<{ source: string; kind: 'import' | 'reexport'; line: number; column: number }> = []
  for (const statement of ast.program.body) {
    const at = { line: statement.loc?.start.line ?? 0, column: (statement.loc?.start.column ?? 0) + 1 }
    if (statement.type === 'ImportDeclaration') dependencies.push({ source: statement.source.value, kind: 'import', ...at })
    else if ((statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportAllDeclaration') && statement.source) {
      dependencies.push({ source: statement.source.value, kind: 'reexport', ...at })
    }
  }
  return dependencies
}

/** Facts of a module's source. Throws a located `CliOptimizerError` when it does not parse. */
export function moduleFacts(code: string, id: string): ModuleFacts {
  const ast = parseModule(code, id)
  const isEsm = ast.program.sourceType === 'module'
  // Dynamic `import()` can hide anywhere (even in an inert function body): only the full
  // analysis lists those, so the fast path is for modules without one.
  const effects = isTriviallyInert(ast) && !/\bimport\s*\(/.test(code)
    ? { sideEffectFree: true, findings: [], dependencies: staticDependencies(ast) }
    : analyzeModuleEffects(ast, code)
  const { exports, starSources } = isEsm ? esmExports(ast) : { exports: [], starSources: [] }
  const usesCommonJs = !isEsm && EXPORTS_OBJECT.test(code)
  const cjs = usesCommonJs ? scanCommonJs(ast, code) : undefined
  return {
    format: isEsm ? 'esm' : usesCommonJs ? 'cjs' : 'none',
    exports,
    starSources,
    cjsExports: cjs?.exports,
    dynamicExports: cjs?.dynamic ?? false,
    esModuleFlag: cjs?.esModuleFlag ?? false,
    imports: isEsm ? importFacts(ast) : [],
    dependencies: uniqueDependencies(effects.dependencies),
    dynamicImports: [...new Set(effects.dependencies.filter((d) => d.kind === 'dynamic-import').map((d) => d.source))],
    sideEffectFree: effects.sideEffectFree,
    findings: effects.findings.map((f) => ({
      kind: f.kind,
      observable: f.observable,
      ...(f.source !== undefined ? { source: f.source } : {}),
      line: f.line,
      detail: f.detail,
    })),
  }
}

/** Bumped whenever `ModuleFacts` or how it is computed changes: part of the cache version. */
export const FACTS_SCHEMA = 4
