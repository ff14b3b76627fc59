/** An error the user caused (bad input, missing file): printed without a stack trace. */
export class DevkitError extends Error {
  constructor(message, { exitCode = 1 } = {}) {
    super(message)
    this.name = 'DevkitError'
    this.exitCode = exitCode
  }
}

/** Turns a Node fs error into a message a CLI user understands. */
export function describeFsError(error, file) {
  if (error?.code === 'ENOENT') return new DevkitError(`no such file: ${file}`)
  if (error?.code === 'EISDIR') return new DevkitError(`expected a file but got a directory: ${file}`)
  if (error?.code === 'EACCES') return new DevkitError(`permission denied: ${file}`)
  return new DevkitError(`cannot read ${file}: ${error?.message ?? error}`)
}
