/**
 * The opt-in startup profiler (`CLI_OPTIMIZER_PROFILE=1`). The injected bootstrap imports this
 * module only when the variable is set, so a normal run never loads it.
 *
 * Chunks are recorded by a module `load` hook registered from a `data:` URL: a hooks file next to
 * this module would not exist after bundling. Hooks run on Node's loader thread; they append the
 * URLs to a SharedArrayBuffer, which the main thread reads synchronously at exit (a MessagePort
 * would lose the messages still in flight when the process exits).
 */
import { statSync } from 'node:fs'
import { register } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const LOG_BYTES = 1 << 18

const HOOKS_SOURCE = `
let used, bytes;
const encoder = new TextEncoder();
export async function initialize({ log }) { used = new Int32Array(log, 0, 1); bytes = new Uint8Array(log, 4); }
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (url.startsWith('file:')) {
    const line = encoder.encode(url + '\\n');
    const at = Atomics.add(used, 0, line.length);
    if (at + line.length <= bytes.length) bytes.set(line, at);
  }
  return result;
}
`

function readLog(log: SharedArrayBuffer): string[] {
  const used = Math.min(Atomics.load(new Int32Array(log, 0, 1), 0), log.byteLength - 4)
  const text = new TextDecoder().decode(new Uint8Array(log, 4, used).slice())
  return text.split('\n').filter(Boolean)
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`
}

function formatMs(ms: number): string {
  return `${ms.toFixed(1)} ms`
}

function markTime(name: string): number | undefined {
  const entries = performance.getEntriesByName(name, 'mark')
  return entries.length > 0 ? entries[0]!.startTime : undefined
}

function fileSize(url: string): number {
  try {
    return statSync(fileURLToPath(url)).size
  } catch {
    return 0
  }
}

/** The profile report, from what was recorded. Exported for tests. */
export function formatProfile(input: {
  startMs: number | undefined
  commandMs: number | undefined
  exitMs: number
  chunks: ReadonlyArray<{ file: string; bytes: number }>
  maxRssKiB: number
  heapUsed: number
  heapTotal: number
}): string {
  const lines = ['[cli-optimizer profile]']
  if (input.startMs !== undefined) lines.push(`  bootstrap started       ${formatMs(input.startMs)} after process start`)
  if (input.commandMs !== undefined) {
    lines.push(`  first command code at   ${formatMs(input.commandMs)}`)
    lines.push(`  in command              ${formatMs(input.exitMs - input.commandMs)}`)
  } else {
    lines.push('  no command code loaded')
  }
  lines.push(`  total                   ${formatMs(input.exitMs)}`)
  const total = input.chunks.reduce((sum, c) => sum + c.bytes, 0)
  lines.push(`  chunks loaded: ${input.chunks.length}, ${formatBytes(total)}`)
  for (const chunk of input.chunks) lines.push(`    ${formatBytes(chunk.bytes).padStart(10)}  ${chunk.file}`)
  lines.push(`  peak RSS ${(input.maxRssKiB / 1024).toFixed(1)} MiB, heap used ${(input.heapUsed / 1048576).toFixed(1)} MiB of ${(input.heapTotal / 1048576).toFixed(1)} MiB`)
  return `${lines.join('\n')}\n`
}

/** Starts recording; prints the profile to stderr when the process exits. */
export function startProfile(): void {
  const log = new SharedArrayBuffer(LOG_BYTES)
  register(`data:text/javascript,${encodeURIComponent(HOOKS_SOURCE)}`, { data: { log } })

  process.once('exit', () => {
    const loaded = new Set<string>()
    if (process.argv[1]) loaded.add(pathToFileURL(process.argv[1]).href)
    for (const url of readLog(log)) loaded.add(url)
    const memory = process.memoryUsage()
    const chunks = [...loaded].map((url) => ({ file: fileURLToPath(url), bytes: fileSize(url) }))
    process.stderr.write(
      formatProfile({
        startMs: markTime('cli-optimizer:start'),
        commandMs: markTime('cli-optimizer:command'),
        exitMs: performance.now(),
        chunks,
        maxRssKiB: process.resourceUsage().maxRSS,
        heapUsed: memory.heapUsed,
        heapTotal: memory.heapTotal,
      }),
    )
  })
}
