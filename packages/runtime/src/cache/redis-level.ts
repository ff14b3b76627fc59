import type { Redis } from 'ioredis'
import type { ResolvedRedisOptions } from './cache-options.js'

/** The optional peer that talks to Redis; see `#doConnect`. */
const IOREDIS: string = 'ioredis'

export interface RedisStats {
  hits: number
  misses: number
  sets: number
  errors: number
}

type State = 'idle' | 'connecting' | 'ready' | 'down' | 'closed'

function noop(): void {}

function returnFalse(): false {
  return false
}

/** Glob-escapes a literal for SCAN MATCH. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&')
}

/**
 * The Redis level. Every method answers (undefined / false) instead of throwing: when Redis is
 * down or stalled for `commandTimeout`, the cache serves from its other levels, warns once, and
 * tries again on an operation at least `retryAfter` ms later. ioredis's own reconnect timer and
 * offline queue are off: a queued command would wait on a dead server, and a timer would keep
 * the CLI alive after its work is done. For the same reason the socket is unref'd while no
 * command is in flight.
 */
export class RedisLevel {
  readonly stats: RedisStats = { hits: 0, misses: 0, sets: 0, errors: 0 }
  readonly #options: ResolvedRedisOptions
  readonly #onDown: (error: Error) => void
  #client: Redis | undefined
  #state: State = 'idle'
  #connecting: Promise<void> | undefined
  #downAt = 0
  #inFlight = 0
  #answered = 0
  #watchdog: NodeJS.Timeout | undefined
  #initial = true

  constructor(options: ResolvedRedisOptions, onDown: (error: Error) => void) {
    this.#options = options
    this.#onDown = onDown
  }

  get available(): boolean {
    return this.#state === 'ready'
  }

