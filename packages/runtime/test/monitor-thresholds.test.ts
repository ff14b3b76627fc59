import { spawn } from 'node:child_process'
import { existsSync, readdirSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createMonitor, resolveMonitorOptions, type MemoryReading, type ThresholdEvent } from '../src/monitor/index.js'
import { removeServiceBundles, serviceModuleForChildren } from './helpers/runtime-bundle.js'

const MiB = 1048576
const work = mkdtempSync(path.join(tmpdir(), 'monitor-test-'))
afterAll(() => {
  removeServiceBundles()
  rmSync(work, { recursive: true, force: true })
})

function reading(rssMiB: number, heapMiB: number): MemoryReading {
  return { rss: rssMiB * MiB, heapUsed: heapMiB * MiB, heapTotal: heapMiB * 2 * MiB, external: 0, arrayBuffers: 0 }
}

function runChild(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = path.join(work, `child-${Math.random().toString(36).slice(2)}.mjs`)
  writeFileSync(file, script)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('monitor thresholds (#14)', () => {
  it('calls the hook once per threshold and warns once with policy warn', () => {
    const events: ThresholdEvent[] = []
    let memory = reading(50, 20)
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    try {
      const monitor = createMonitor({ command: 'build', thresholds: { maxRssMiB: 100, maxHeapMiB: 500 }, commands: { build: { maxHeapMiB: 40 } }, onThreshold: (e) => events.push(e), readMemory: () => memory })
      expect(monitor.limits).toEqual({ maxRssMiB: 100, maxHeapMiB: 40 })
      monitor.sample()
      expect(events).toEqual([])
      memory = reading(150, 60)
      monitor.sample()
      monitor.sample()
      memory = reading(200, 80)
      monitor.sample()
      expect(events.map((e) => [e.threshold, e.value, e.limit, e.command])).toEqual([
        ['maxRssMiB', 150, 100, 'build'],
        ['maxHeapMiB', 60, 40, 'build'],
      ])
      expect(warn).toHaveBeenCalledTimes(2)
      expect(warn.mock.calls[0]![0]).toBe('RSS 150.0 MiB exceeded maxRssMiB 100 in command "build"')
      expect(warn.mock.calls[0]!.slice(1)).toEqual(['CliOptimizerMonitorWarning', 'CLI_OPTIMIZER_MONITOR_THRESHOLD'])
      expect(monitor.report().peak.rss).toBe(200 * MiB)
      expect(monitor.formatSummary()).toContain('threshold maxRssMiB 100 crossed at')
    } finally {
      warn.mockRestore()
    }
  })

  it('policy hook only calls the hook; another command keeps the base thresholds', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    try {
      const hook = vi.fn()
      const monitor = createMonitor({ command: 'lint', policy: 'hook', thresholds: { maxHeapMiB: 500 }, commands: { build: { maxHeapMiB: 40 } }, onThreshold: hook, readMemory: () => reading(10, 60) })
      monitor.sample()
      expect(hook).not.toHaveBeenCalled()
      const strict = createMonitor({ command: 'build', policy: 'hook', commands: { build: { maxHeapMiB: 40 } }, onThreshold: hook, readMemory: () => reading(10, 60) })
      strict.sample()
      strict.sample()
      expect(hook).toHaveBeenCalledTimes(1)
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })

  it('stops a command mid-run with exit code 70, the hook called once, a heap snapshot written and the summary printed', async () => {
    const monitorModule = await serviceModuleForChildren('monitor')
    const snapshots = path.join(work, 'snapshots')
    const script = `
      import { startMonitor } from ${JSON.stringify(monitorModule)}
      startMonitor({ intervalMs: 20, policy: 'stop', heapSnapshotDir: ${JSON.stringify(snapshots)}, commands: { read: { maxHeapMiB: 40 } },
        onThreshold: (e) => process.stdout.write('hook ' + e.threshold + ' ' + e.command + ' ' + (e.heapSnapshot ? 'snapshot' : 'none') + '\\n') })
      const keep = []
      const timer = setInterval(() => { for (let i = 0; i < 20; i++) keep.push(new Array(10000).fill(i)) ; if (keep.length > 1500) { clearInterval(timer); console.log('not stopped') } }, 5)
    `
    const result = await runChild(script, ['read', 'big.json'], { CLI_OPTIMIZER_MONITOR: '1' })
    expect(result.code).toBe(70)
    expect(result.stdout).toBe('hook maxHeapMiB read snapshot\n')
    expect(result.stderr).toMatch(/\[cli-optimizer monitor\] stopped: heap used \d+\.\d MiB exceeded maxHeapMiB 40 in command "read"; heap snapshot: .*\.heapsnapshot \(exit code 70/)
    expect(result.stderr).toMatch(/\[cli-optimizer monitor\] read: .* samples\n {2}peak RSS/)
    expect(result.stderr).toContain('threshold maxHeapMiB 40 crossed at')
    expect(readdirSync(snapshots).filter((f) => f.startsWith(`read-`) && f.endsWith('.heapsnapshot'))).toHaveLength(1)
  })

  it('prints nothing and keeps the exit code when no threshold is crossed and CLI_OPTIMIZER_MONITOR is unset; never keeps the process alive', async () => {
    const monitorModule = await serviceModuleForChildren('monitor')
    const script = `
      import { startMonitor } from ${JSON.stringify(monitorModule)}
      startMonitor({ intervalMs: 10, thresholds: { maxRssMiB: 100000 } })
      setTimeout(() => { console.log('done'); process.exitCode = 3 }, 100)
    `
    const quiet = await runChild(script, [], { CLI_OPTIMIZER_MONITOR: '' })
    expect(quiet).toEqual({ code: 3, stdout: 'done\n', stderr: '' })
    const loud = await runChild(script, ['serve'], { CLI_OPTIMIZER_MONITOR: '1' })
    expect(loud.code).toBe(3)
    expect(loud.stderr).toMatch(/^\[cli-optimizer monitor\] serve: 0\.\d\d s, \d+ samples\n/)
    expect(loud.stderr).toMatch(/event-loop delay p50 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms/)
    expect(loud.stderr).toMatch(/(waiting on I\/O|mixed|CPU-bound)/)
  })
})

describe('monitor options (#14)', () => {
  it('fills defaults', () => {
    const o = resolveMonitorOptions({}, 'monitor', {})
    expect(o).toMatchObject({ intervalMs: 1000, policy: 'warn', exitCode: 70, summary: false, eventLoopResolutionMs: 20, thresholds: {}, commands: {} })
    expect(o.leak).toEqual({ windowMs: 60_000, minSamples: 4, minSpanMs: 8000, minSlopeKiBps: 64, confidence: 0.99, startAfterMs: 2000 })
    expect(resolveMonitorOptions({}, 'monitor', { CLI_OPTIMIZER_MONITOR: '1' }).summary).toBe(true)
    expect(resolveMonitorOptions({ summary: false }, 'monitor', { CLI_OPTIMIZER_MONITOR: '1' }).summary).toBe(false)
  })

  it.each([
    [{ intervalMs: 0 }, 'runtime.monitor.intervalMs must be a positive number, got number 0'],
    [{ thresholds: { maxRssMiB: '1g' } }, 'runtime.monitor.thresholds.maxRssMiB must be a positive number, got string "1g"'],
    [{ thresholds: { maxRss: 1 } }, 'unknown option runtime.monitor.thresholds.maxRss'],
    [{ commands: { build: { maxHeapMiB: -1 } } }, 'runtime.monitor.commands.build.maxHeapMiB must be a positive number, got number -1'],
    [{ policy: 'exit' }, `runtime.monitor.policy must be 'hook', 'warn' or 'stop', got string "exit"`],
    [{ exitCode: 0 }, 'runtime.monitor.exitCode must be an integer from 1 to 255, got number 0'],
    [{ leak: { confidence: 1 } }, 'runtime.monitor.leak.confidence must be a number between 0 and 1 (exclusive), got number 1'],
    [{ leak: { minSamples: 2 } }, 'runtime.monitor.leak.minSamples must be an integer of at least 3'],
    [{ onThreshold: 'log' }, 'runtime.monitor.onThreshold must be a function, got string "log"'],
    [{ heapSnapshotDir: 1 }, 'runtime.monitor.heapSnapshotDir must be a folder path, got number 1'],
    [{ interval: 5 }, 'unknown option runtime.monitor.interval'],
    ['fast', 'runtime.monitor must be an object, got string "fast"'],
  ])('rejects %j with a TypeError naming the option', (value, message) => {
    expect(() => resolveMonitorOptions(value, 'runtime.monitor')).toThrow(TypeError)
    expect(() => resolveMonitorOptions(value, 'runtime.monitor')).toThrow(message)
  })

  it('createMonitor validates too', () => {
    expect(() => createMonitor({ policy: 'stop', exitCode: 300 })).toThrow('monitor.exitCode must be an integer from 1 to 255, got number 300')
    expect(existsSync(work)).toBe(true)
  })
})
