import { isAbsolute } from 'node:path'
import { pathToFileURL } from 'node:url'
import { defaultThreadCount, scaleDefaults } from './scale-defaults.js'
import { countOrInfinity, duration, fail, nonNegativeInteger, objectOption, oneOf, optionalFunction, positiveInteger } from './scale-validation.js'

/** Reported to `onScale` each time the pool's thread count changes. */
export interface ScaleEvent {
  /** Threads now. */
  threads: number
  /** Threads before this change. */
  previous: number
  /** How many tasks the autoscale policy lets run at once now (threads follow it). */
  target: number
  /** Clock time of the change (`performance.now()` unless `clock` is set). */
  at: number
}

/** Options of {@link createPool}. */
export interface PoolOptions {
  /**
   * The task module: an absolute path, a `file:` URL string, or a `URL`, typically
   * `new URL('./hash-task.js', import.meta.url)` (cli-optimizer emits that file as its own entry
   * when it bundles the CLI). Its default export is called with each input, in a worker thread;
   * it may be async, and what it returns is structured-cloned back.
   */
  task: string | URL
  /**
   * Threads kept even when idle (started on the first task, not at `createPool`).
   * @default the injected `runtime.scale.minThreads`, else 1
   */
  minThreads?: number
  /**
   * Most threads at once.
   * @default the injected `runtime.scale.maxThreads`, else `os.availableParallelism()`
   */
  maxThreads?: number
  /**
   * Most tasks waiting for a thread. Beyond it `run()` rejects with `ERR_SCALE_QUEUE_FULL`
   * (`onFull: 'reject'`) or keeps waiting (`onFull: 'wait'`, where `whenReady()` and `map()` hold
   * the producer back so the queue stays within it).
   * @default the injected `runtime.scale.maxQueue`, else Infinity
   */
  maxQueue?: number
  /**
   * What `run()` does when `maxQueue` tasks already wait.
   * @default 'reject'
   */
  onFull?: 'wait' | 'reject'
  /**
   * Milliseconds a thread beyond `minThreads` stays without work before it exits.
   * @default the injected `runtime.scale.idleTimeout`, else 1000
   */
  idleTimeout?: number
  /**
   * Milliseconds a task may run on its thread; past it the thread is terminated (a synchronous
   * task cannot be interrupted otherwise), replaced, and the task rejects with
   * `ERR_SCALE_TASK_TIMEOUT`. Time spent waiting in the pool's queue does not count; the start of
   * a new thread for the task (tens of milliseconds) does.
   * @default Infinity
   */
  taskTimeout?: number
  /**
   * Milliseconds the oldest waiting task waits before the pool adds threads for the backlog
   * (see `AutoscalePolicy`). 0 adds a thread as soon as a task finds every thread busy.
   * @default 0
   */
  scaleUpAfter?: number
  /** Called when the thread count changes: for logs and `/metrics` figures. */
  onScale?: (event: ScaleEvent) => void
  /** Passed to every thread as `workerData` (structured-cloned). */
  workerData?: unknown
  /**
   * Clock of the autoscale policy and of `ScaleEvent.at`, in milliseconds.
   * @default performance.now
   */
  clock?: () => number
}

export interface ResolvedPoolOptions {
  taskUrl: string
  minThreads: number
  maxThreads: number
  maxQueue: number
  onFull: 'wait' | 'reject'
  idleTimeout: number
  taskTimeout: number
  scaleUpAfter: number
  onScale: ((event: ScaleEvent) => void) | undefined
  workerData: unknown
  clock: () => number
}

const KNOWN = ['task', 'minThreads', 'maxThreads', 'maxQueue', 'onFull', 'idleTimeout', 'taskTimeout', 'scaleUpAfter', 'onScale', 'workerData', 'clock']

function taskUrl(value: unknown): string {
  if (value instanceof URL) {
    if (value.protocol !== 'file:') fail('createPool() options.task', 'a file: URL or an absolute path', value.href)
    return value.href
  }
  if (typeof value === 'string') {
    if (value.startsWith('file:')) return new URL(value).href
    if (isAbsolute(value)) return pathToFileURL(value).href
  }
  return fail('createPool() options.task', 'an absolute path, a file: URL string or a URL (new URL(\'./task.js\', import.meta.url))', value)
}

/** Validates `createPool()` options and fills the defaults; a bad option throws a `TypeError` naming it. */
export function resolvePoolOptions(options: unknown): ResolvedPoolOptions {
  if (options === undefined) fail('createPool() options', 'an object with a task', options)
  const o = objectOption('createPool() options', options, KNOWN)
  const injected = scaleDefaults()
  const maxThreads = positiveInteger('createPool() options.maxThreads', o.maxThreads, defaultThreadCount())
  const minThreads = nonNegativeInteger('createPool() options.minThreads', o.minThreads, Math.min(injected.minThreads ?? 1, maxThreads))
  if (minThreads > maxThreads) {
    throw new TypeError(`[cli-optimizer] createPool() options.minThreads (${minThreads}) must not exceed options.maxThreads (${maxThreads})`)
  }
  const clock = optionalFunction<() => number>('createPool() options.clock', o.clock) ?? (() => performance.now())
  return {
    taskUrl: taskUrl(o.task),
    minThreads,
    maxThreads,
    maxQueue: countOrInfinity('createPool() options.maxQueue', o.maxQueue, injected.maxQueue ?? Infinity),
    onFull: oneOf('createPool() options.onFull', o.onFull, ['wait', 'reject'], 'reject'),
    idleTimeout: duration('createPool() options.idleTimeout', o.idleTimeout, injected.idleTimeout ?? 1000, true),
    taskTimeout: duration('createPool() options.taskTimeout', o.taskTimeout, Infinity, true),
    scaleUpAfter: duration('createPool() options.scaleUpAfter', o.scaleUpAfter, 0),
    onScale: optionalFunction('createPool() options.onScale', o.onScale),
    workerData: o.workerData,
    clock,
  }
}
