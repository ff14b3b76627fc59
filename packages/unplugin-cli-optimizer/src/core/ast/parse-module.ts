import { parse, type ParserPlugin } from '@babel/parser'
import type { File } from '@babel/types'
import { CliOptimizerError } from '../errors.js'

const TS_FILE = /\.[cm]?tsx?$/
const JSX_FILE = /\.[jt]sx$/

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
 * Parses a module as the bundler will see it. A syntax error becomes a `CliOptimizerError`
 * naming file, line and column, so the build stops with a message the user can act on.
 */
export function parseModule(code: string, id: string, displayId: string = id): File {
  try {
    return parse(code, {
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
}
