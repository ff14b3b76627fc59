import { readdirSync } from 'node:fs'
import path from 'node:path'
import type { Node } from '@babel/types'

type AnyNode = Node & Record<string, any>

/**
 * `path.resolve(__dirname, '../', 'cli-engine', 'formatters', `${name}.js`)`: a path into the
 * package's own files computed at run time (eslint's formatters). Like webpack's
 * `require.context`, the static part names a folder and the rest a pattern; every file of that
 * folder the pattern can match is a possible target.
 */
export interface ContextReference {
  /** The whole `join`/`resolve` call. */
  start: number
  end: number
  /** The module-folder argument, replaced by a virtual folder the lookup understands. */
  dirStart: number
  dirEnd: number
  /** Folder the static arguments name (absolute, build time). */
  folder: string
  /** Matches paths relative to `folder` (POSIX) that the computed arguments can produce. */
  pattern: RegExp
  line: number
  column: number
  text: string
}

/** Bounds of a context: a folder with more candidates is not bundled (a warning says so). */
export const CONTEXT_MAX_FILES = 64
const CONTEXT_MAX_DEPTH = 4

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A regex source for one path argument: static text as is, computed parts as "anything". */
function argumentPattern(node: AnyNode): string {
  if (node.type === 'StringLiteral') return escape(node.value)
  if (node.type === 'TemplateLiteral') {
    return (node.quasis as AnyNode[]).map((q, i) => escape(q.value.cooked ?? '') + (i < node.expressions.length ? '.*' : '')).join('')
  }
  return '.*'
}

/**
 * The context of a `join`/`resolve` call whose first argument is the module's folder, some
 * leading arguments static strings and the rest computed, or undefined when no leading static
 * folder exists (`join(__dirname, name)` alone is too wide to bundle).
 */
export function contextOf(call: AnyNode, moduleDir: string, code: string, staticString: (node: AnyNode) => string | undefined): ContextReference | undefined {
  const args = call.arguments.slice(1) as AnyNode[]
  const firstComputed = args.findIndex((a) => staticString(a) === undefined)
  if (firstComputed <= 0) return undefined
  const folder = path.resolve(moduleDir, ...args.slice(0, firstComputed).map((a) => staticString(a)!))
  const rest = args.slice(firstComputed)
  if (rest.some((a) => a.type === 'SpreadElement')) return undefined
  const source = rest.map(argumentPattern).join('/')
  const dir = call.arguments[0] as AnyNode
  return {
    start: call.start!,
    end: call.end!,
    dirStart: dir.start!,
    dirEnd: dir.end!,
    folder,
    pattern: new RegExp(`^${source}$`),
    line: call.loc!.start.line,
    column: call.loc!.start.column + 1,
    text: code.slice(call.start!, call.end!),
  }
}

/**
 * Files of the context's folder (and sub-folders, bounded) the pattern matches, relative POSIX
 * paths; `undefined` when there are more than `CONTEXT_MAX_FILES` or the folder is missing.
 */
export function contextCandidates(context: Pick<ContextReference, 'folder' | 'pattern'>): string[] | undefined {
  const found: string[] = []
  const visit = (dir: string, depth: number): boolean => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return depth > 0
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || depth >= CONTEXT_MAX_DEPTH) continue
        if (!visit(full, depth + 1)) return false
        continue
      }
      const relative = path.relative(context.folder, full).split(path.sep).join('/')
      if (!entry.isFile() || !context.pattern.test(relative)) continue
      found.push(relative)
      if (found.length > CONTEXT_MAX_FILES) return false
    }
    return true
  }
  return visit(context.folder, 0) && found.length > 0 ? found : undefined
}
