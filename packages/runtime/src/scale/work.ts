import type { Job, Worker as BullWorker } from 'bullmq'
import type { Redis } from 'ioredis'
import type { ResolvedQueueOptions } from './queue-options.js'
import { connectRedis } from './redis-connection.js'

/** What a task module's default export receives besides the job's data. */
export interface TaskContext {
  /** The job's id, stable across attempts. */
  id: string
  /** 1 on the first run, 2 on the first retry... */
  attempt: number
  /** Reports progress to the producer's `onProgress`. */
  progress(value: number | object): Promise<void>
}

/** A running `work()` consumer. */
export interface QueueWorker {
  /** Jobs this process completed and failed (attempts, not jobs). */
  stats(): { completed: number; failed: number; running: number }
  /**
   * Stops taking jobs and waits for the running ones for up to `timeout` milliseconds (default:
   * the `shutdownTimeout` option); jobs still running then go back to the queue.
   */
  close(timeout?: number): Promise<void>
}

type TaskFn = (data: unknown, context: TaskContext) => unknown

export class BullQueueWorker implements QueueWorker {
  readonly #options: ResolvedQueueOptions
  readonly #worker: BullWorker
  readonly #client: Redis
  #completed = 0
  #failed = 0
  #running = 0
  #closing: Promise<void> | undefined
  readonly #onSignal: ((signal: NodeJS.Signals) => void) | undefined
  readonly #active: Map<Job, string>

  private constructor(options: ResolvedQueueOptions, worker: BullWorker, client: Redis, active: Map<Job, string>) {
    this.#options = options
    this.#active = active
    this.#worker = worker
    this.#client = client
    worker.on('completed', () => this.#completed++)
    worker.on('failed', () => this.#failed++)
    worker.on('active', () => this.#running++)
    worker.on('completed', () => this.#running--)
    worker.on('failed', () => this.#running--)
    // Connection errors while Redis is away; ioredis reconnects by itself.
    worker.on('error', () => {})
    if (options.handleSignals) {
      this.#onSignal = (signal) => {
        process.off('SIGINT', this.#onSignal!)
        process.off('SIGTERM', this.#onSignal!)
        // Then the signal's default action, so the exit status says what stopped the process.
        void this.close().finally(() => process.kill(process.pid, signal))
      }
      process.once('SIGINT', this.#onSignal)
      process.once('SIGTERM', this.#onSignal)
    }
  }

  static async start(options: ResolvedQueueOptions, taskUrl: string): Promise<BullQueueWorker> {
    const client = await connectRedis(options)
    const [{ Worker }, taskModule] = await Promise.all([import('bullmq'), import(taskUrl)])
    const task = (typeof taskModule.default === 'function' ? taskModule.default : taskModule) as TaskFn
    if (typeof task !== 'function') {
      client.disconnect()
      throw new TypeError(`[cli-optimizer] work(): the task module ${taskUrl} must export a function as its default export`)
    }
    const active = new Map<Job, string>()
    const processor = async (job: Job, token?: string): Promise<unknown> => {
      active.set(job, token ?? '')
      try {
        return await task(job.data, { id: job.id!, attempt: job.attemptsMade + 1, progress: (value) => job.updateProgress(value) })
      } finally {
        active.delete(job)
      }
    }
    const { name, prefix, concurrency, limiter, lockDuration, stalledInterval } = options
    const worker = new Worker(name, processor, {
      connection: client,
      prefix,
      concurrency,
      limiter,
      lockDuration,
      stalledInterval,
      // Several workers may be SIGKILLed in a row: let a job survive a few stalls before failing it.
      maxStalledCount: 3,
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    })
    await worker.waitUntilReady()
    return new BullQueueWorker(options, worker, client, active)
  }

  stats(): { completed: number; failed: number; running: number } {
    return { completed: this.#completed, failed: this.#failed, running: this.#running }
  }

  close(timeout = this.#options.shutdownTimeout): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#onSignal) {
        process.off('SIGINT', this.#onSignal)
        process.off('SIGTERM', this.#onSignal)
      }
      const graceful = this.#worker.close()
      let timer: NodeJS.Timeout | undefined
      const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), timeout)))
      const outcome = await Promise.race([graceful.then(() => 'closed' as const), expired])
      clearTimeout(timer)
      if (outcome === 'expired') await this.#returnActiveJobs()
      this.#client.disconnect()
    })()
    return this.#closing
  }

  /**
   * Puts the jobs this worker still runs back in the queue at once (rather than after their lock
   * expires and a stalled check runs elsewhere) and closes without waiting for them.
   */
  async #returnActiveJobs(): Promise<void> {
    const running = [...this.#active]
    this.#active.clear()
    await Promise.all(running.map(([job, token]) => job.moveToWait(token).catch(() => {})))
    // Not awaited: BullMQ hands a second close() the first one's promise, which waits for the
    // very jobs just handed back. Their late results are refused (the lock is gone).
    void this.#worker.close(true).catch(() => {})
  }
}
