import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const RECORDER = fileURLToPath(new URL('./record-loads.mjs', import.meta.url))

/**
 * The JS Node actually loads from `dir` when running `file args`: every module loaded from that
 * folder (entry, bootstrap, chunks), as recorded by a module-loading hook.
 */
export function loadedBytes(file, args, { dir = path.dirname(file), cwd } = {}) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'cli-optimizer-loads-'))
  const log = path.join(scratch, 'loads.txt')
  try {
    const result = spawnSync(process.execPath, ['--import', RECORDER, file, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CLI_OPTIMIZER_LOAD_LOG: log },
      encoding: 'utf8',
    })
    if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
    let urls = []
    try {
      urls = readFileSync(log, 'utf8').split('\n').filter(Boolean)
    } catch {}
    const files = [...new Set(urls)]
      .map((url) => fileURLToPath(url))
      .filter((f) => f.startsWith(dir + path.sep) && /\.[cm]?js$/.test(f))
    return { bytes: files.reduce((sum, f) => sum + statSync(f).size, 0), files: files.map((f) => path.relative(dir, f)) }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}
