import type { File, Node } from '@babel/types'
import { CliOptimizerError } from '../core/errors.js'
import { evaluateStaticLiteral, NotStaticError, type StaticValue } from './static-literal.js'

function location(file: string, node: Node | null | undefined): { file: string; line: number; column: number } {
  return { file, line: node?.loc?.start.line ?? 1, column: (node?.loc?.start.column ?? 0) + 1 }
}

/**
 * Reads `export const meta = { … }` from a command module at build time. A missing export or a
 * value that is not a static literal fails the build, naming file, line and column.
 */
export function extractCommandMeta(ast: File, displayFile: string): Record<string, StaticValue> {
  for (const statement of ast.program.body) {
    if (statement.type !== 'ExportNamedDeclaration' || statement.declaration?.type !== 'VariableDeclaration') continue
    for (const declarator of statement.declaration.declarations) {
      if (declarator.id.type !== 'Identifier' || declarator.id.name !== 'meta') continue
      if (statement.declaration.kind !== 'const') {
        throw new CliOptimizerError('CLI_OPTIMIZER_META_NOT_STATIC', `meta must be declared with const, not ${statement.declaration.kind} (option commands.dir)`, location(displayFile, statement))
      }
      if (!declarator.init || declarator.init.type !== 'ObjectExpression') {
        throw new CliOptimizerError('CLI_OPTIMIZER_META_NOT_STATIC', 'export const meta must be an object literal (option commands.dir)', location(displayFile, declarator.init ?? declarator))
      }
      try {
        return evaluateStaticLiteral(declarator.init) as Record<string, StaticValue>
      } catch (error) {
        if (!(error instanceof NotStaticError)) throw error
        throw new CliOptimizerError(
          'CLI_OPTIMIZER_META_NOT_STATIC',
          `export const meta must be a static literal, but it contains ${error.message}; the manifest is built without running your code (option commands.dir)`,
          location(displayFile, error.node),
        )
      }
    }
  }
  throw new CliOptimizerError('CLI_OPTIMIZER_META_MISSING', 'a command module must export a static `export const meta = { name, description }` (option commands.dir)', location(displayFile, ast.program))
}
