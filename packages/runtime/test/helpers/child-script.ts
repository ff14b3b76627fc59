import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'

export interface ChildResult {
  code: number | null
  stdout: string
  stderr: string
  /** Wall time of the child, in milliseconds. */
  ms: number
}

/** Writes `source` as an .mjs file in `dir` and runs it with Node; resolves when it exits. */
export function runScript(dir: string, source: string, args: string[] = [], env: Record<string, string> = {}): Promise<ChildResult> {
  const file = path.join(dir, `child-${process.pid}-${Math.random().toString(36).slice(2)}.mjs`)
  writeFileSync(file, source)
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [file, ...args], { env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }))
  })
}
