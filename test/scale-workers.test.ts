import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BUNDLERS, buildFixture, runNode, TEST_ROOT } from './harness/index.js'

const REPO_ROOT = path.resolve(TEST_ROOT, '..')
const made: string[] = []
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })))
})

/**
 * A folder with only the build output as `dist/` and a node_modules holding the packages the
 * output imports at runtime: what an installed CLI has, without the sources or the repository.
 */
async function installed(outDir: string, packages: readonly string[]): Promise<string> {
  const app = await mkdtemp(path.join(TEST_ROOT, '.tmp', 'scale-installed-'))
  made.push(app)
  await cp(outDir, path.join(app, 'dist'), { recursive: true })
  await mkdir(path.join(app, 'node_modules'))
  for (const name of packages) await symlink(path.join(REPO_ROOT, 'node_modules', name), path.join(app, 'node_modules', name), 'dir')
  return app
}

describe.each(BUNDLERS)('workers and pool tasks survive bundling (issue 15): %s', (bundler) => {
  it('new Worker(new URL(...)) and createPool({ task: new URL(...) }) run from dist/ + node_modules alone, same output as the source', async () => {
    const built = await buildFixture('scale-workers', bundler)
    const source = await built.runSource()
    expect(source).toMatchObject({ code: 0, stderr: '' })
    expect(source.stdout).toContain('worker: HELLO!')

    const app = await installed(built.outDir, ['piscina'])
    const run = await runNode(path.join(app, 'dist', 'main.js'), [], { cwd: app })
    expect(run).toEqual(source)
    // The chunks named for synchronously loaded graphs whose modules were all tree-shaken (most of
    // the scale service here) are not written as empty files.
    const files = (await readdir(built.outDir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile() && f.name.endsWith('.js'))
    const empty = await Promise.all(files.map(async (f) => ((await readFile(path.join(f.parentPath, f.name), 'utf8')).trim() === '' ? f.name : undefined)))
    expect(empty.filter(Boolean)).toEqual([])

    const kinds = built.report!.transforms.filter((t) => t.kind === 'worker-entry' || t.kind === 'worker-external')
    expect(kinds.map((t) => [t.kind, (t as { file?: string; source?: string }).file ?? (t as { source?: string }).source]).sort()).toEqual([
      ['worker-entry', 'echo-worker.js'],
      ['worker-entry', 'tasks/hash-task.js'],
      // The scale service loads BullMQ and ioredis only for createQueue, which this CLI never calls.
      ['worker-external', 'bullmq'],
      ['worker-external', 'ioredis'],
      ['worker-external', 'piscina'],
    ])
  })

  it('without the plugin the same bundle does not run from that folder (what the capability fixes)', async () => {
    const plain = await buildFixture('scale-workers', bundler, { plugin: false })
    const app = await installed(plain.outDir, ['piscina'])
    const run = await runNode(path.join(app, 'dist', 'main.js'), [], { cwd: app, timeoutMs: 20_000 })
    expect(run.code).not.toBe(0)
  })
})
