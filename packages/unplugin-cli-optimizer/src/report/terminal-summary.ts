import type { Report } from './report-types.js'

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`
}

/** Colours only on a TTY and never with NO_COLOR (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '')
}

/** A few lines after each build: per entry what a start loads and what it can reach, the largest chunks. */
export function formatTerminalSummary(report: Report, color: boolean): string {
  const bold = (s: string): string => (color ? `\x1b[1m${s}\x1b[22m` : s)
  const dim = (s: string): string => (color ? `\x1b[2m${s}\x1b[22m` : s)
  const lines = [bold(`cli-optimizer (${report.bundler}) → ${report.outDir}`)]
  for (const entry of report.entries) {
    lines.push(`  ${entry.name}: initial ${kib(entry.initialBytes)} in ${entry.initialFiles.length} file(s), total ${kib(entry.totalBytes)}`)
  }
  const largest = [...report.chunks].sort((a, b) => b.bytes - a.bytes).slice(0, 5)
  for (const chunk of largest) {
    lines.push(dim(`  ${chunk.file}  ${kib(chunk.bytes)} (gzip ${kib(chunk.gzipBytes)}, brotli ${kib(chunk.brotliBytes)})`))
  }
  const applied = report.transforms.filter((t) => t.applied).length
  if (report.transforms.length > 0) lines.push(`  transforms: ${applied} applied, ${report.transforms.length - applied} refused`)
  return `${lines.join('\n')}\n`
}
