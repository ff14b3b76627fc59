import { spawn } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, samples, startPushgateway, type Pushgateway } from '../packages/runtime/test/helpers/pushgateway.js'
import { BUNDLERS, buildFixture, loadedFiles, type BuiltFixture } from './harness/index.js'

const FIXTURE = 'runtime-monitor-metrics'
let gateway: Pushgateway

beforeAll(async () => {
  gateway = await startPushgateway()
})
afterAll(async () => {
  await gateway?.stop()
})

async function loadedBytes(built: BuiltFixture, args: string[]): Promise<number> {
  let total = 0
  for (const file of await loadedFiles(built, args)) total += (await stat(path.join(built.outDir, file))).size
  return total
}

describe.each(BUNDLERS)('#14 runtime monitor and metrics, injected (%s)', (bundler) => {
  const job = `fixture-${bundler}`
  let built: BuiltFixture

  beforeAll(async () => {
    built = await buildFixture(FIXTURE, bundler, {
      plugin: { runtime: { monitor: { intervalMs: 20, policy: 'stop', commands: { grow: { maxHeapMiB: 40 } } }, metrics: { job } } },
    })
  })

  it('keeps stdout and exit code; pushes the run to a real Pushgateway at a normal end and from process.exit()', async () => {
    const env = { CLI_OPTIMIZER_PUSHGATEWAY_URL: gateway.url }
    for (const [command, code] of [['work', 3], ['exit', 4]] as const) {
      const source = await built.runSource([command])
      const run = await built.run([command], { env })
      expect(run).toEqual({ ...source, stderr: '' })
      expect(run.code).toBe(code)
    }
    const text = await gateway.scrape()
    const labels = `instance="${hostname()}",job="${job}"`
    // One group per job and instance: the second run (exit) replaced the first (PUT).
    expect(samples(text, 'cli_exits_total').filter((s) => s.includes(job))).toEqual([`{code="4",command="exit",${labels}} 1`])
    expect(samples(text, 'cli_command_duration_seconds_count').filter((s) => s.includes(job))).toEqual([`{command="exit",${labels}} 1`])
  })

  it('applies the injected thresholds: the command crossing its limit is stopped with exit code 70', async () => {
    const run = await built.run(['grow'])
    expect(run.code).toBe(70)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/^\[cli-optimizer monitor\] stopped: heap used \d+\.\d MiB exceeded maxHeapMiB 40 in command "grow" \(exit code 70/)
    const off = await built.run(['grow'], { env: { CLI_OPTIMIZER_MONITOR: '0' } })
    expect(off).toEqual({ code: 0, stdout: 'grew without limit\n', stderr: '' })
  })

  it('prints the monitor summary with CLI_OPTIMIZER_MONITOR=1, stdout unchanged', async () => {
    const run = await built.run(['work'], { env: { CLI_OPTIMIZER_MONITOR: '1' } })
    expect(run.stdout).toBe('sum 2999997\n')
    expect(run.code).toBe(3)
    expect(run.stderr).toMatch(/^\[cli-optimizer monitor\] work: \d+\.\d\d s, \d+ samples\n {2}peak RSS [\d.]+ MiB/)
  })

  it('a long-running command exposes /metrics (CLI_OPTIMIZER_METRICS_PORT), scraped while it runs', async () => {
    const port = await freePort()
    const child = spawn(process.execPath, [path.join(built.outDir, 'main.js'), 'serve'], { env: { ...process.env, CLI_OPTIMIZER_METRICS_PORT: String(port) }, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    try {
      let text = ''
      for (const deadline = Date.now() + 20_000; !text; ) {
        text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '')
        if (!text && Date.now() > deadline) throw new Error('no /metrics endpoint')
        if (!text) await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(text).toMatch(/^cli_peak_rss_bytes\{command="serve"\} \d+$/m)
      expect(text).toContain('# TYPE cli_exits_total counter')
    } finally {
      child.stdin.end('stop\n')
    }
    expect(await exited).toBe(0)
    expect(stdout).toBe('serving\nstopped\n')
  })

  it('disabled services add no file and at most 360 B (both) to what --version loads; enabled, the monitor is loaded', async () => {
    const minify = true
    const [base, disabled, enabled] = await Promise.all([
      buildFixture(FIXTURE, bundler, { minify, plugin: { runtime: {} } }),
      buildFixture(FIXTURE, bundler, { minify, plugin: { runtime: { monitor: { enabled: false }, metrics: {} } } }),
      buildFixture(FIXTURE, bundler, { minify, plugin: { runtime: { monitor: true } } }),
    ])
    const baseBytes = await loadedBytes(base, ['--version'])
    const disabledBytes = await loadedBytes(disabled, ['--version'])
    // Measured ~345 B for both (`enabled: false` in the config, two variable checks; metrics' `{}`
    // adds no config): no file is added. Per service: test/runtime-bootstrap-bytes.test.ts.
    expect(disabledBytes - baseBytes).toBeLessThanOrEqual(360)
    expect((await loadedFiles(disabled, ['--version'])).length).toBe((await loadedFiles(base, ['--version'])).length)
    expect((await loadedFiles(enabled, ['--version'])).length).toBeGreaterThan((await loadedFiles(base, ['--version'])).length)
    expect(await disabled.run(['--version'])).toEqual({ code: 0, stdout: '1.0.0\n', stderr: '' })
  })
})

describe('#14 runtime.monitor and runtime.metrics options', () => {
  it('are validated at build time by the runtime, with TypeErrors naming the option', async () => {
    const { resolveRuntimeOptions } = await import('../packages/unplugin-cli-optimizer/src/runtime-inject/runtime-options.js')
    expect(resolveRuntimeOptions({ monitor: true, metrics: { job: 'x' } })).toMatchObject({ services: { monitor: {}, metrics: { job: 'x' } } })
    expect(() => resolveRuntimeOptions({ monitor: { thresholds: { maxRssMiB: '1g' } } })).toThrow(new TypeError('[cli-optimizer] runtime.monitor.thresholds.maxRssMiB must be a positive number, got string "1g"'))
    expect(() => resolveRuntimeOptions({ monitor: { onThreshold: () => {} } })).toThrow('runtime.monitor.onThreshold cannot be set in the plugin options')
    expect(() => resolveRuntimeOptions({ metrics: { push: { url: 'http://u:secret@127.0.0.1:1', timeoutMs: -1 } } })).toThrow(new TypeError('[cli-optimizer] runtime.metrics.push.timeoutMs must be a positive number of milliseconds up to 10000, got number -1'))
    expect(() => resolveRuntimeOptions({ metrics: 'yes' })).toThrow(TypeError)
  })
})
