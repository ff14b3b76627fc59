import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import { classify, HttpError, isRetryableError, type HttpErrorCode } from './http-errors.js'
import type { HttpMonitor } from './http-events.js'
import type { ResolvedRetryOptions } from './http-options.js'
import { backoffDelay, retryAfterDelay, sleep } from './http-retry.js'

/** One exchange to send: what an attempt needs, already normalized. */
export interface Target {
  url: URL
  method: string
  headers: Record<string, string | string[]>
  body: string | Uint8Array | Readable | null
  /** A body that can be sent again (no stream): the condition for any retry or 307/308 redirect. */
  replayable: boolean
}

export type ResponseData = Dispatcher.ResponseData

/**
 * The lifetime of one `request()` or `fetch()` call: its own deadline timer (undici's timers are
 * coarse: a 500 ms `headersTimeout` fires after ~820 ms), the caller's signal, and the counters. It
 * ends when the response body is read, cancelled or fails, not when the headers arrive, so a body
 * that trickles forever is still cut at the deadline.
 */
export class Call {
  readonly start = performance.now()
  attempts = 0
  readonly origin: string
  readonly method: string
  /** What the attempts listen to: the deadline and the caller's signal together. */
  readonly signal: AbortSignal | undefined
  readonly #callerSignal: AbortSignal | undefined
  readonly #monitor: HttpMonitor
  #timer: NodeJS.Timeout | undefined
  #onCallerAbort: (() => void) | undefined
  #done = false

  constructor(url: URL, method: string, timeout: number, callerSignal: AbortSignal | undefined, monitor: HttpMonitor) {
    this.origin = url.origin
    this.method = method
    this.#callerSignal = callerSignal
    this.#monitor = monitor
    monitor.started(this.origin)
    if (timeout > 0) {
      const controller = new AbortController()
      // unref: a CLI that dropped a response without reading it may still exit.
      this.#timer = setTimeout(() => controller.abort(this.error('CLI_OPTIMIZER_HTTP_DEADLINE', undefined, `${timeout} ms`)), timeout).unref()
      if (callerSignal) {
        if (callerSignal.aborted) controller.abort(callerSignal.reason)
        else {
          this.#onCallerAbort = () => controller.abort(callerSignal.reason)
          callerSignal.addEventListener('abort', this.#onCallerAbort, { once: true })
        }
      }
      this.signal = controller.signal
    } else {
      this.signal = callerSignal
    }
  }

  get elapsedMs(): number {
    return performance.now() - this.start
  }

  /** Remaining milliseconds before the deadline (Infinity without one). */
  remaining(timeout: number): number {
    return timeout > 0 ? timeout - this.elapsedMs : Infinity
  }

  error(code: HttpErrorCode, cause: unknown, extra?: string): HttpError {
    return new HttpError(code, { origin: this.origin, method: this.method, attempts: Math.max(1, this.attempts), elapsedMs: this.elapsedMs }, { cause, extra })
  }

  /** Whether `error` is the abort of this call (deadline or caller), to be passed on as it is. */
  isAbort(error: unknown): boolean {
    return this.signal?.aborted === true && error === this.signal.reason
  }

  /** Ends the call once: timer cleared, caller listener removed, in-flight count down. */
  finish(): void {
    if (this.#done) return
    this.#done = true
    clearTimeout(this.#timer)
    if (this.#onCallerAbort) this.#callerSignal!.removeEventListener('abort', this.#onCallerAbort)
    this.#monitor.settled()
  }

  /** Finishes the call when `body` closes (read to the end, destroyed, or failed). */
  finishWith(body: Readable): void {
    if (body.closed || body.destroyed || body.readableEnded) return this.finish()
    // 'end' as well as 'close': `text()` resolves on 'end', and 'close' follows a tick later.
    const done = (): void => this.finish()
    body.once('end', done).once('close', done)
  }

  /** Records a failure and returns the error to throw: the abort reason as is, else a typed error. */
  fail(error: unknown): unknown {
    const typed = this.isAbort(error) ? error : error instanceof HttpError ? error : this.error(classify(error), error)
    const code = typed instanceof HttpError ? typed.code : 'CLI_OPTIMIZER_HTTP_NETWORK'
    this.#monitor.error(this.origin, this.method, code, Math.max(1, this.attempts), this.elapsedMs)
    this.finish()
    return typed
  }
}

export interface SendOptions {
  dispatcher: Dispatcher
  retry: ResolvedRetryOptions | false
  timeout: number
  monitor: HttpMonitor
}

/**
 * Sends `target`, retrying as `retry` allows: idempotent methods with a replayable body, on a
 * socket error (at once for the first one: it is the server closing an idle socket just before
 * reuse), a refused or timed-out connect, or a retryable status (after `Retry-After` when given,
 * else exponential backoff with jitter). Returns the response of the last attempt.
 */
export async function send(call: Call, target: Target, { dispatcher, retry, timeout, monitor }: SendOptions): Promise<ResponseData> {
  const retryable = retry !== false && retry.limit > 0 && target.replayable && retry.methods.has(target.method)
  const limit = retryable ? retry.limit : 0
  for (let retries = 0; ; retries++) {
    call.attempts++
    monitor.attempts++
    const attemptStart = performance.now()
    let response: ResponseData
    try {
      response = await dispatcher.request({
        origin: target.url.origin,
        path: target.url.pathname + target.url.search,
        method: target.method as Dispatcher.HttpMethod,
        headers: target.headers,
        body: target.body,
        signal: call.signal,
      })
    } catch (error) {
      if (call.isAbort(error) || retries >= limit) throw error
      const code = classify(error)
      if (!isRetryableError(code)) throw error
      const delay = code === 'CLI_OPTIMIZER_HTTP_SOCKET' && retries === 0 ? 0 : backoffDelay(retry as ResolvedRetryOptions, retries + 1)
      if (delay >= call.remaining(timeout)) throw error
      monitor.retry(call.origin, call.method, retries + 1, delay, code)
      await sleep(delay, call.signal)
      continue
    }
    const status = response.statusCode
    if (retries < limit && (retry as ResolvedRetryOptions).statusCodes.has(status)) {
      const asked = retryAfterDelay(response.headers['retry-after'])
      const delay = asked ?? backoffDelay(retry as ResolvedRetryOptions, retries + 1)
      if ((asked === undefined || asked <= (retry as ResolvedRetryOptions).maxRetryAfter) && delay < call.remaining(timeout)) {
        // The body of a response we drop: read a little, then let undici close the socket.
        await response.body.dump().catch(() => undefined)
        monitor.retry(call.origin, call.method, retries + 1, delay, `status ${status}`)
        await sleep(delay, call.signal)
        continue
      }
    }
    monitor.response(call.origin, call.method, status, call.attempts, performance.now() - attemptStart)
    return response
  }
}
