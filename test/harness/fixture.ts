import { mkdtemp, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Options, Report } from 'unplugin-cli-optimizer'
import { build, type Bundler } from './bundlers.js'
import { runNode, type RunOptions, type RunResult } from './run-node.js'

export const TEST_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const FIXTURES = path.join(TEST_ROOT, 'fixtures')
const TMP = path.join(TEST_ROOT, '.tmp')

export interface BuiltFixture {
  bundler: Bundler
  outDir: string
  /** Parsed report JSON; present when the plugin ran. */
  report: Report | undefined
  /** Runs an emitted entry (default `main`) with Node. */
  run(args?: readonly string[], options?: RunOptions & { entry?: string }): Promise<RunResult>
  /** Runs the unbundled source entry, the reference every differential test compares with. */
  runSource(args?: readonly string[], options?: RunOptions & { entry?: string }): Promise<RunResult>
}

export interface FixtureBuildOptions {
  /** Entry name → source path relative to the fixture; default `{ main: 'main.js' }`. */
  entries?: Record<string, string>
  plugin?: Options | false
  minify?: boolean
  sourcemap?: boolean
}

/**
 * Builds `test/fixtures/<name>` with one bundler into a fresh temporary folder. With the plugin
 * on, the report JSON is always written (to `report.json` next to the output) and parsed.
 */
export async function buildFixture(name: string, bundler: Bundler, options: FixtureBuildOptions = {}): Promise<BuiltFixture> {
  const root = path.join(FIXTURES, name)
  const entries = options.entries ?? { main: 'main.js' }
  const work = await mkdtemp(path.join(await ensureTmp(), `${name.replace(/\W+/g, '-')}-${bundler}-`))
  const outDir = path.join(work, 'out')
  const reportFile = path.join(work, 'report.json')
  const plugin = options.plugin === false ? false : { ...options.plugin, report: { json: reportFile, terminal: false, ...(options.plugin?.report || {}) } }
  await build({ bundler, root, entries, outDir, plugin, minify: options.minify, sourcemap: options.sourcemap })
  const report = plugin === false ? undefined : (JSON.parse(await readFile(reportFile, 'utf8')) as Report)
  return {
    bundler,
    outDir,
    report,
    run: (args = [], { entry = Object.keys(entries)[0]!, ...rest } = {}) => runNode(path.join(outDir, `${entry}.js`), args, { cwd: root, ...rest }),
    runSource: (args = [], { entry = Object.keys(entries)[0]!, ...rest } = {}) =>
      runNode(path.join(root, entries[entry]!), args, { cwd: root, ...rest }),
  }
}

async function ensureTmp(): Promise<string> {
  const { mkdir } = await import('node:fs/promises')
  await mkdir(TMP, { recursive: true })
  return TMP
}
