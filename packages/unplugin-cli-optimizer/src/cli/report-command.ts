import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadReport } from '../compare/load-report.js'
import { writeFileAtomic } from '../core/fs/write-file-atomic.js'
import { renderHtmlReport } from '../report/html/html-report.js'
import { formatMarkdownReport } from '../report/markdown.js'
import { formatTerminalSummary, useColor } from '../report/terminal-summary.js'
import { runCommand, sizeModeArg, UsageError } from './cli-errors.js'
import type { CliIo } from './main.js'

/** `cli-optimizer report <report.json> [--html out.html] [--markdown] [--compression mode]`. */
export function reportCommand(argv: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'report', async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { html: { type: 'string' }, markdown: { type: 'boolean' }, compression: { type: 'string' } },
    })
    if (positionals.length !== 1) throw new UsageError('expects one report JSON file: cli-optimizer report <report.json>')
    const file = path.resolve(positionals[0]!)
    const report = await loadReport(file)
    if (values.html) {
      const out = path.resolve(values.html)
      await writeFileAtomic(out, renderHtmlReport(report))
      io.stderr.write(`wrote ${path.relative(process.cwd(), out) || out}\n`)
    }
    if (values.markdown) io.stdout.write(formatMarkdownReport(report, { compression: sizeModeArg(values.compression) }))
    else if (!values.html) io.stdout.write(formatTerminalSummary(report, useColor(process.stdout)))
    return 0
  }, ['html', 'markdown', 'compression'])
}
