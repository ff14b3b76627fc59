import { builtinModules } from 'node:module'
import type { File, Node } from '@babel/types'
import { walk } from '../core/ast/walk.js'
import type { ReportPackageImport } from './report-types.js'

const BUILTINS = new Set(builtinModules)

/** The npm package a bare specifier names (`@scope/name/sub` → `@scope/name`), or undefined. */
export function packageOfSpecifier(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || specifier.startsWith('#')) return undefined
  if (/^[a-z][a-z0-9+.-]*:/i.test(specifier)) return undefined
  const parts = specifier.split('/')
  const name = parts[0]!.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
  if (BUILTINS.has(name) || BUILTINS.has(specifier)) return undefined
  return name
}

/** One import of a module: the specifier and the names read from it (`*` for the whole module). */
export interface PackageImportRecord {
  specifier: string
  names: string[]
}

/** The imports of a parsed module that can name a package, in source order. */
export function packageImportsOf(ast: File): PackageImportRecord[] {
  const imports: PackageImportRecord[] = []
  const add = (specifier: string, names: string[]): void => {
    if (packageOfSpecifier(specifier)) imports.push({ specifier, names })
  }
  for (const statement of ast.program.body) {
    if (statement.type === 'ImportDeclaration') {
      if (statement.importKind === 'type') continue
      const names = statement.specifiers.map((s) => {
        if (s.type === 'ImportDefaultSpecifier') return 'default'
        if (s.type === 'ImportNamespaceSpecifier') return '*'
        return s.imported.type === 'Identifier' ? s.imported.name : s.imported.value
      })
      add(statement.source.value, names.length > 0 ? names : ['*'])
    } else if (statement.type === 'ExportAllDeclaration') {
      add(statement.source.value, ['*'])
    } else if (statement.type === 'ExportNamedDeclaration' && statement.source) {
      add(statement.source.value, statement.specifiers.map((s) => (s.type === 'ExportSpecifier' ? s.local.name : '*')))
    }
  }
  // import('pkg') and require('pkg') load the whole module object.
  walk(ast.program, (node: Node) => {
    if (node.type === 'ImportExpression' && node.source.type === 'StringLiteral') add(node.source.value, ['*'])
    if (
      node.type === 'CallExpression' &&
      node.callee.type === 'Identifier' &&
      node.callee.name === 'require' &&
      node.arguments[0]?.type === 'StringLiteral'
    ) {
      add(node.arguments[0].value, ['*'])
    }
    return undefined
  })
  return imports
}

/** Collects, per package, the names the app imports from it. One instance per build. */
export class PackageImports {
  readonly #byPackage = new Map<string, { names: Set<string>; importers: Set<string> }>()

  clear(): void {
    this.#byPackage.clear()
  }

  #add(specifier: string, names: readonly string[], importer: string): void {
    const pkg = packageOfSpecifier(specifier)
    if (!pkg) return
    const usage = this.#byPackage.get(pkg) ?? { names: new Set<string>(), importers: new Set<string>() }
    for (const name of names) usage.names.add(name)
    usage.importers.add(importer)
    this.#byPackage.set(pkg, usage)
  }

  /** Records the package imports of one parsed app module. */
  record(ast: File, importer: string): void {
    this.add(packageImportsOf(ast), importer)
  }

  /** Records imports found before (`packageImportsOf`, e.g. from the analysis cache). */
  add(imports: readonly PackageImportRecord[], importer: string): void {
    for (const { specifier, names } of imports) this.#add(specifier, names, importer)
  }

  list(): ReportPackageImport[] {
    return [...this.#byPackage]
      .map(([pkg, usage]) => ({ package: pkg, names: [...usage.names].sort(), importers: [...usage.importers].sort() }))
      .sort((a, b) => a.package.localeCompare(b.package))
  }
}
