/**
 * Split a command line into argv the way a POSIX shell would for plain words, quotes and
 * backslashes — without running a shell, whose own startup would be timed with the command.
 * Pipes, redirections and variables are not supported: wrap those in `sh -c '…'` explicitly.
 */
export function splitCommand(line: string): string[] {
  const args: string[] = []
  let current = ''
  let inWord = false
  let quote: '"' | "'" | null = null
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!
    if (quote === "'") {
      if (char === "'") quote = null
      else current += char
    } else if (quote === '"') {
      if (char === '"') quote = null
      else if (char === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) current += line[++i]
      else current += char
    } else if (char === "'" || char === '"') {
      quote = char
      inWord = true
    } else if (char === '\\' && i + 1 < line.length) {
      current += line[++i]
      inWord = true
    } else if (/\s/.test(char)) {
      if (inWord) args.push(current)
      current = ''
      inWord = false
    } else {
      current += char
      inWord = true
    }
  }
  if (quote) throw new TypeError(`[cli-optimizer-bench] unterminated ${quote} quote in command: ${line}`)
  if (inWord) args.push(current)
  return args
}
