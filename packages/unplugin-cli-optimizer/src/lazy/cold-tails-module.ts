import type MagicString from 'magic-string'
import type { ColdTail, TailImport } from './find-cold-tails.js'
import { LAZY_PREFIX } from './rewrite-lazy-imports.js'

/**
 * The tails of one module live in a module whose id is the file's own path plus a query, so every
 * bundler resolves its relative imports from the same folder and other plugins leave it alone.
 */
const TAILS_QUERY = '?cli-optimizer-tails'
export const TAILS_ID = /\?cli-optimizer-tails$/

export const tailsId = (file: string): string => `${file}${TAILS_QUERY}`

/** The export of the tails module that holds tail `index`. */
export const tailExport = (index: number): string => `${LAZY_PREFIX}Tail${index}`

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
 * The tails module's code: the imports the tails read, then one async function per tail with
 * the head's values as parameters and the tail's statements, verbatim, as its body.
 */
export function tailsModuleSource(code: string, tails: readonly ColdTail[]): string {
  const bySource = new Map<string, TailImport[]>()
  const seen = new Set<string>()
  for (const item of tails.flatMap((tail) => tail.imports).sort((a, b) => a.order - b.order)) {
    if (seen.has(item.local)) continue
    seen.add(item.local)
    bySource.set(item.source, [...(bySource.get(item.source) ?? []), item])
  }
  const head = [...bySource].map(([source, imports]) => importDeclaration(source, imports)).join('\n')
  const functions = tails.map((tail, index) => `export async function ${tailExport(index)}(${tail.params.join(', ')}) {\n${code.slice(tail.start, tail.end)}\n}`)
  return `${head}\n${functions.join('\n')}\n`
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
  s.append(`\nvar ${ns}, ${ns}P; function ${ns}L() { return ${ns}P ??= import(${JSON.stringify(tailsId(file))}).then((m) => (${ns} = m)); }\n`)
}
