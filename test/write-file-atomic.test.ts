/**
 * The one atomic write (issue 16): the plugin's report and cache files and the bench's results go
 * through npm's write-file-atomic. These checks fail if either helper becomes a plain writeFile.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { writeFileAtomic as benchWrite } from '../packages/bench/src/write-file-atomic.js'
import { writeFileAtomic as pluginWrite } from '../packages/unplugin-cli-optimizer/src/core/fs/write-file-atomic.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cli-opt-atomic-'))
  dirs.push(dir)
  return dir
}

describe.each([
  ['plugin', pluginWrite],
  ['bench', benchWrite],
] as const)('writeFileAtomic (%s)', (_name, write) => {
  it('creates the folder and writes the contents', async () => {
    const file = path.join(tempDir(), 'a', 'b', 'out.json')
    await write(file, '{"ok":true}')
    expect(readFileSync(file, 'utf8')).toBe('{"ok":true}')
  })

  it('a reader polling the file while it is rewritten sees only whole versions', async () => {
    const file = path.join(tempDir(), 'big.txt')
    const versions = ['a', 'b', 'c', 'd', 'e', 'f'].map((c) => c.repeat(1024 * 1024))
    await write(file, versions[0]!)
    let reading = true
    const seen = new Set<string>()
    const reader = (async () => {
      while (reading) {
        const text = readFileSync(file, 'utf8')
        seen.add(`${text.length}:${text[0]}${text.at(-1)}`)
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    for (const version of versions.slice(1)) await write(file, version)
    reading = false
    await reader
    // A plain writeFile truncates first: a poll would see an empty or partial file.
    for (const entry of seen) expect(entry).toMatch(/^1048576:([a-f])\1$/)
  })

  it('a write that fails leaves the old file and no temporary file behind', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'target')
    // A non-empty folder in the target's place: the final rename must fail.
    mkdirSync(file)
    writeFileSync(path.join(file, 'keep'), 'old')
    await expect(write(file, 'new contents')).rejects.toThrow()
    expect(readdirSync(dir)).toEqual(['target'])
    expect(readFileSync(path.join(file, 'keep'), 'utf8')).toBe('old')
  })
})
