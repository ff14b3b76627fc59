/** What the policy sees of a pool at one moment. */
export interface PoolLoad {
  /** Tasks waiting for a thread. */
  queued: number
  /** When the oldest waiting task was queued (clock milliseconds); ignored when `queued` is 0. */
  oldestQueuedAt: number
  /** Tasks running on a thread. */
  running: number
}

export interface AutoscaleSettings {
  minThreads: number
  maxThreads: number
  /** Milliseconds a task may wait before the pool adds threads for the backlog. */
  scaleUpAfter: number
  /** Milliseconds without a waiting task before the pool lowers its target back towards `minThreads`. */
  idleTimeout: number
}

/**
 * Decides how many tasks the pool runs at once, which is how many threads it keeps: the pool
 * hands the thread library at most `target` tasks, so the library starts a thread only for a task
 * the target allows, and a thread left without tasks exits after `idleTimeout`.
 *
 * Up: once the oldest waiting task has waited `scaleUpAfter`, the target jumps to cover the whole
 * backlog (running + queued, at most `maxThreads`): a step load reaches `maxThreads` at once rather
 * than one thread per tick. Waiting a little first keeps a burst of tiny tasks on the threads that
 * exist, since a new thread costs tens of milliseconds and megabytes before it runs anything.
 * Down: after `idleTimeout` with nothing waiting, the target falls to what runs now (not below
 * `minThreads`).
 *
 * Pure: time is an argument, so tests drive it with a fake clock.
 */
export class AutoscalePolicy {
  readonly #settings: AutoscaleSettings
  #target: number
  #lastDemandAt = -Infinity

  constructor(settings: AutoscaleSettings) {
    this.#settings = settings
    this.#target = settings.minThreads
  }

  get target(): number {
    return this.#target
  }

  /** Updates and returns the target for the load at `now`. */
  update(now: number, load: PoolLoad): number {
    const { minThreads, maxThreads, scaleUpAfter, idleTimeout } = this.#settings
    if (load.queued > 0) {
      this.#lastDemandAt = now
      if (this.#target < maxThreads && now - load.oldestQueuedAt >= scaleUpAfter) {
        this.#target = Math.min(maxThreads, Math.max(this.#target, load.running + load.queued))
      }
    } else if (this.#target > minThreads && now - this.#lastDemandAt >= idleTimeout) {
      this.#target = Math.max(minThreads, load.running)
    }
    return this.#target
  }

  /**
   * Milliseconds from `now` after which `update` would change the target with the load unchanged,
   * or `undefined` when it would not: the pool sets one timer for it instead of polling.
   */
  nextChangeIn(now: number, load: PoolLoad): number | undefined {
    const { minThreads, maxThreads, scaleUpAfter, idleTimeout } = this.#settings
    if (load.queued > 0) {
      return this.#target < maxThreads ? Math.max(0, load.oldestQueuedAt + scaleUpAfter - now) : undefined
    }
    if (this.#target > Math.max(minThreads, load.running) && idleTimeout !== Infinity) {
      return Math.max(0, this.#lastDemandAt + idleTimeout - now)
    }
    return undefined
  }
}
