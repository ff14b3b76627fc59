import type { Redis } from 'ioredis'
import { redactedUrl, type ResolvedQueueOptions } from './queue-options.js'
import { ScaleError } from './scale-errors.js'

/**
 * Connects to the queue's Redis, failing fast while it has never answered (a CLI started without
 * its Redis should say so, not hang) and reconnecting without end once it has (a restarted Redis
 * must not lose a long run). BullMQ's blocking connections are duplicates of this one and
 * inherit both rules.
 */
export async function connectRedis(options: ResolvedQueueOptions): Promise<Redis> {
  const { Redis: IORedis } = await import('ioredis').catch((error: unknown) => {
    throw new ScaleError('ERR_SCALE_REDIS_UNREACHABLE', 'createQueue() needs the optional dependencies bullmq and ioredis: npm install bullmq ioredis', { cause: error })
  })
  let connected = false
  const client = new IORedis(options.redis, {
    lazyConnect: true,
    connectTimeout: options.connectTimeout,
    // BullMQ's blocking commands need it; commands issued while Redis is away wait for it.
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => (connected ? Math.min(100 * times, 2000) : null),
  })
  let lastError: unknown
  client.on('error', (error: unknown) => (lastError = error))
  try {
    await client.connect()
    connected = true
  } catch (error) {
    client.disconnect()
    const cause = lastError ?? error
    const reason = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause)
    throw new ScaleError(
      'ERR_SCALE_REDIS_UNREACHABLE',
      `cannot reach Redis at ${redactedUrl(options.redis)} (${reason}) within ${options.connectTimeout} ms; start it, or point the queue elsewhere with the redis option (runtime.scale.redis)`,
      { cause },
    )
  }
  return client
}
