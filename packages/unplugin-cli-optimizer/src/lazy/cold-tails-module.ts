import MagicString, { type SourceMap } from 'magic-string'
import type { ColdTail, TailImport } from './find-cold-tails.js'
import { cachedLoader, LAZY_PREFIX } from './rewrite-lazy-imports.js'

/**
 * The tails of one module live in a module whose id is the file's own path plus a query, so every
 * bundler resolves its relative imports from the same folder and names its chunk like the file's.
 * A TypeScript file's tails keep its syntax (esbuild hands plugins untranspiled TypeScript), so
 * their query ends in `.ts`: the bundlers pick their TypeScript loader by that extension.
 */
const TAILS_QUERY = '?cli-optimizer-tails'
export const TAILS_ID = /\?cli-optimizer-tails(?:\.ts)?$/
/** Entries whose tails can move: JavaScript and TypeScript without JSX. */
export const TAILS_SOURCE = /\.[cm]?[jt]s$/

export const tailsId = (file: string): string => `${file}${TAILS_QUERY}${/\.[cm]?ts$/.test(file) ? '.ts' : ''}`

/** The export of the tails module that holds tail `index`. */
export const tailExport = (index: number): string => `__cliTail${index}`

function importDeclaration(source: string, imports: readonly TailImport[]): string {
  const quoted = JSON.stringify(source)
  const namespace = imports.find((i) => i.imported === '*')
  const defaults = imports.filter((i) => i.imported === 'default')
  const named = imports.filter((i) => i.imported !== '*' && i.imported !== 'default')
  const lines: string[] = []
  if (namespace) lines.push(`import * as ${namespace.local} from ${quoted};`)
  for (const d of defaults) lines.push(`import ${d.local} from ${quoted};`)
  if (named.length > 0) {
    const list = named.map((i) => (i.imported === i.local ? i.local : `${/^[A-Za-z_$][\w$]*$/.test(i.imported) ? i.imported : JSON.stringify(i.imported)} as ${i.local}`))
    lines.push(`import { ${list.join(', ')} } from ${quoted};`)
  }
  return lines.join(' ')
}

/**
 * The tails module: the imports the tails read, then one async function per tail with the head's
 * values as parameters and the tail's statements, verbatim, as its body. Cut from the original
 * code, so its source map points at the original lines.
 */
export function tailsModule(code: string, tails: readonly ColdTail[], file: string): { code: string; map: SourceMap } {
  const bySource = new Map<string, TailImport[]>()
  const seen = new Set<string>()
  for (const item of tails.flatMap((tail) => tail.imports).sort((a, b) => a.order - b.order)) {
    if (seen.has(item.local)) continue
    seen.add(item.local)
    bySource.set(item.source, [...(bySource.get(item.source) ?? []), item])
  }
  const s = new MagicString(code)
  let kept = 0
  for (const tail of tails) {
    if (tail.start > kept) s.remove(kept, tail.start)
    kept = tail.end
  }
  if (kept < code.length) s.remove(kept, code.length)
  tails.forEach((tail, index) => {
    s.prependRight(tail.start, `export async function ${tailExport(index)}(${tail.params.join(', ')}) {\n`)
    s.appendLeft(tail.end, '\n}\n')
  })
  s.prepend(`${[...bySource].map(([source, imports]) => importDeclaration(source, imports)).join('\n')}\n`)
  return { code: s.toString(), map: s.generateMap({ hires: true, source: file, includeContent: true }) }
}

/**
 * Replaces each tail in the original module with a call of its moved copy, loaded once by a
 * cached loader like a deferred import's (`ns ?? await load()` costs no extra tick once loaded).
 */
export function replaceTails(s: MagicString, tails: readonly ColdTail[], file: string): void {
  const ns = `${LAZY_PREFIX}Tails`
  tails.forEach((tail, index) => {
    s.overwrite(tail.start, tail.end, `return (${ns} ?? await ${ns}L()).${tailExport(index)}(${tail.params.join(', ')});`)
  })
  s.append(`\n${cachedLoader(ns, tailsId(file))}\n`)
}
