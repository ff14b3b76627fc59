/** Stable error codes: tools and tests match on these, never on message text. */
export type CliOptimizerErrorCode =
  | 'CLI_OPTIMIZER_PARSE_ERROR'
  | 'CLI_OPTIMIZER_REPORT_WRITE'
  | 'CLI_OPTIMIZER_META_NOT_STATIC'
  | 'CLI_OPTIMIZER_META_MISSING'
  | 'CLI_OPTIMIZER_COMMANDS_DIR'
  | 'CLI_OPTIMIZER_BUDGET_EXCEEDED'
  | 'CLI_OPTIMIZER_REPORT_READ'

export interface SourceLocation {
  file: string
  /** 1-based. */
  line: number
  /** 1-based, as editors and bundlers print it. */
  column: number
}

/** An error about the user's code or options, with a stable code and, when known, a location. */
export class CliOptimizerError extends Error {
  readonly code: CliOptimizerErrorCode
  readonly loc: SourceLocation | undefined
  /** Rollup and Vite read `id` to name the module in their own error output. */
  readonly id: string | undefined

  constructor(code: CliOptimizerErrorCode, message: string, loc?: SourceLocation) {
    const where = loc ? `${loc.file}:${loc.line}:${loc.column}: ` : ''
    super(`[cli-optimizer] ${code}: ${where}${message}`)
    this.name = 'CliOptimizerError'
    this.code = code
    this.loc = loc
    this.id = loc?.file
  }
}
