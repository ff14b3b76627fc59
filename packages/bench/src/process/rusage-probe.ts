import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * How child resource usage is read. Node exposes no getrusage(RUSAGE_CHILDREN) and no wait4, so
 * each run goes through GNU time, which wait4()s the command and prints the kernel's rusage:
 * `%M` is ru_maxrss (KiB), the largest peak RSS of the command and every descendant it waited
 * for; `%U`/`%S` are CPU times in centiseconds.
 */
export interface RusageProbe {
  /** Absolute path of GNU time, or `null` when unavailable (then CPU and RSS are not reported). */
  timePath: string | null
  /** Why the probe is unavailable, for the warning shown to the user. */
  reason?: string
}

let cached: RusageProbe | undefined

/** Find GNU time (`$CLI_OPTIMIZER_BENCH_TIME`, else `/usr/bin/time`) and check that it is GNU's. */
export function detectRusageProbe(): RusageProbe {
  if (cached) return cached
  const candidate = process.env.CLI_OPTIMIZER_BENCH_TIME || '/usr/bin/time'
  if (process.platform !== 'linux') {
    cached = { timePath: null, reason: `CPU time and peak RSS are measured on Linux only (this is ${process.platform})` }
  } else if (!existsSync(candidate)) {
    cached = { timePath: null, reason: `GNU time not found at ${candidate} (Debian/Ubuntu: apt-get install time)` }
  } else {
    const check = spawnSync(candidate, ['-q', '-f', '%M', '-o', '/dev/null', 'true'], { stdio: 'ignore' })
    cached =
      check.status === 0
        ? { timePath: candidate }
        : { timePath: null, reason: `${candidate} is not GNU time (needs -q, -f and -o); CPU time and peak RSS not measured` }
  }
  return cached
}

export interface ParsedRusage {
  userMs: number
  systemMs: number
  peakRssBytes: number
}

/** Parse the `-f '%U %S %M'` line GNU time wrote (the last non-empty line of its output file). */
export function parseRusage(text: string): ParsedRusage | null {
  const line = text.trim().split('\n').pop()
  const match = line?.match(/^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/)
  if (!match) return null
  return {
    userMs: Number(match[1]) * 1000,
    systemMs: Number(match[2]) * 1000,
    peakRssBytes: Number(match[3]) * 1024,
  }
}
