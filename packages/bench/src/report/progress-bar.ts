/** A one-line progress bar on a TTY stream; a no-op elsewhere (CI logs, pipes). */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): {
  update: (done: number, total: number, label?: string) => void
  clear: () => void
} {
  if (!stream.isTTY) return { update: () => {}, clear: () => {} }
  const width = 30
  return {
    update(done, total, label = '') {
      const filled = Math.round((done / total) * width)
      stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`)
    },
    clear() {
      stream.write('\r\x1b[2K')
    },
  }
}
