import MagicString, { type SourceMap } from 'magic-string'
import { parseModule } from '../core/ast/parse-module.js'
import { freeGlobals } from './free-globals.js'

export const NODE_GLOBALS = ['require', '__filename', '__dirname'] as const
export type NodeGlobal = (typeof NODE_GLOBALS)[number]

const TRACKED = new Set<string>(NODE_GLOBALS)
const MENTIONS_GLOBAL = /\b(?:require|__filename|__dirname)\b/

export interface InjectedGlobals {
  code: string
  map: SourceMap
  /** The globals the chunk reads and now defines, with where the first read is. */
  injected: Array<{ name: NodeGlobal; line: number; column: number }>
  /** The one line added: its 0-based index (1 after a `#!` line). */
  insertedLine: number
}

/** A name that appears nowhere in `code`, so a declaration of it cannot collide. */
export function uniqueName(code: string, base: string): string {
  let name = base
  for (let i = 2; code.includes(name); i++) name = `${base}${i}`
  return name
}

/**
 * Defines `require`, `__filename` and `__dirname` at the top of an ESM output chunk that reads
 * them as globals (bundled CommonJS, requires left for runtime): Node gives ES modules none of
 * the three, so each read would throw. The definitions come from `import.meta.url`, that is the
 * chunk's own location, which is where the bundled code now lives. The helpers are imported
 * under names the chunk does not use. Returns undefined when the chunk needs nothing.
 */
export function injectNodeGlobals(code: string, fileName: string): InjectedGlobals | undefined {
  if (!MENTIONS_GLOBAL.test(code)) return undefined
  let program
  try {
    program = parseModule(code, fileName).program
  } catch {
    // Output the bundler produced but Babel cannot read: leave it rather than guess.
    return undefined
  }
  const free = freeGlobals(program, TRACKED)
  if (free.size === 0) return undefined

  const injected = NODE_GLOBALS.filter((name) => free.has(name)).map((name) => {
    const loc = free.get(name)!.loc!.start
    return { name, line: loc.line, column: loc.column + 1 }
  })
  const lines: string[] = []
  const needsPath = free.has('__filename') || free.has('__dirname')
  if (free.has('require')) {
    const createRequire = uniqueName(code, '__cliOptimizerCreateRequire')
    lines.push(`import { createRequire as ${createRequire} } from "node:module";`)
    lines.push(`const require = ${createRequire}(import.meta.url);`)
  }
  if (needsPath) {
    const toPath = uniqueName(code, '__cliOptimizerFileURLToPath')
    const dirname = uniqueName(code, '__cliOptimizerDirname')
    lines.push(`import { fileURLToPath as ${toPath} } from "node:url";`)
    lines.push(`import { dirname as ${dirname} } from "node:path";`)
    // Both are defined together: code that reads one usually derives the other from it.
    const filename = free.has('__filename') ? '__filename' : uniqueName(code, '__cliOptimizerFilename')
    lines.push(`const ${filename} = ${toPath}(import.meta.url);`)
    if (free.has('__dirname')) lines.push(`const __dirname = ${dirname}(${filename});`)
  }

  const s = new MagicString(code)
  const hashbang = /^#![^\n]*\n?/.exec(code)
  const banner = `${lines.join(' ')}\n`
  if (hashbang) s.appendLeft(hashbang[0].length, hashbang[0].endsWith('\n') ? banner : `\n${banner}`)
  else s.prepend(banner)
  return { code: s.toString(), map: s.generateMap({ hires: true, source: fileName, includeContent: true }), injected, insertedLine: hashbang ? 1 : 0 }
}
