/** Dynamic imports of packages, found without parsing: `import('pkg')` with a literal specifier. */
const DYNAMIC_IMPORT = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*[,)]/g
const STATIC_IMPORT = /(?:\bfrom|^\s*import|\bexport\s*\*)\s*(['"])([^'"\n]+)\1/gm

export interface DynamicImportSite {
  specifier: string
  line: number
  column: number
}

/** A specifier naming a package (not a relative, absolute, URL or builtin one). */
export function isPackageSpecifier(specifier: string): boolean {
  return !/^(?:\.|\/|[a-z][\w+.-]*:)/i.test(specifier) && !specifier.startsWith('#')
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

function lineColumn(code: string, index: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = code.indexOf('\n'); i !== -1 && i < index; i = code.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: index - lineStart + 1 }
}

/**
 * Packages a module imports only dynamically, with where. A package it also imports statically
 * is left out: a static import of a missing package must still fail the build.
 */
export function dynamicOnlyPackageImports(code: string): DynamicImportSite[] {
  const statics = new Set<string>()
  for (const match of code.matchAll(STATIC_IMPORT)) statics.add(match[2]!)
  const sites: DynamicImportSite[] = []
  for (const match of code.matchAll(DYNAMIC_IMPORT)) {
    const specifier = match[2]!
    if (!isPackageSpecifier(specifier) || statics.has(specifier)) continue
    sites.push({ specifier, ...lineColumn(code, match.index) })
  }
  return sites
}
