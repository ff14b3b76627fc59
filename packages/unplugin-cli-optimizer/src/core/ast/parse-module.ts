import { createRequire } from 'node:module'
import type { ParserOptions, ParserPlugin } from '@babel/parser'
import type { File } from '@babel/types'
import { CliOptimizerError } from '../errors.js'

const TS_FILE = /\.[cm]?tsx?$/
const JSX_FILE = /\.[jt]sx$/

// Loaded on the first parse: a build whose analyses all come from the cache never pays for it.
const require = createRequire(import.meta.url)
let babelParse: ((code: string, options: ParserOptions) => File) | undefined

function pluginsFor(id: string): ParserPlugin[] {
  const plugins: ParserPlugin[] = []
  if (TS_FILE.test(id)) plugins.push('typescript')
  if (JSX_FILE.test(id)) plugins.push('jsx')
  return plugins
}

interface BabelSyntaxError extends SyntaxError {
  loc?: { line: number; column: number }
  reasonCode?: string
}

/**
 * The last few parses, by module id: the capabilities of one module (syntax check, facts, pure
 * annotations, lazy imports) run one after another on the same code, and share one parse. An
 * entry only answers for the exact same code. Consumers read the tree and never change it.
 * Bounded by count and by source size (a tree takes tens of times its source in memory).
 */
const RECENT = 32
const RECENT_CODE_CHARS = 2_000_000
const recent = new Map<string, { code: string; ast: File }>()
let recentChars = 0

function remember(id: string, code: string, ast: File): void {
  const old = recent.get(id)
  if (old) {
    recent.delete(id)
    recentChars -= old.code.length
  }
  if (code.length > RECENT_CODE_CHARS) return
  recent.set(id, { code, ast })
  recentChars += code.length
  while (recent.size > RECENT || recentChars > RECENT_CODE_CHARS) {
    const [oldest, entry] = recent.entries().next().value!
    recent.delete(oldest)
    recentChars -= entry.code.length
  }
}

/**
 * Parses a module as the bundler will see it. A syntax error becomes a `CliOptimizerError`
 * naming file, line and column, so the build stops with a message the user can act on.
 */
export function parseModule(code: string, id: string, displayId: string = id): File {
  const seen = recent.get(id)
  if (seen && seen.code === code) return seen.ast
  let ast: File
  try {
    babelParse ??= (require('@babel/parser') as typeof import('@babel/parser')).parse as unknown as (code: string, options: ParserOptions) => File
    ast = babelParse(code, {
      sourceType: 'unambiguous',
      plugins: pluginsFor(id),
      createImportExpressions: true,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: false,
    })
  } catch (error) {
    const syntax = error as BabelSyntaxError
    if (!syntax.loc) throw error
    const message = syntax.message.replace(/\s*\(\d+:\d+\)$/, '')
    throw new CliOptimizerError('CLI_OPTIMIZER_PARSE_ERROR', message, {
      file: displayId,
      line: syntax.loc.line,
      column: syntax.loc.column + 1,
    })
  }
  remember(id, code, ast)
  return ast
}
