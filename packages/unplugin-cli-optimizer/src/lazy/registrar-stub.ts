/**
 * Registrars (issue 11): `program.command('scan').action(scanCommand)` hands an imported function
 * to a framework at load, and the framework calls it later. The import is replaced by a stub that
 * loads the module on its first call. The stub must pass for the function everywhere the
 * framework could look without calling it: same `name` and `length`, callable with `this` and
 * `new` like the original. So only exports that are function declarations qualify (an arrow has
 * no `this` and cannot be `new`ed, a class cannot be called): this file finds them.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Node } from '@babel/types'
import { parseModule } from '../core/ast/parse-module.js'
import type { BindingImport, LazyCandidate } from './find-lazy-candidates.js'

/** A registrar binding with the shape of the function it stands for. */
export interface RegistrarShape extends ExportedFunction {
  local: string
  binding: BindingImport
}

export interface ExportedFunction {
  /** The function's own name (`export default function () {}` is named `default`). */
  name: string
  /** Its `length`: parameters before the first default or rest. */
  length: number
}

function functionShape(node: Node, fallbackName: string): ExportedFunction | undefined {
  if (node.type !== 'FunctionDeclaration') return undefined
  let length = 0
  for (const param of node.params) {
    if (param.type === 'AssignmentPattern' || param.type === 'RestElement') break
    length++
  }
  return { name: node.id?.name ?? fallbackName, length }
}

/** How many identifiers named `name` the tree holds (declarations, references, export specifiers). */
function countIdentifiers(node: unknown, name: string): number {
  if (node === null || typeof node !== 'object') return 0
  if (Array.isArray(node)) return node.reduce((sum: number, child) => sum + countIdentifiers(child, name), 0)
  const record = node as Record<string, unknown>
  let count = record.type === 'Identifier' && record.name === name ? 1 : 0
  for (const key in record) {
    if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue
    count += countIdentifiers(record[key], name)
  }
  return count
}

/**
 * The function declaration `module` exports as `exportName` (`default` for the default export),
 * or why a stub cannot stand in for it. The module must not touch the function otherwise (no
 * `f.prototype.x =`, `f.meta =`, no other reference): then the function carries only its intrinsic
 * properties, which the stub copies (`name`, `length`) or holds alike (an empty `prototype`).
 */
export function exportedFunction(module: Node & { program: { body: Node[] } }, exportName: string): ExportedFunction | string {
  const found = declaredFunction(module, exportName)
  if (typeof found === 'string') return found
  if (found.local !== undefined && countIdentifiers(module.program, found.local) > found.identifiers) {
    return `${found.local} is also used inside its module (a property set on it, or another reference)`
  }
  return { name: found.name, length: found.length }
}

function declaredFunction(module: Node & { program: { body: Node[] } }, exportName: string): (ExportedFunction & { local?: string; identifiers: number }) | string {
  const body = module.program.body
  const declared = (local: string): Node | undefined =>
    body.find((statement) => statement.type === 'FunctionDeclaration' && statement.id?.name === local) ??
    body.flatMap((statement) => (statement.type === 'ExportNamedDeclaration' && statement.declaration ? [statement.declaration] : [])).find((d) => d.type === 'FunctionDeclaration' && d.id?.name === local)
  for (const statement of body) {
    if (exportName === 'default' && statement.type === 'ExportDefaultDeclaration') {
      const declaration = statement.declaration as Node
      const target = declaration.type === 'Identifier' ? declared(declaration.name) : declaration
      const shape = target && functionShape(target, 'default')
      if (!shape) return 'the default export is not a function declaration'
      const local = (target as { id?: { name: string } | null }).id?.name
      return { ...shape, local, identifiers: declaration.type === 'Identifier' ? 2 : 1 }
    }
    if (statement.type !== 'ExportNamedDeclaration') continue
    if (statement.declaration) {
      const declaration = statement.declaration
      if (declaration.type === 'FunctionDeclaration' && declaration.id?.name === exportName) return { ...functionShape(declaration, exportName)!, local: exportName, identifiers: 1 }
      if (declaration.type === 'VariableDeclaration' || declaration.type === 'ClassDeclaration') {
        const names = declaration.type === 'ClassDeclaration' ? [declaration.id?.name] : declaration.declarations.map((d) => (d.id.type === 'Identifier' ? d.id.name : undefined))
        if (names.includes(exportName)) return `${exportName} is not a function declaration (an arrow, a class or a value)`
      }
      continue
    }
    if (statement.source) continue
    for (const specifier of statement.specifiers) {
      if (specifier.type !== 'ExportSpecifier') continue
      const exported = specifier.exported.type === 'Identifier' ? specifier.exported.name : specifier.exported.value
      if (exported !== exportName) continue
      const target = declared(specifier.local.name)
      const shape = target && functionShape(target, specifier.local.name)
      if (!shape) return `${exportName} is not a function declaration of the module`
      // The declaration, the specifier's local name, and its exported name when it is the same.
      return { ...shape, local: specifier.local.name, identifiers: exported === specifier.local.name ? 3 : 2 }
    }
  }
  return `${exportName} is not declared by the module itself (re-exported or missing)`
}

/**
 * A hoisted function named like the import's local binding, with the original's `length`, that
 * loads the module on first call and forwards `this`, the arguments and `new`.
 */
export function registrarStub(local: string, target: string, shape: Pick<ExportedFunction, 'name' | 'length'>): string {
  const params = Array.from({ length: shape.length }, (_, i) => `_${i}`).join(', ')
  const stub = `function ${local}(${params}) { return new.target ? Reflect.construct(${target}, arguments, new.target) : ${target}.apply(this, arguments); }`
  return shape.name === local ? stub : `${stub} Object.defineProperty(${local}, "name", { value: ${JSON.stringify(shape.name)} });`
}

/**
 * The exported functions registrar stubs stand in for, or why one cannot: the target must be an
 * ES module that declares each as a function its module does not otherwise touch. A refusal keeps
 * the sync form's own wording ("used at top level") and adds why no stub applies.
 */
export async function registrarShapes(registrars: NonNullable<LazyCandidate['registrars']>, file: string, commonjs: boolean): Promise<RegistrarShape[] | string> {
  const refusal = (registrar: (typeof registrars)[number], why: string): string => `${registrar.at} used at top level: handed to a call at load, but ${why}, so no stub can stand in for it`
  if (commonjs || !path.isAbsolute(file)) return refusal(registrars[0]!, 'its module is not an ES module of the build')
  let ast: ReturnType<typeof parseModule>
  try {
    ast = parseModule(await readFile(file, 'utf8'), file)
  } catch {
    return refusal(registrars[0]!, 'its module cannot be read')
  }
  const shapes: RegistrarShape[] = []
  for (const registrar of registrars) {
    const exportName = registrar.binding.kind === 'default' ? 'default' : (registrar.binding as { name: string }).name
    const shape = exportedFunction(ast as never, exportName)
    if (typeof shape === 'string') return refusal(registrar, shape)
    shapes.push({ local: registrar.local, binding: registrar.binding, ...shape })
  }
  return shapes
}
