import { describe, expect, it } from 'vitest'
import { benchmarkCommands } from '../src/process/benchmark-commands.js'
import { compareSamples } from '../src/stats/compare.js'

// Statistical verdicts on real wall time: run by `npm run test:accuracy` (retried by .ci/run on a
// busy machine), not by `npm test`.

describe('benchmarkCommands accuracy (issue 6)', () => {
  it('A/A real run: node -e 0 against itself, interleaved, shows no significant difference', async () => {
    // With the verdict requiring p < 1 − confidence, a false "different" has probability ≤ 1% here.
    const command = [process.execPath, '-e', '0']
    const [a, b] = await benchmarkCommands({
      commands: [
        { name: 'A', command },
        { name: 'A again', command },
      ],
      runs: 12,
      warmup: 1,
    })
    const comparison = compareSamples(a!.wall.samples, b!.wall.samples, { confidence: 0.99 })
    expect(comparison.verdict).toBe('no significant difference')
    expect(comparison.ci.low).toBeLessThanOrEqual(1)
    expect(comparison.ci.high).toBeGreaterThanOrEqual(1)
  })
  it('judges a command with an injected 20 ms delay slower, with a ratio interval excluding 1', async () => {
    // `sleep` keeps the per-process noise small next to the injected 20 ms even on a loaded machine.
    const progress: number[] = []
    const [delayed, plain] = await benchmarkCommands({
      commands: [
        { name: 'delayed', command: ['sleep', '0.02'] },
        { name: 'plain', command: ['sleep', '0'] },
      ],
      // 40 runs: enough power for 20 ms even when a busy machine adds tens of ms of spawn jitter.
      runs: 40,
      warmup: 1,
      onProgress: (done, total) => progress.push(done / total),
    })
    const comparison = compareSamples(delayed!.wall.samples, plain!.wall.samples)
    expect(comparison.verdict).toBe('slower')
    expect(comparison.ci.low).toBeGreaterThan(1)
    expect(delayed!.wall.median - plain!.wall.median).toBeGreaterThan(10)
    expect(progress).toHaveLength(82)
    expect(progress.at(-1)).toBe(1)
    expect(delayed!.wall.samples).toHaveLength(40)
  })
})
