import type { Piscina } from 'piscina'
import type { Transferable } from 'node:worker_threads'
import { AutoscalePolicy, type PoolLoad } from './autoscale-policy.js'
import { map, type MapOptions } from './limit.js'
import type { ResolvedPoolOptions } from './pool-options.js'
import { ScaleAbortError, ScaleError } from './scale-errors.js'
import { TaskFifo } from './task-fifo.js'

/** Options of one `run()`. */
export interface RunOptions {
  /** Aborting removes a waiting task from the queue, or terminates (and replaces) the thread running it. */
  signal?: AbortSignal
  /** Objects moved to the thread instead of copied (`ArrayBuffer`s, `MessagePort`s). */
  transferList?: readonly Transferable[]
}

/** Figures of a pool, for logs and `/metrics`. */
export interface PoolStats {
  threads: number
  minThreads: number
  maxThreads: number
  /** Tasks the autoscale policy lets run at once now. */
  target: number
  running: number
  queued: number
  completed: number
  failed: number
  /** Share of the pool's capacity spent running tasks since it started (0..1, from piscina). */
  utilisation: number
  /** Times a thread was added, and removed (idle, crashed or timed out). */
  scaleUps: number
  scaleDowns: number
}

export interface Pool<I = unknown, O = unknown> {
  /** Runs the task module's default export with `input` on a thread. */
  run(input: I, options?: RunOptions): Promise<O>
  /**
   * Runs every item, keeping at most `maxThreads` tasks running and as many waiting, and returns
   * the results in the items' order.
   */
  map(items: Iterable<I> | AsyncIterable<I>, options?: Omit<MapOptions, 'concurrency'>): Promise<O[]>
  /** Resolves when the queue has room for another task (always at once with `maxQueue: Infinity`). */
  whenReady(): Promise<void>
  stats(): PoolStats
  /**
   * Stops taking tasks and resolves once every queued and running task has settled and the
   * threads have exited. `{ force: true }` rejects the queued tasks with `ERR_SCALE_CLOSED` and
   * terminates the running ones.
   */
  close(options?: { force?: boolean }): Promise<void>
}

interface PendingTask {
  input: unknown
  options: RunOptions | undefined
  queuedAt: number
  removed: boolean
  resolve(value: unknown): void
  reject(error: unknown): void
  onAbort: (() => void) | undefined
}

const WORKER_EXIT = /^worker exited with code: (-?\d+)/

/**
 * piscina `require()`s the task first and imports it only when that throws. On Node 20 a
 * require() of an ES module task aborted the whole process once in our runs (an assertion in
 * `CreateRequiredModuleFacade`); with require(esm) off in the threads, piscina goes straight to
 * `import()`, the path ES modules are meant to take.
 */
function threadExecArgv(): string[] | undefined {
  if (!process.allowedNodeEnvironmentFlags.has('--experimental-require-module')) return undefined
  return [...process.execArgv, '--no-experimental-require-module']
}

export class WorkerPool<I, O> implements Pool<I, O> {
  readonly #options: ResolvedPoolOptions
  readonly #policy: AutoscalePolicy
  readonly #queue = new TaskFifo<PendingTask>()
  #piscina: Piscina | undefined
  #loading: Promise<Piscina> | undefined
  #running = 0
  #completed = 0
  #failed = 0
  #threads = 0
  #scaleUps = 0
  #scaleDowns = 0
  #timer: NodeJS.Timeout | undefined
  #closing: Promise<void> | undefined
  #idleWaiters: (() => void)[] = []
  #roomWaiters: (() => void)[] = []

  constructor(options: ResolvedPoolOptions) {
    this.#options = options
    this.#policy = new AutoscalePolicy(options)
  }

