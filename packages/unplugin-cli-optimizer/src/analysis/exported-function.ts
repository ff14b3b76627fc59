/**
 * Where a module defines the function it exports under a name: the body a call of that export
 * runs. Shared by the effect analysis of calls at load (`analyzeCallEffects`) and by the lazy
 * facades (a method called on a namespace sees the namespace as `this`).
 */
import type { Node } from '@babel/types'
import type { NodePath } from './babel-traverse.js'

/** Where an exported function is defined, when it is not in the module itself. */
export type ExportedElsewhere =
  | { kind: 'reexport'; source: string; name: string }
  | { kind: 'star'; sources: string[] }

/** The function a value stands for: a function expression, or a local name bound to one. */
function functionOf(value: NodePath | undefined): NodePath | undefined {
  if (!value?.node) return undefined
  if (value.isFunctionExpression() || value.isArrowFunctionExpression() || value.isFunctionDeclaration()) return value
  if (!value.isIdentifier()) return undefined
  const decl = value.scope.getBinding(value.node.name)?.path
  if (decl?.isFunctionDeclaration()) return decl
  if (decl?.isVariableDeclarator()) {
    const init = decl.get('init') as NodePath
    if (init.isFunctionExpression() || init.isArrowFunctionExpression()) return init
  }
  return undefined
}

/** A local name imported from another module: where it comes from. */
function importedAs(program: NodePath, local: string): ExportedElsewhere | undefined {
  const decl = program.scope.getBinding(local)?.path
  if (!decl) return undefined
  const source = (decl.parentPath?.node as { source?: { value: string } } | undefined)?.source?.value
  if (source === undefined) return undefined
  if (decl.isImportSpecifier()) {
    const imported = decl.node.imported
    return { kind: 'reexport', source, name: imported.type === 'Identifier' ? imported.name : imported.value }
  }
  if (decl.isImportDefaultSpecifier()) return { kind: 'reexport', source, name: 'default' }
  return undefined
}

function exportName(node: Node): string {
  return node.type === 'Identifier' ? node.name : (node as { value: string }).value
}

/**
 * Where the export `name` of the module whose `Program` path is `program` is defined: the
 * function's node, where it is re-exported from, or `undefined` when it is not a function the
 * analysis can see. For CommonJS, `'*'` is `module.exports` itself and `'default'` falls back to it.
 */
export function exportedFunction(program: NodePath, name: string): { node: Node } | ExportedElsewhere | undefined {
  // `d.f()` on a default import: for CommonJS the default export is `module.exports`, so `f` is
  // `exports.f`; an ES module's default export is a value the analysis does not look into.
  if (name.startsWith('default.')) {
    const member = name.slice('default.'.length)
    if ((program.node as { sourceType?: string }).sourceType === 'script') return commonjsExport(program.get('body') as NodePath[], member)
    // A barrel passing another module's default on (`export { default } from './m.cjs'`).
    const found = exportedFunction(program, 'default')
    return found && 'kind' in found && found.kind === 'reexport' && found.name === 'default' ? { ...found, name } : undefined
  }
  const stars: string[] = []
  const body = program.get('body') as NodePath[]
  for (const statement of body) {
    if (statement.isExportNamedDeclaration()) {
      const declaration = statement.get('declaration') as NodePath
      if (declaration.isFunctionDeclaration() && declaration.node.id?.name === name) return { node: declaration.node }
      if (declaration.isVariableDeclaration()) {
        for (const declarator of declaration.get('declarations')) {
          const id = declarator.node.id
          if (id.type === 'Identifier' && id.name === name) {
            const fn = functionOf(declarator.get('init') as NodePath)
            return fn ? { node: fn.node } : undefined
          }
        }
      }
      for (const specifier of statement.get('specifiers')) {
        if (!specifier.isExportSpecifier() || exportName(specifier.node.exported) !== name) continue
        const local = specifier.node.local.name
        if (statement.node.source) return { kind: 'reexport', source: statement.node.source.value, name: local }
        const fn = functionOf(specifier.get('local') as NodePath)
        return fn ? { node: fn.node } : importedAs(program, local)
      }
    } else if (statement.isExportDefaultDeclaration() && name === 'default') {
      const declaration = statement.get('declaration') as NodePath
      const fn = functionOf(declaration)
      if (fn) return { node: fn.node }
      return declaration.isIdentifier() ? importedAs(program, declaration.node.name) : undefined
    } else if (statement.isExportAllDeclaration()) {
      stars.push(statement.node.source.value)
    }
  }
  if (stars.length > 0 && name !== 'default') return { kind: 'star', sources: stars }
  return commonjsExport(body, name)
}

/** `exports.name = fn`, `module.exports.name = fn`, `module.exports = fn` (`'*'`, `'default'`), `module.exports = { name }`. */
function commonjsExport(body: NodePath[], name: string): { node: Node } | undefined {
  let whole: NodePath | undefined
  for (const statement of body) {
    if (!statement.isExpressionStatement()) continue
    const expression = statement.get('expression') as NodePath
    if (!expression.isAssignmentExpression({ operator: '=' })) continue
    const left = expression.get('left') as NodePath
    const right = expression.get('right') as NodePath
    const props = exportsPath(left)
    if (!props) continue
    if (props.length === 1 && props[0] === name) {
      const fn = functionOf(right)
      if (fn) return { node: fn.node }
    }
    if (props.length === 0) whole = right
  }
  if (!whole) return undefined
  if (name === '*' || name === 'default') {
    const fn = functionOf(whole)
    return fn ? { node: fn.node } : undefined
  }
  if (whole.isObjectExpression()) {
    for (const property of whole.get('properties')) {
      if (!property.isObjectProperty() || property.node.computed || exportName(property.node.key) !== name) continue
      const fn = functionOf(property.get('value') as NodePath)
      return fn ? { node: fn.node } : undefined
    }
  }
  return undefined
}


/** `exports.a` → `['a']`, `module.exports` → `[]`, `module.exports.a` → `['a']`; else undefined. */
function exportsPath(target: NodePath): string[] | undefined {
  const props: string[] = []
  let current = target
  while (current.isMemberExpression()) {
    const property = current.node.property
    if (current.node.computed && property.type !== 'StringLiteral') return undefined
    props.unshift(property.type === 'Identifier' ? property.name : (property as { value: string }).value)
    current = current.get('object') as NodePath
  }
  if (!current.isIdentifier() || current.scope.getBinding(current.node.name)) return undefined
  if (current.node.name === 'exports') return props
  return current.node.name === 'module' && props[0] === 'exports' ? props.slice(1) : undefined
}
