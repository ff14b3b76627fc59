import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { checkRegression, parseThreshold, toBaseline } from '../src/baseline.js'
import { main, type BenchReport } from '../src/cli.js'
import type { CommandResult } from '../src/process/benchmark-commands.js'
import { splitCommand } from '../src/process/split-command.js'
import { summarize } from '../src/stats/summary.js'

let scratch: string
let stdout: string
let stderr: string

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'bench-cli-test-'))
})
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

function captureOutput(): void {
  stdout = ''
  stderr = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  })
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk)
    return true
  })
}
afterEach(() => {
  vi.restoreAllMocks()
})

function fakeResult(samples: number[], command = ['my-cli', '--version']): CommandResult {
  return { name: 'A', command, runs: samples.length, wall: summarize(samples), userMs: 1, systemMs: 1, peakRssBytes: 1, perRun: [], warnings: [] }
}

describe('cli-optimizer bench', () => {
  it('times A against --compare B, writes JSON with samples, machine and verdict, and prints the verdict', async () => {
    const json = join(scratch, 'out.json')
    captureOutput()
    // 200 ms apart: the CLI's plumbing is under test here, not statistical power on a busy machine.
    const code = await main(['--runs', '10', '--warmup', '1', '--compare', 'sleep 0', '--json', json, '--', 'sleep', '0.2'])
    vi.restoreAllMocks()
    expect(code).toBe(0)
    expect(stdout).toMatch(/^A: sleep 0\.2\n {2}Time \(median\): /)
    expect(stdout).toMatch(/\nB: sleep 0\n/)
    expect(stdout).toMatch(/Peak RSS \(max\): +\d/)
    expect(stdout).toMatch(/A \/ B = \d+\.\d{3}× {2}\(95% CI .* Mann-Whitney U p = /)
    expect(stdout).toMatch(/Verdict: slower \(A takes/)
    const report = JSON.parse(await readFile(json, 'utf8')) as BenchReport
    expect(report.schemaVersion).toBe(1)
    expect(report.machine.node).toBe(process.version)
    expect(report.commands.map((command) => command.command)).toEqual([['sleep', '0.2'], ['sleep', '0']])
    expect(report.commands[0]!.wall.samples).toHaveLength(10)
    expect(report.comparison!.verdict).toBe('slower')
  })

  it('prints markdown tables with --markdown', async () => {
    captureOutput()
    const code = await main(['--runs', '3', '--warmup', '0', '--markdown', '--', 'sleep 0'])
    vi.restoreAllMocks()
    expect(code).toBe(0)
    expect(stdout).toMatch(/^\| Command \| Median \| Mean ± σ \| Min \| p95 \| User \| System \| Peak RSS \| Runs \|\n\| --- \| ---: /)
    expect(stdout).toContain('| `sleep 0` |')
  })

  it('exits 1 against a --save’d baseline only on a significant slowdown above the threshold', async () => {
    const baseline = join(scratch, 'baseline.json')
    captureOutput()
    expect(await main(['--runs', '10', '--warmup', '1', '--save', baseline, '--', 'sleep', '0.01'])).toBe(0)
    const saved = JSON.parse(await readFile(baseline, 'utf8'))
    expect(saved).toMatchObject({ kind: 'cli-optimizer-bench-baseline', schemaVersion: 1, command: ['sleep', '0.01'] })
    expect(saved.machine.node).toBe(process.version)
    expect(saved.wallSamples).toHaveLength(10)

    // 240 ms more than a 10 ms baseline: significant and far above 5%, even on a busy machine.
    expect(await main(['--runs', '10', '--warmup', '1', '--baseline', baseline, '--', 'sleep', '0.25'])).toBe(1)
    expect(stdout).toMatch(/regression: \d+\.\d% slower than the baseline/)
    // The same slowdown under a 1000% threshold is reported but does not fail.
    expect(await main(['--runs', '10', '--warmup', '1', '--baseline', baseline, '--threshold', '100000%', '--', 'sleep', '0.25'])).toBe(0)
    vi.restoreAllMocks()
    expect(stderr).toMatch(/warning: baseline command differs: sleep 0\.01/)
  })

  it('returns 2 with the usage on bad arguments and on a failing command', async () => {
    captureOutput()
    expect(await main(['--runs', '1', '--', 'true'])).toBe(2)
    expect(stderr).toMatch(/--runs must be an integer ≥ 2, got 1/)
    expect(await main(['--bogus', '--', 'true'])).toBe(2)
    expect(await main([])).toBe(2)
    expect(stderr).toMatch(/no command given/)
    expect(await main(['--runs', '2', '--warmup', '0', '--', 'false'])).toBe(2)
    expect(stderr).toMatch(/command "A" exited with code 1/)
    expect(await main(['--runs', '2', '--warmup', '0', '--prepare', 'false', '--', 'true'])).toBe(2)
    expect(stderr).toMatch(/--prepare command exited with code 1: false/)
    await writeFile(join(scratch, 'not-a-baseline.json'), '{"hello": 1}')
    expect(await main(['--baseline', join(scratch, 'not-a-baseline.json'), '--', 'true'])).toBe(2)
    expect(stderr).toMatch(/is not a baseline saved by cli-optimizer bench --save/)
    vi.restoreAllMocks()
  })
})

describe('regression rule', () => {
  const baseline = toBaseline(fakeResult([100, 101, 99, 100, 102, 98, 100, 101, 99, 100]))

  it('flags a significant slowdown above the threshold', () => {
    const check = checkRegression(fakeResult([110, 111, 109, 110, 112, 108, 110, 111, 109, 110]), baseline, 0.05)
    expect(check.regression).toBe(true)
    expect(check.comparison.verdict).toBe('slower')
  })

  it('does not flag a significant slowdown within the threshold, nor a large but noisy one', () => {
    expect(checkRegression(fakeResult([103, 104, 102, 103, 105, 101, 103, 104, 102, 103]), baseline, 0.05).regression).toBe(false)
    const noisy = checkRegression(fakeResult([60, 180, 70, 170, 65, 175, 100, 160, 90, 150]), baseline, 0.05)
    expect(noisy.comparison.verdict).toBe('no significant difference')
    expect(noisy.regression).toBe(false)
  })

  it('parses thresholds in percent', () => {
    expect(parseThreshold('5%')).toBeCloseTo(0.05, 12)
    expect(parseThreshold('12.5')).toBeCloseTo(0.125, 12)
    expect(() => parseThreshold('five')).toThrow(/--threshold must be a percentage like 5%, got "five"/)
  })
})

describe('splitCommand', () => {
  it('splits like a shell for words, quotes and backslashes', () => {
    expect(splitCommand(`node -e 'console.log("a b")' "x y" a\\ b  c`)).toEqual(['node', '-e', 'console.log("a b")', 'x y', 'a b', 'c'])
    expect(splitCommand(`say "" ''`)).toEqual(['say', '', ''])
    expect(() => splitCommand(`node 'oops`)).toThrow(/unterminated ' quote/)
  })
})
