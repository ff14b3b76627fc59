import { packageVersion } from './version.js'

export interface CliIo {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
}

const USAGE = `Usage: cli-optimizer <command> [options]

Commands:
  report <report.json> [--html out.html] [--markdown] [--compression raw|gzip|brotli]
                         summarize a build's report, write its HTML page or print Markdown
  compare <base.json> <head.json> [--markdown] [--all] [--compression raw|gzip|brotli] [--budgets rules.json]
                         what changed between two builds (--all: every row, not the first 10);
                         exit 1 when an error-level rule regresses
  bench …                benchmark commands (needs @cli-optimizer/bench; see cli-optimizer bench --help)

Options:
  -v, --version          print the version
  -h, --help             show this help

Exit codes: 0 ok, 1 budget regression (compare) or failing benchmark check, 2 usage or input error.`

/** The bench package is optional: loaded on first use, with a clear message when it is missing. */
async function bench(argv: string[], io: CliIo): Promise<number> {
  const specifier = '@cli-optimizer/bench/cli'
  let mod: { main(argv: string[]): Promise<number> }
  try {
    mod = (await import(specifier)) as typeof mod
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error
    io.stderr.write('cli-optimizer bench needs the @cli-optimizer/bench package: npm install --save-dev @cli-optimizer/bench\n')
    return 2
  }
  return mod.main(argv)
}

/**
 * `cli-optimizer …`. Resolves to the exit code and never calls `process.exit`. Each subcommand
 * lives in its own lazily imported chunk, so `--version` and `--help` load only this file.
 */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  const [command, ...rest] = argv
  if (command === '-v' || command === '--version') {
    io.stdout.write(`${packageVersion()}\n`)
    return 0
  }
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout.write(`${USAGE}\n`)
    return command === undefined ? 2 : 0
  }
  if (command === 'report') return (await import('./report-command.js')).reportCommand(rest, io)
  if (command === 'compare') return (await import('./compare-command.js')).compareCommand(rest, io)
  if (command === 'bench') return bench(rest, io)
  // Loaded here only: --version and --help stay a single small file.
  const { didYouMean } = await import('../core/did-you-mean.js')
  const hint = didYouMean(command, ['report', 'compare', 'bench', 'help'], (c) => `cli-optimizer ${c}`)
  io.stderr.write(`cli-optimizer: unknown command ${JSON.stringify(command)}.${hint}\n\n${USAGE}\n`)
  return 2
}
