import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUNDLERS, buildFixture } from './harness/index.js'

async function jsFiles(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.m?js$/.test(entry.name)) found.push(path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
  }
  return found.sort()
}

describe.each(BUNDLERS)('report v1 (%s)', (bundler) => {
  for (const minify of [false, true]) {
    it(`byte figures equal the files on disk (minify: ${minify})`, async () => {
      const built = await buildFixture('report-basic', bundler, { minify })
      const report = built.report!
      expect(report.schemaVersion).toBe(1)
      expect(report.bundler).toBe(bundler)
      expect(report.chunks.map((c) => c.file).sort()).toEqual(await jsFiles(built.outDir))
      for (const chunk of report.chunks) {
        const onDisk = await stat(path.join(built.outDir, chunk.file))
        expect(chunk.bytes).toBe(onDisk.size)
        expect(chunk.gzipBytes).toBeGreaterThan(0)
        if (chunk.bytes > 2000) expect(chunk.gzipBytes).toBeLessThan(chunk.bytes)
        expect(chunk.brotliBytes).toBeGreaterThan(0)
        const moduleSum = chunk.modules.reduce((sum, m) => sum + m.bytes, 0)
        expect(Math.abs(moduleSum - chunk.bytes) / chunk.bytes).toBeLessThanOrEqual(0.02)
      }
    })
  }

  it('attributes modules to packages and to the app', async () => {
    const report = (await buildFixture('report-basic', bundler)).report!
    const modules = report.chunks.flatMap((c) => c.modules)
    const semver = modules.filter((m) => m.package === 'semver')
    expect(semver.length).toBeGreaterThan(3)
    expect(semver.every((m) => m.id.includes('node_modules/semver/'))).toBe(true)
    const own = modules.find((m) => m.id === 'greet.js')
    expect(own?.package).toBeNull()
  })

  it('initial bytes are the entry and its static imports; dynamic chunks count only in total', async () => {
    const built = await buildFixture('report-basic', bundler)
    const report = built.report!
    expect(report.entries).toHaveLength(1)
    const [entry] = report.entries
    const dynamic = report.chunks.filter((c) => !entry!.initialFiles.includes(c.file))
    expect(dynamic.length).toBeGreaterThanOrEqual(1)
    const sum = (files: string[]) => files.reduce((s, f) => s + report.chunks.find((c) => c.file === f)!.bytes, 0)
    expect(entry!.initialBytes).toBe(sum(entry!.initialFiles))
    expect(entry!.totalBytes).toBe(sum(report.chunks.map((c) => c.file)))
    expect(entry!.totalBytes).toBeGreaterThan(entry!.initialBytes)
  })

  it('counts what an entry shim always imports dynamically as initial, not conditional imports', async () => {
    const built = await buildFixture('report-shim', bundler)
    const report = built.report!
    const [entry] = report.entries
    const program = report.chunks.find((c) => c.modules.some((m) => m.id === 'program.js'))!
    const never = report.chunks.find((c) => c.modules.some((m) => m.id === 'never.js'))!
    expect(entry!.initialFiles).toContain(program.file)
    expect(entry!.initialFiles).not.toContain(never.file)
    expect((await built.run()).stdout).toBe('program ran\n')
  })

  it('writes the report atomically: no temporary files are left next to it', async () => {
    const built = await buildFixture('report-basic', bundler)
    const dir = path.dirname(built.outDir)
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect(JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')).schemaVersion).toBe(1)
  })

  it('builds a program that behaves like its source', async () => {
    const built = await buildFixture('report-basic', bundler)
    for (const args of [[], ['2.0.0', '--extra']]) {
      expect(await built.run(args)).toEqual(await built.runSource(args))
    }
  })

  it('fails on malformed source with file, line and column', async () => {
    await expect(buildFixture('malformed', bundler)).rejects.toThrow(/helper\.js:2:\d+: Unexpected token/)
  })
})
