import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import type { BuiltFixture } from './fixture.js'
import { FIXTURES } from './fixture.js'

const LOAD_LOGGER = path.join(FIXTURES, 'lazy-load-log', 'register.mjs')

/** Runs the built entry with a loader hook that logs every file Node loads; returns those files relative to the output. */
export async function loadedFiles(built: BuiltFixture, args: string[]): Promise<string[]> {
  const log = path.join(path.dirname(built.outDir), `loads-${args.join('-') || 'none'}.txt`)
  await rm(log, { force: true })
  await built.run(args, { env: { NODE_OPTIONS: `--import=${LOAD_LOGGER}`, LAZY_LOAD_LOG: log } })
  const urls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean)
  return urls.map((u) => new URL(u).pathname).filter((p) => p.startsWith(built.outDir)).map((p) => path.relative(built.outDir, p))
}
