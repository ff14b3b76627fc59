import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// benchmarks/run.mjs imports the built package (npm test builds it first).
const root = fileURLToPath(new URL('../../../', import.meta.url))
const run = (...args: string[]) => spawnSync(process.execPath, ['benchmarks/run.mjs', ...args], { cwd: root, encoding: 'utf8' })

describe('benchmarks/run.mjs (npm run bench)', () => {
  it('discovers the playground suites in order, and runtime-*.mjs scripts as plug-in suites', () => {
    const result = run('--list')
    expect(result.status).toBe(0)
    const names = result.stdout.trim().split('\n').map((line) => line.split(/\s+/)[0])
    expect(names.slice(0, 3)).toEqual(['build', 'sizes', 'startup'])
    expect(names.slice(3).every((name) => name!.startsWith('runtime-'))).toBe(true)
  })

  it('refuses an unknown suite, naming the known ones', () => {
    const result = run('--suite', 'nope')
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(/unknown suite\(s\): nope; known: build, sizes, startup/)
  })
})
