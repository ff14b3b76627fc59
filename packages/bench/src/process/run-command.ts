import { spawn } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import { constants } from 'node:os'
import { join } from 'node:path'
import { detectRusageProbe, parseRusage } from './rusage-probe.js'

/** One command to benchmark. */
export interface CommandSpec {
  /** Label in reports. */
  name: string
  /** Program and arguments, run without a shell (a shell would add its own startup to every run). */
  command: string[]
  cwd?: string
  /** Variables added to (and overriding) the current environment. */
  env?: Record<string, string>
}

/** What one run of a command measured. */
export interface RunMeasurement {
  /** Wall time from spawn to exit, milliseconds (hrtime). */
  wallMs: number
  /** User CPU of the process tree, ms (10 ms resolution), `null` without GNU time. */
  userMs: number | null
  systemMs: number | null
  /** Kernel's ru_maxrss of the process tree in bytes, `null` without GNU time. */
  peakRssBytes: number | null
  exitCode: number
  /** Last 2 KiB of the command's stderr, for error messages. */
  stderrTail: string
}

/** Exit code recorded for a run killed by its timeout (as timeout(1) does). */
export const TIMED_OUT_EXIT_CODE = 124

let runCounter = 0

/** Run `spec` once with stdout discarded and return its measurements. */
export async function runCommandOnce(spec: CommandSpec, scratchDir: string, timeoutMs?: number): Promise<RunMeasurement> {
  if (spec.command.length === 0) throw new TypeError(`[cli-optimizer-bench] command "${spec.name}" is empty`)
  const probe = detectRusageProbe()
  const rusageFile = join(scratchDir, `rusage-${process.pid}-${runCounter++}.txt`)
  const [program, args] = probe.timePath
    ? [probe.timePath, ['-q', '-f', '%U %S %M', '-o', rusageFile, ...spec.command]]
    : [spec.command[0]!, spec.command.slice(1)]
  const env = spec.env ? { ...process.env, ...spec.env } : process.env

  const { wallMs, exitCode, stderrTail } = await new Promise<{ wallMs: number; exitCode: number; stderrTail: string }>(
    (resolve, reject) => {
      const start = process.hrtime.bigint()
      // With a timeout the command gets its own process group, so that a kill reaches the command
      // under GNU time and everything it started, not only the wrapper.
      const detached = timeoutMs !== undefined
      const child = spawn(program, args, { cwd: spec.cwd, env, stdio: ['ignore', 'ignore', 'pipe'], detached })
      let timedOut = false
      const timer = detached
        ? setTimeout(() => {
            timedOut = true
            try {
              process.kill(-child.pid!, 'SIGKILL')
            } catch {
              child.kill('SIGKILL')
            }
          }, timeoutMs)
        : undefined
      let stderr = ''
      child.stderr.setEncoding('utf8')
      child.stderr.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-2048)
      })
      let wall = 0
      let code = 0
      child.once('exit', (exit, signal) => {
        wall = Number(process.hrtime.bigint() - start) / 1e6
        code = timedOut ? TIMED_OUT_EXIT_CODE : (exit ?? 128 + (signal ? constants.signals[signal] : 0))
        clearTimeout(timer)
      })
      child.once('error', reject)
      child.once('close', () => resolve({ wallMs: wall, exitCode: code, stderrTail: stderr }))
    },
  )

  let rusage = null
  if (probe.timePath) {
    rusage = parseRusage(await readFile(rusageFile, 'utf8').catch(() => ''))
    await rm(rusageFile, { force: true })
  }
  return {
    wallMs,
    userMs: rusage?.userMs ?? null,
    systemMs: rusage?.systemMs ?? null,
    peakRssBytes: rusage?.peakRssBytes ?? null,
    exitCode,
    stderrTail,
  }
}
