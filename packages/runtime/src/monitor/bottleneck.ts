/** What the monitor measured over a run, for the hints. */
export interface RunFigures {
  wallMs: number
  /** User plus system CPU time of the process (all threads), in milliseconds. */
  cpuMs: number
  eventLoopMaxMs: number
  eventLoopP99Ms: number
}

export interface BottleneckHint {
  kind: 'cpu-bound' | 'io-bound' | 'mixed' | 'event-loop-blocked'
  message: string
}

/** Share of wall time on CPU at or above which a run counts as CPU-bound. */
const CPU_BOUND = 0.8
/** Share at or below which it was mostly waiting (I/O, timers, child processes). */
const WAITING = 0.3
/** An event-loop delay this long means the loop was blocked: nothing else could run meanwhile. */
const BLOCKED_MS = 100

/**
 * Where the run's time went. `process.cpuUsage()` against wall time says whether the command
 * computed or waited; the event-loop delay histogram says whether computing blocked other work.
 * CPU time counts every thread, so worker threads can push the share above 1.
 */
export function bottleneckHints(f: RunFigures): BottleneckHint[] {
  const hints: BottleneckHint[] = []
  if (f.wallMs <= 0) return hints
  const share = f.cpuMs / f.wallMs
  const pct = `${Math.round(share * 100)}%`
  if (share >= CPU_BOUND) {
    hints.push({ kind: 'cpu-bound', message: `CPU-bound: ${pct} of wall time on CPU; profile with --cpu-prof, or move work to worker threads` })
  } else if (share <= WAITING) {
    hints.push({ kind: 'io-bound', message: `waiting on I/O: ${pct} of wall time on CPU; overlap requests, cache results, or check timeouts` })
  } else {
    hints.push({ kind: 'mixed', message: `mixed: ${pct} of wall time on CPU` })
  }
  if (f.eventLoopMaxMs >= BLOCKED_MS) {
    hints.push({
      kind: 'event-loop-blocked',
      message: `event loop blocked up to ${f.eventLoopMaxMs.toFixed(0)} ms (p99 ${f.eventLoopP99Ms.toFixed(0)} ms): synchronous work delayed timers and I/O callbacks`,
    })
  }
  return hints
}
