/** Stable codes of the errors `@cli-optimizer/runtime/scale` rejects with; match on `error.code`. */
export type ScaleErrorCode =
  | 'ERR_SCALE_QUEUE_FULL'
  | 'ERR_SCALE_TASK_TIMEOUT'
  | 'ERR_SCALE_ABORTED'
  | 'ERR_SCALE_WORKER_EXITED'
  | 'ERR_SCALE_CLOSED'
  | 'ERR_SCALE_REDIS_UNREACHABLE'
  | 'ERR_SCALE_JOB_FAILED'

/** Every error the scale service makes itself carries a stable `code` and, where one exists, the `cause`. */
export class ScaleError extends Error {
  override name = 'ScaleError'
  readonly code: ScaleErrorCode

  constructor(code: ScaleErrorCode, message: string, options?: { cause?: unknown }) {
    super(`[cli-optimizer] ${message}`, options)
    this.code = code
  }
}

/**
 * An `AbortError` like the ones `fetch` and `timers/promises` reject with, so callers that already
 * check `error.name === 'AbortError'` keep working; `cause` is the signal's reason.
 */
export class ScaleAbortError extends ScaleError {
  override name = 'AbortError'

  constructor(what: string, reason: unknown) {
    super('ERR_SCALE_ABORTED', `${what} was aborted`, { cause: reason })
  }
}
