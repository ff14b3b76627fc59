/** Dynamic imports of packages, found without parsing: `import('pkg')` with a literal specifier. */
const DYNAMIC_IMPORT = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*[,)]/g
/** `require('pkg')` with a literal specifier (not `x.require(…)`, not `require.resolve`). */
const REQUIRE_CALL = /(?<![\w$.])require\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g
const STATIC_IMPORT = /(?:\bfrom|^\s*import|\bexport\s*\*)\s*(['"])([^'"\n]+)\1/gm

export interface DynamicImportSite {
  specifier: string
  line: number
  column: number
  /** Range of the specifier's string literal (requires only). */
  start?: number
  end?: number
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

/**
 * Packages a CommonJS module `require()`s by a literal name, with where (first site per package).
 * A missing one is no build error under Node: the `require` throws when, and only if, it runs
 * (optional template engines required inside a function, `try { require('x') } catch {}`), so
 * esbuild keeps requires in `try` blocks for run time and Rollup's CommonJS plugin externalises
 * what it cannot resolve; the plugin does the same for every bundler. Only resolutions the
 * bundler marks as a require use these sites, and a package the module also imports statically
 * is left out (unplugin does not tell esbuild's kinds apart): a static import of a missing
 * package must still fail the build.
 */
export function packageRequires(code: string): DynamicImportSite[] {
  const statics = new Set<string>()
  for (const match of code.matchAll(STATIC_IMPORT)) statics.add(match[2]!)
  const sites = new Map<string, DynamicImportSite>()
  for (const match of code.matchAll(REQUIRE_CALL)) {
    const specifier = match[2]!
    if (!isPackageSpecifier(specifier) || statics.has(specifier) || sites.has(specifier)) continue
    const start = match.index + match[0].indexOf(match[1]!)
    sites.set(specifier, { specifier, start, end: start + specifier.length + 2, ...lineColumn(code, match.index) })
  }
  return [...sites.values()]
}
