import type { File, Node, ObjectExpression } from '@babel/types'
import MagicString from 'magic-string'
import { walk } from '../core/ast/walk.js'

/**
 * Every command's `meta` literal is needed twice: by the manifest (to route and print help
 * without loading command code) and by the command module (whose `meta` export the program may
 * read after `load()`). Written in both places it ships twice, once in the manifest's chunk and
 * once in the command's. So the literals move to one generated module that both import: the
 * bytes ship once, and the manifest's records share the command's objects, as the source's
 * `{ ...mod.meta }` records do. A static literal has no effects, so evaluating it when the
 * manifest loads instead of when the command does changes nothing the program can observe.
 */
export const META_MODULE_FILE = '__cli-optimizer-command-meta__.js'
/** The local name the command module binds the shared literal to. */
const SHARED_LOCAL = '__cliOptimizerMeta'

/** The `export const meta = { … }` initializer of a command module, if it has one. */
export function metaInitializer(ast: File): ObjectExpression | undefined {
  for (const statement of ast.program.body) {
    if (statement.type !== 'ExportNamedDeclaration' || statement.declaration?.type !== 'VariableDeclaration') continue
    if (statement.declaration.kind !== 'const') continue
    for (const declarator of statement.declaration.declarations) {
      if (declarator.id.type === 'Identifier' && declarator.id.name === 'meta' && declarator.init?.type === 'ObjectExpression') return declarator.init
    }
  }
  return undefined
}

/**
 * The literal's source text as plain JavaScript: verbatim (so `-0`, `1e999`, `__proto__` keys and
 * escapes mean exactly what they meant), minus TypeScript's `as …` and `satisfies …` suffixes.
 */
export function metaLiteralText(code: string, literal: ObjectExpression): string {
  const cuts: Array<[number, number]> = []
  walk(literal, (node: Node) => {
    if (node.type === 'TSAsExpression' || node.type === 'TSSatisfiesExpression') cuts.push([node.expression.end!, node.end!])
  })
  cuts.sort((a, b) => a[0] - b[0])
  let text = ''
  let at = literal.start!
  for (const [from, to] of cuts) {
    if (from < at) continue
    text += code.slice(at, from)
    at = to
  }
  return text + code.slice(at, literal.end!)
}

/** The shared module: one export per command, named by `exportName`. */
export function metaModuleSource(entries: ReadonlyArray<{ exportName: string; text: string }>): string {
  return `${entries.map((entry) => `export const ${entry.exportName} = ${entry.text};`).join('\n')}\n`
}

/**
 * Points a command module's `export const meta = { … }` at the shared literal, when its literal
 * is still the one the shared module holds (`expectedText`); undefined otherwise (the module then
 * keeps its own copy).
 */
export function shareCommandMeta(
  code: string,
  ast: File,
  id: string,
  share: { exportName: string; text: string; moduleId: string },
): { code: string; map: ReturnType<MagicString['generateMap']> } | undefined {
  const literal = metaInitializer(ast)
  if (!literal || code.includes(SHARED_LOCAL) || metaLiteralText(code, literal) !== share.text) return undefined
  const s = new MagicString(code)
  s.overwrite(literal.start!, literal.end!, SHARED_LOCAL)
  const hashbang = code.startsWith('#!') ? code.indexOf('\n') + 1 : 0
  s.appendLeft(hashbang, `import { ${share.exportName} as ${SHARED_LOCAL} } from ${JSON.stringify(share.moduleId)};\n`)
  return { code: s.toString(), map: s.generateMap({ hires: true, source: id, includeContent: true }) }
}