  #key(key: string): string {
    return `${this.#options.prefix}k:${key}`
  }

  #tagKey(tag: string): string {
    return `${this.#options.prefix}t:${tag}`
  }

  /** The entry's bytes (undefined on a miss or when Redis is unusable), passed through `map` in the same promise hop. */
  get<R>(key: string, map: (bytes: Buffer | undefined) => R): Promise<R> {
    return this.#run(
      (client) => client.getBuffer(this.#key(key)),
      (result) => {
        if (result === null) this.stats.misses++
        else this.stats.hits++
        return map(result ?? undefined)
      },
      () => map(undefined),
    )
  }

  /** `ttlMs` undefined: no expiry. */
  set(key: string, bytes: Buffer, ttlMs: number | undefined, tags: string[] | undefined): Promise<boolean> {
    const redisKey = this.#key(key)
    return this.#run((client): Promise<unknown> => {
      if (!tags || tags.length === 0) {
        return ttlMs === undefined ? client.set(redisKey, bytes) : client.set(redisKey, bytes, 'PX', ttlMs)
      }
      const multi = client.multi()
      if (ttlMs === undefined) multi.set(redisKey, bytes)
      else multi.set(redisKey, bytes, 'PX', ttlMs)
      for (const tag of tags) multi.sadd(this.#tagKey(tag), key)
      return multi.exec()
    }, this.#onSet, returnFalse)
  }

  readonly #onSet = (): boolean => {
    this.stats.sets++
    return true
  }

  async delete(key: string): Promise<void> {
    await this.#run((client) => client.del(this.#key(key)), noop, noop)
  }

  async clear(): Promise<void> {
    await this.#unlinkMatching(`${escapeGlob(this.#options.prefix)}*`)
  }

  async invalidatePrefix(prefix: string): Promise<void> {
    await this.#unlinkMatching(`${escapeGlob(this.#key(prefix))}*`)
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    for (const tag of tags) {
      await this.#run(async (client) => {
        const members = await client.smembers(this.#tagKey(tag))
        await client.unlink(this.#tagKey(tag), ...members.map((member) => this.#key(member)))
      }, noop, noop)
    }
  }

  async close(): Promise<void> {
    const client = this.#client
    this.#state = 'closed'
    if (this.#watchdog) clearInterval(this.#watchdog)
    if (!client) return
    await this.#connecting
    if (client.status === 'ready') {
      await Promise.race([client.quit().catch(() => {}), new Promise((resolve) => setTimeout(resolve, this.#options.commandTimeout).unref())])
    }
    client.disconnect()
  }

  async #unlinkMatching(pattern: string): Promise<void> {
    await this.#run(async (client) => {
      let cursor = '0'
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500)
        cursor = next
        if (keys.length > 0) await client.unlink(...keys)
      } while (cursor !== '0')
    }, noop, noop)
  }

  /**
   * Runs a command when Redis is usable and maps its result; `otherwise` when Redis is skipped
   * or the command fails (then Redis is marked down). One promise hop on the hot path.
   */
  #run<T, R, O>(command: (client: Redis) => Promise<T>, onResult: (result: T) => R, otherwise: () => O): Promise<R | O> {
    if (this.#state === 'ready') return this.#exec(this.#client!, command, onResult, otherwise)
    return this.#ready().then((client) => (client ? this.#exec(client, command, onResult, otherwise) : otherwise()))
  }

  #exec<T, R, O>(client: Redis, command: (client: Redis) => Promise<T>, onResult: (result: T) => R, otherwise: () => O): Promise<R | O> {
    this.#hold(client)
    const failed = (error: unknown): O => {
      this.#release(client)
      this.#down(error as Error)
      return otherwise()
    }
    try {
      return command(client).then((result) => {
        this.#release(client)
        return onResult(result)
      }, failed)
    } catch (error) {
      return Promise.resolve(failed(error))
    }
  }

  /** The client when usable now; undefined sends the operation to the other levels. */
  async #ready(): Promise<Redis | undefined> {
    switch (this.#state) {
      case 'ready':
        return this.#client
      case 'closed':
        return undefined
      case 'idle':
        // The first operations of a run wait for the connection (bounded by connectTimeout);
        // reconnects happen in the background.
        await this.#connect()
        return (this.#state as State) === 'ready' ? this.#client : undefined
      case 'connecting':
        if (!this.#initial) return undefined
        await this.#connecting
        return (this.#state as State) === 'ready' ? this.#client : undefined
      case 'down':
        if (Date.now() - this.#downAt < this.#options.retryAfter) return undefined
        if (this.#client?.status === 'ready') {
          // It was slow, not disconnected: try it again.
          this.#state = 'ready'
          return this.#client
        }
        // Reconnect in the background; this operation does without Redis.
        void this.#connect()
        return undefined
    }
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#doConnect().finally(() => {
      this.#connecting = undefined
      this.#initial = false
    })
    return this.#connecting
  }

  async #doConnect(): Promise<void> {
    this.#state = 'connecting'
    try {
      if (!this.#client) {
        // Through a variable, so bundlers leave it out: a CLI that never configures Redis must not
        // carry ioredis (~146 KiB). One that does lists ioredis (an optional peer) in its own
        // dependencies and it loads from node_modules here.
        const { Redis } = (await import(/* @vite-ignore */ IOREDIS)) as typeof import('ioredis')
        const client = new Redis(this.#options.url, {
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
          connectTimeout: this.#options.connectTimeout,
        })
        // Failures reach us through rejected commands; an unhandled 'error' event would crash the CLI.
        client.on('error', () => {})
        client.on('close', () => {
          if (this.#state === 'ready') this.#down(new Error('connection closed'))
        })
        this.#client = client
      }
      const client = this.#client
      if (client.status !== 'ready') {
        if (client.status !== 'end' && client.status !== 'wait') client.disconnect()
        await client.connect()
      }
      if ((this.#state as State) === 'closed') {
        client.disconnect()
        return
      }
      this.#state = 'ready'
      this.#startWatchdog(client)
      if (this.#inFlight === 0) client.stream?.unref()
    } catch (error) {
      if ((this.#state as State) !== 'closed') this.#down(error as Error)
    }
  }

  #down(error: Error): void {
    this.stats.errors++
    if (this.#state === 'closed') return
    this.#state = 'down'
    this.#downAt = Date.now()
    this.#onDown(error)
  }

  /**
   * Detects a stalled server without a timer per command (ioredis's commandTimeout arms and
   * clears one per command, a measurable share of a cache hit): Redis answers in order, so if
   * commands are in flight and none was answered for `commandTimeout` ms, the server is stuck.
   * The connection is then dropped, which fails the pending commands (the cache answers them
   * from its other levels). The check runs every quarter of the timeout on an unref'd timer.
   */
  #startWatchdog(client: Redis): void {
    if (this.#watchdog) clearInterval(this.#watchdog)
    const period = Math.max(5, Math.floor(this.#options.commandTimeout / 4))
    let lastAnswered = this.#answered
    let stalledFor = 0
    this.#watchdog = setInterval(() => {
      if (this.#client !== client || client.status !== 'ready') {
        clearInterval(this.#watchdog)
        this.#watchdog = undefined
        return
      }
      if (this.#inFlight > 0 && this.#answered === lastAnswered) stalledFor += period
      else stalledFor = 0
      lastAnswered = this.#answered
      if (stalledFor > this.#options.commandTimeout) {
        stalledFor = 0
        this.#down(new Error(`command timed out (no reply for ${this.#options.commandTimeout} ms)`))
        client.disconnect()
      }
    }, period)
    this.#watchdog.unref()
  }

  #hold(client: Redis): void {
    if (this.#inFlight++ === 0) client.stream?.ref()
  }

  #release(client: Redis): void {
    this.#answered++
    if (--this.#inFlight === 0) client.stream?.unref()
  }
}
