import { didYouMean } from '../core/did-you-mean.js'
import { CliOptimizerError } from '../core/errors.js'
import type { CliIo } from './main.js'

/** A bad command line: printed with the usage hint, exit code 2. */
export class UsageError extends Error {}

/** Runs a subcommand; input and usage errors become one line on stderr and exit code 2. `flags` feed "did you mean". */
export async function runCommand(io: CliIo, name: string, body: () => Promise<number>, flags: readonly string[] = []): Promise<number> {
  try {
    return await body()
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`cli-optimizer ${name}: ${error.message} (see cli-optimizer --help)\n`)
      return 2
    }
    const code = String((error as { code?: unknown }).code)
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'(-{1,2}[^']+)'/.exec((error as Error).message)?.[1] ?? ''
      const hint = didYouMean(flag.replace(/^-+/, ''), flags, (f) => `--${f}`)
      io.stderr.write(`cli-optimizer ${name}: unknown option ${flag}.${hint} Options: ${flags.map((f) => `--${f}`).join(', ')} (see cli-optimizer --help)\n`)
      return 2
    }
    if (error instanceof CliOptimizerError || code.startsWith('ERR_PARSE_ARGS_')) {
      io.stderr.write(`cli-optimizer ${name}: ${(error as Error).message}\n`)
      return 2
    }
    throw error
  }
}

export function sizeModeArg(value: string | undefined): 'raw' | 'gzip' | 'brotli' {
  if (value === undefined) return 'raw'
  if (value === 'raw' || value === 'gzip' || value === 'brotli') return value
  throw new UsageError(`--compression must be raw, gzip or brotli, got ${JSON.stringify(value)}`)
}
