import { Worker } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'
import { loadTest } from './load-test.js'

interface ScalabilityCommon {
  /** Concurrency or worker counts to measure, ascending. @default [1, 2, 4, 8] */
  levels?: number[]
  /** Time per level, ms. @default 1000 */
  stepDuration?: number
}

export interface ConcurrencyScalabilityOptions extends ScalabilityCommon {
  /** In-process function, driven at each concurrency level. */
  fn: () => unknown
}

export interface WorkerScalabilityOptions extends ScalabilityCommon {
  /**
   * Module (path or file URL) whose default export is the unit of work; each level starts that many
   * worker threads, each calling it in a closed loop. Use this for CPU-bound work, where in-process
   * concurrency cannot scale past one core.
   */
  workerModule: string | URL
}

export type ScalabilityTestOptions = ConcurrencyScalabilityOptions | WorkerScalabilityOptions

export interface ScalabilityLevel {
  level: number
  throughput: number
  /** throughput(level) / (level × throughput(first level) / first level): 1 is perfect linear scaling. */
  efficiency: number
  /** throughput(level) / throughput(first level). */
  speedup: number
}

export interface ScalabilityTestResult {
  mode: 'concurrency' | 'workers'
  levels: ScalabilityLevel[]
  /** Highest level whose efficiency is still ≥ 0.7, the usual “still worth adding” line. */
  usefulUpTo: number
}

/** Throughput against concurrency or worker count, with scaling efficiency. */
export async function scalabilityTest(options: ScalabilityTestOptions): Promise<ScalabilityTestResult> {
  const levels = options.levels ?? [1, 2, 4, 8]
  const stepDuration = options.stepDuration ?? 1000
  if (levels.length === 0 || levels.some((level) => !Number.isInteger(level) || level < 1)) {
    throw new TypeError(`[cli-optimizer-bench] scalabilityTest levels must be integers ≥ 1, got ${JSON.stringify(levels)}`)
  }
  const mode = 'workerModule' in options ? 'workers' : 'concurrency'
  const throughputs: number[] = []
  for (const level of levels) {
    if ('workerModule' in options) {
      throughputs.push(await workerThroughput(options.workerModule, level, stepDuration))
    } else {
      throughputs.push((await loadTest({ fn: options.fn, concurrency: level, duration: stepDuration })).throughput)
    }
  }
  const base = throughputs[0]! / levels[0]!
  const result = levels.map((level, index) => ({
    level,
    throughput: throughputs[index]!,
    speedup: throughputs[index]! / throughputs[0]!,
    efficiency: throughputs[index]! / (base * level),
  }))
  const useful = result.filter((entry) => entry.efficiency >= 0.7).at(-1)
  return { mode, levels: result, usefulUpTo: useful?.level ?? levels[0]! }
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
;(async () => {
  const mod = await import(workerData.url)
  const work = mod.default
  if (typeof work !== 'function') throw new TypeError(workerData.url + ' must export a default function')
  await work()
  parentPort.once('message', async (duration) => {
    const start = performance.now()
    const end = start + duration
    let count = 0
    while (performance.now() < end) { await work(); count++ }
    parentPort.postMessage({ count, elapsedMs: performance.now() - start })
  })
  parentPort.postMessage('ready')
})().catch((error) => { throw error })
`

async function workerThroughput(moduleRef: string | URL, workers: number, duration: number): Promise<number> {
  const url = moduleRef instanceof URL ? moduleRef.href : moduleRef.startsWith('file:') ? moduleRef : pathToFileURL(moduleRef).href
  const threads = Array.from({ length: workers }, () => new Worker(WORKER_SOURCE, { eval: true, workerData: { url } }))
  try {
    // Start every loop only once all workers have booted and loaded the module, so that boot time
    // of one worker never overlaps another's measured window.
    await Promise.all(threads.map((thread) => nextMessage(thread)))
    const results = await Promise.all(
      threads.map((thread) => {
        const done = nextMessage(thread) as Promise<{ count: number; elapsedMs: number }>
        thread.postMessage(duration)
        return done
      }),
    )
    return results.reduce((sum, result) => sum + result.count / (result.elapsedMs / 1000), 0)
  } finally {
    await Promise.all(threads.map((thread) => thread.terminate()))
  }
}

function nextMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error)
    worker.once('error', onError)
    worker.once('message', (message: unknown) => {
      worker.off('error', onError)
      resolve(message)
    })
  })
}
