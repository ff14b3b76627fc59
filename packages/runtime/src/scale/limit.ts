import pLimit from 'p-limit'
import pMap from 'p-map'
import { ScaleAbortError } from './scale-errors.js'
import { scaleDefaults } from './scale-defaults.js'
import { countOrInfinity, fail, objectOption, oneOf, optionalSignal } from './scale-validation.js'

/** A function that runs at most `concurrency` of the functions given to it at once. */
export interface Limit {
  <A extends unknown[], R>(fn: (...args: A) => PromiseLike<R> | R, ...args: A): Promise<R>
  /** Functions running now. */
  readonly activeCount: number
  /** Functions waiting for a slot. */
  readonly pendingCount: number
  /** Can be raised or lowered while work runs; waiting functions start as slots free up. */
  concurrency: number
  /** Drops the waiting functions; their promises reject with an `AbortError`. */
  clearQueue(): void
}

/**
 * Bounds concurrent async work: `const run = limit(8); await Promise.all(urls.map((u) => run(fetchJson, u)))`.
 * Built on `p-limit` (measured in `benchmarks/runtime-scale.mjs`). Throws a `TypeError` for a
 * concurrency that is not a positive integer or `Infinity`.
 */
export function limit(concurrency?: number): Limit {
  const value = concurrency ?? scaleDefaults().concurrency ?? 10
  if (value !== Infinity && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)) {
    fail('limit(concurrency): concurrency', 'a positive integer or Infinity', value)
  }
  return pLimit({ concurrency: value, rejectOnClear: true }) as unknown as Limit
}

/** Options of {@link map}. */
export interface MapOptions {
  /**
   * Most calls of the mapper running at once.
   * @default the injected `runtime.scale.concurrency`, else 10
   */
  concurrency?: number
  /**
   * `'first'`: reject with the first error and start no further item. `'collect'`: run every item,
   * then reject with an `AggregateError` holding every error (in item order).
   * @default 'first'
   */
  errors?: 'first' | 'collect'
  /** Stops starting new items and rejects with an `AbortError` whose `cause` is the signal's reason. */
  signal?: AbortSignal
}

/**
 * Maps `items` through an async `fn` with bounded concurrency. The results keep the items' order,
 * whatever order they finish in. Built on `p-map`.
 */
export async function map<T, R>(items: Iterable<T> | AsyncIterable<T>, fn: (item: T, index: number) => PromiseLike<R> | R, options: MapOptions = {}): Promise<R[]> {
  const opts = objectOption('map() options', options, ['concurrency', 'errors', 'signal'])
  if (typeof fn !== 'function') fail('map() fn', 'a function', fn)
  if (items === null || typeof items !== 'object' || !(Symbol.iterator in items || Symbol.asyncIterator in items)) {
    fail('map() items', 'an iterable or async iterable', items)
  }
  const concurrency = countOrInfinity('map() options.concurrency', opts.concurrency, scaleDefaults().concurrency ?? 10)
  if (concurrency === 0) fail('map() options.concurrency', 'a positive integer or Infinity', 0)
  const errors = oneOf('map() options.errors', opts.errors, ['first', 'collect'], 'first')
  const signal = optionalSignal('map() options.signal', opts.signal)
  try {
    return await pMap(items, fn as (item: T, index: number) => R | Promise<R>, { concurrency, stopOnError: errors === 'first', signal })
  } catch (error) {
    if (signal?.aborted && error === signal.reason) throw new ScaleAbortError('map()', signal.reason)
    throw error
  }
}
