import type { Job as BullJob, Queue as BullQueue, QueueEvents } from 'bullmq'
import type { Redis } from 'ioredis'
import type { ResolvedQueueOptions } from './queue-options.js'
import { connectRedis } from './redis-connection.js'
import { ScaleError } from './scale-errors.js'

/** Options of one job. */
export interface AddOptions {
  /** A job id of your own: adding the same id again while the job exists adds nothing. */
  jobId?: string
  /** Called with what the task passes to `progress()`, from whichever worker runs the job. */
  onProgress?: (progress: unknown) => void
}

/** A job added to the queue. */
export interface JobHandle<O = unknown> {
  readonly id: string
  /**
   * What the task returned, from whichever worker ran the job; rejects with `ERR_SCALE_JOB_FAILED`
   * (the task's error message as `cause`) once every attempt failed.
   */
  readonly result: Promise<O>
}

export interface JobQueue<I = unknown, O = unknown> {
  /** Connects (once). Rejects with `ERR_SCALE_REDIS_UNREACHABLE` when Redis does not answer. */
  ready(): Promise<void>
  add(data: I, options?: AddOptions): Promise<JobHandle<O>>
  addBulk(items: readonly I[], options?: Pick<AddOptions, 'onProgress'>): Promise<JobHandle<O>[]>
  /** Adds every item and returns the results in the items' order (rejects with the first failure). */
  map(items: readonly I[], options?: Pick<AddOptions, 'onProgress'>): Promise<O[]>
  /** Jobs waiting, running, delayed (between attempts), completed and failed. */
  counts(): Promise<Record<'waiting' | 'active' | 'delayed' | 'completed' | 'failed', number>>
  /** Closes the connections; results still pending reject with `ERR_SCALE_CLOSED`. */
  close(): Promise<void>
}

interface Waiter {
  resolve(value: unknown): void
  reject(error: unknown): void
  onProgress: ((progress: unknown) => void) | undefined
}

interface Connected {
  client: Redis
  queue: BullQueue
  events: QueueEvents
}

export class BullJobQueue<I, O> implements JobQueue<I, O> {
  readonly #options: ResolvedQueueOptions
  #connecting: Promise<Connected> | undefined
  readonly #waiters = new Map<string, Waiter>()
  #closed = false

  constructor(options: ResolvedQueueOptions) {
    this.#options = options
  }

  async ready(): Promise<void> {
    await this.#connect()
  }

  async add(data: I, options: AddOptions = {}): Promise<JobHandle<O>> {
    const [handle] = await this.#addAll([{ data, jobId: options.jobId }], options.onProgress)
    return handle!
  }

  addBulk(items: readonly I[], options: Pick<AddOptions, 'onProgress'> = {}): Promise<JobHandle<O>[]> {
    return this.#addAll(items.map((data) => ({ data, jobId: undefined })), options.onProgress)
  }

  async map(items: readonly I[], options: Pick<AddOptions, 'onProgress'> = {}): Promise<O[]> {
    const handles = await this.addBulk(items, options)
    return Promise.all(handles.map((h) => h.result))
  }

  async counts(): Promise<Record<'waiting' | 'active' | 'delayed' | 'completed' | 'failed', number>> {
    const { queue } = await this.#connect()
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')
    return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0 }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    for (const [, waiter] of this.#waiters) waiter.reject(new ScaleError('ERR_SCALE_CLOSED', 'the queue was closed before this job finished'))
    this.#waiters.clear()
    const connected = await this.#connecting?.catch(() => undefined)
    if (!connected) return
    await Promise.all([connected.events.close(), connected.queue.close()])
    connected.client.disconnect()
  }

  async #addAll(items: { data: I; jobId: string | undefined }[], onProgress: ((p: unknown) => void) | undefined): Promise<JobHandle<O>[]> {
    if (this.#closed) throw new ScaleError('ERR_SCALE_CLOSED', 'the queue is closed; add() after close() is refused')
    const { queue } = await this.#connect()
    const { attempts, backoff } = this.#options
    const jobs = await queue.addBulk(
      items.map(({ data, jobId }) => ({ name: 'task', data, opts: { jobId, attempts, backoff, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } } })),
    )
    return jobs.map((job) => this.#handle(queue, job, onProgress))
  }

  #handle(queue: BullQueue, job: BullJob, onProgress: ((p: unknown) => void) | undefined): JobHandle<O> {
    const id = job.id!
    const result = new Promise<O>((resolve, reject) => {
      this.#waiters.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress })
    })
    // A fast worker can finish before the producer hears of it: look once the waiter is in place.
    void this.#settleFromState(queue, id)
    return { id, result }
  }

  async #settleFromState(queue: BullQueue, id: string): Promise<void> {
    const job = await queue.getJob(id).catch(() => undefined)
    if (!job) return
    if (job.finishedOn !== undefined && job.returnvalue !== undefined && job.failedReason === undefined) this.#complete(id, job.returnvalue)
    else if (job.finishedOn !== undefined && job.failedReason !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1)) this.#fail(id, job.failedReason)
  }

  #complete(id: string, value: unknown): void {
    const waiter = this.#waiters.get(id)
    if (!waiter) return
    this.#waiters.delete(id)
    waiter.resolve(value)
  }

  #fail(id: string, reason: string): void {
    const waiter = this.#waiters.get(id)
    if (!waiter) return
    this.#waiters.delete(id)
    waiter.reject(new ScaleError('ERR_SCALE_JOB_FAILED', `job ${id} of queue ${this.#options.name} failed after ${this.#options.attempts} attempt(s): ${reason}`, { cause: new Error(reason) }))
  }

  #connect(): Promise<Connected> {
    this.#connecting ??= (async () => {
      const client = await connectRedis(this.#options)
      const { Queue, QueueEvents } = await import('bullmq')
      const { name, prefix } = this.#options
      const queue = new Queue(name, { connection: client, prefix })
      const events = new QueueEvents(name, { connection: client.duplicate(), prefix })
      events.on('completed', ({ jobId, returnvalue }) => this.#complete(jobId, typeof returnvalue === 'string' ? parseReturnValue(returnvalue) : returnvalue))
      events.on('failed', async ({ jobId, failedReason }) => {
        // 'failed' fires for every failed attempt; only the last one settles the result.
        const job = await queue.getJob(jobId).catch(() => undefined)
        if (!job || job.attemptsMade >= (job.opts.attempts ?? 1)) this.#fail(jobId, failedReason)
      })
      events.on('progress', ({ jobId, data }) => this.#waiters.get(jobId)?.onProgress?.(data))
      // Errors of the connections while Redis is away; ioredis reconnects on its own.
      queue.on('error', () => {})
      events.on('error', () => {})
      await events.waitUntilReady()
      return { client, queue, events }
    })()
    return this.#connecting
  }
}

function parseReturnValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