  run(input: I, options?: RunOptions): Promise<O> {
    if (this.#closing) return Promise.reject(new ScaleError('ERR_SCALE_CLOSED', 'the pool is closed; run() after close() is refused'))
    const signal = options?.signal
    if (signal?.aborted) return Promise.reject(new ScaleAbortError('the pool task', signal.reason))
    const { maxQueue, onFull } = this.#options
    // Tasks the target lets start at once (also while piscina loads) do not count as waiting.
    if (onFull === 'reject' && this.#queue.size - Math.max(0, this.#policy.target - this.#running) >= maxQueue) {
      return Promise.reject(
        new ScaleError('ERR_SCALE_QUEUE_FULL', `the pool's queue is full (maxQueue: ${maxQueue}); wait with pool.whenReady() or set onFull: 'wait'`),
      )
    }
    return new Promise<O>((resolve, reject) => {
      const task: PendingTask = { input, options, queuedAt: this.#options.clock(), removed: false, resolve: resolve as (v: unknown) => void, reject, onAbort: undefined }
      if (signal) {
        task.onAbort = () => {
          this.#queue.remove(task)
          reject(new ScaleAbortError('the pool task', signal.reason))
          this.#notifyRoom()
          this.#notifyIdle()
        }
        signal.addEventListener('abort', task.onAbort, { once: true })
      }
      this.#queue.push(task)
      this.#pump()
    })
  }

  map(items: Iterable<I> | AsyncIterable<I>, options: Omit<MapOptions, 'concurrency'> = {}): Promise<O[]> {
    const { maxThreads, maxQueue } = this.#options
    const concurrency = maxThreads + Math.min(maxQueue, maxThreads)
    return map(items, (item) => this.run(item, { signal: options.signal }), { ...options, concurrency })
  }

  whenReady(): Promise<void> {
    if (this.#queue.size < this.#options.maxQueue) return Promise.resolve()
    return new Promise((resolve) => this.#roomWaiters.push(resolve))
  }

  stats(): PoolStats {
    return {
      threads: this.#threads,
      minThreads: this.#options.minThreads,
      maxThreads: this.#options.maxThreads,
      target: this.#policy.target,
      running: this.#running,
      queued: this.#queue.size,
      completed: this.#completed,
      failed: this.#failed,
      utilisation: this.#piscina?.utilization ?? 0,
      scaleUps: this.#scaleUps,
      scaleDowns: this.#scaleDowns,
    }
  }

  close({ force = false }: { force?: boolean } = {}): Promise<void> {
    if (force) {
      for (const task of this.#queue.drain()) this.#settle(task, false, new ScaleError('ERR_SCALE_CLOSED', 'the pool was closed with force before this task ran'))
    }
    this.#closing ??= (async () => {
      if (!force) await new Promise<void>((resolve) => (this.#running + this.#queue.size === 0 ? resolve() : this.#idleWaiters.push(resolve)))
      clearTimeout(this.#timer)
      const piscina = this.#piscina ?? (this.#loading ? await this.#loading : undefined)
      if (piscina) await (force ? piscina.destroy() : piscina.close())
    })()
    return this.#closing
  }

  #load(): Promise<Piscina> {
    this.#loading ??= import('piscina').then(({ Piscina }) => {
      const { taskUrl, minThreads, maxThreads, idleTimeout, workerData, onScale, clock } = this.#options
      const piscina = new Piscina({ filename: taskUrl, minThreads, maxThreads, idleTimeout, workerData, maxQueue: Infinity, execArgv: threadExecArgv() })
      const changed = (delta: 1 | -1): void => {
        const previous = this.#threads
        this.#threads += delta
        if (delta > 0) this.#scaleUps++
        else this.#scaleDowns++
        onScale?.({ threads: this.#threads, previous, target: this.#policy.target, at: clock() })
      }
      piscina.on('workerCreate', () => changed(1))
      piscina.on('workerDestroy', () => changed(-1))
      // A task's own errors reach its promise; this is a thread failing with nothing to run,
      // which piscina replaces on the next task: nothing for the caller to handle.
      piscina.on('error', () => {})
      this.#piscina = piscina
      return piscina
    })
    return this.#loading
  }

  #loadState(): PoolLoad {
    const oldest = this.#queue.peek()
    return { queued: this.#queue.size, oldestQueuedAt: oldest?.queuedAt ?? 0, running: this.#running }
  }

  #pump(): void {
    const piscina = this.#piscina
    if (!piscina) {
      this.#load().then(
        () => this.#pump(),
        (error: unknown) => {
          for (const task of this.#queue.drain()) this.#settle(task, false, error)
        },
      )
      return
    }
    const now = this.#options.clock()
    let target = this.#policy.update(now, this.#loadState())
    while (this.#running < target && this.#queue.size > 0) {
      this.#dispatch(piscina, this.#queue.shift()!)
      if (this.#queue.size > 0) target = this.#policy.update(now, this.#loadState())
    }
    this.#schedule(now)
    this.#notifyRoom()
  }

  #schedule(now: number): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const wait = this.#policy.nextChangeIn(now, this.#loadState())
    if (wait === undefined) return
    this.#timer = setTimeout(() => this.#pump(), Math.ceil(wait)).unref()
  }

  #dispatch(piscina: Piscina, task: PendingTask): void {
    this.#running++
    const signal = task.options?.signal
    const { taskTimeout } = this.#options
    let controller: AbortController | undefined
    let timer: NodeJS.Timeout | undefined
    let timedOut = false
    if (taskTimeout !== Infinity) {
      controller = new AbortController()
      timer = setTimeout(() => {
        timedOut = true
        controller!.abort()
      }, taskTimeout)
    }
    if (signal && task.onAbort) {
      // From here the signal must reach piscina, which terminates the thread running the task.
      signal.removeEventListener('abort', task.onAbort)
      task.onAbort = undefined
    }
    const runSignal = controller && signal ? AbortSignal.any([controller.signal, signal]) : (controller?.signal ?? signal)
    piscina.run(task.input, { signal: runSignal, transferList: task.options?.transferList as never }).then(
      (value) => {
        clearTimeout(timer)
        this.#finish(task, true, value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        this.#finish(task, false, this.#describeFailure(error, timedOut, signal))
      },
    )
  }

  #describeFailure(error: unknown, timedOut: boolean, signal: AbortSignal | undefined): unknown {
    if (timedOut) {
      return new ScaleError('ERR_SCALE_TASK_TIMEOUT', `the pool task ran longer than taskTimeout (${this.#options.taskTimeout} ms); its thread was terminated and replaced`, { cause: error })
    }
    if (signal?.aborted && error instanceof Error && error.name === 'AbortError') return new ScaleAbortError('the pool task', signal.reason)
    const exit = error instanceof Error ? WORKER_EXIT.exec(error.message) : null
    if (exit) {
      return new ScaleError('ERR_SCALE_WORKER_EXITED', `the worker thread running this task exited with code ${exit[1]} before it finished (process.exit in the task?); the pool replaces the thread`, { cause: error })
    }
    return error
  }

  #finish(task: PendingTask, ok: boolean, value: unknown): void {
    this.#running--
    if (ok) this.#completed++
    else this.#failed++
    this.#settle(task, ok, value)
    if (this.#queue.size > 0 || this.#policy.target > this.#options.minThreads) this.#pump()
    this.#notifyIdle()
  }

  #settle(task: PendingTask, ok: boolean, value: unknown): void {
    if (task.onAbort) task.options?.signal?.removeEventListener('abort', task.onAbort)
    if (ok) task.resolve(value)
    else task.reject(value)
  }

  #notifyRoom(): void {
    while (this.#roomWaiters.length > 0 && this.#queue.size < this.#options.maxQueue) this.#roomWaiters.shift()!()
  }

  #notifyIdle(): void {
    if (this.#running + this.#queue.size > 0) return
    for (const resolve of this.#idleWaiters.splice(0)) resolve()
  }
}
