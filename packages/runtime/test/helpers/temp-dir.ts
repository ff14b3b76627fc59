import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'

/** A fresh temp directory per call, removed after the test. */
export function useTempDirs(): () => string {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  return () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-opt-cache-'))
    dirs.push(dir)
    return dir
  }
}

/** Every file under `dir` (recursively) with its size and mode. */
export function listFiles(dir: string): { file: string; size: number; mode: number; isDir: boolean }[] {
  const out: { file: string; size: number; mode: number; isDir: boolean }[] = []
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name)
    const info = statSync(file)
    out.push({ file, size: info.size, mode: info.mode & 0o777, isDir: info.isDirectory() })
    if (info.isDirectory()) out.push(...listFiles(file))
  }
  return out
}

/** Files holding entries (not directories, not the temp area). */
export function entryFiles(dir: string): { file: string; size: number; mode: number }[] {
  return listFiles(dir).filter((info) => !info.isDir && path.basename(path.dirname(info.file)) !== 'tmp')
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
