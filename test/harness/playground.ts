import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { BUNDLERS } from './bundlers.js'
import { TEST_ROOT } from './fixture.js'

export const PLAYGROUND = path.join(path.dirname(TEST_ROOT), 'playground')
/** The playground's unbundled entry: what every built output is compared against. */
export const PLAYGROUND_SOURCE = path.join(PLAYGROUND, 'src', 'bin', 'cli.js')
/** `<bundler>-<variant>` for every output `playground/build.mjs` writes, in its order. */
export const PLAYGROUND_OUTPUTS = BUNDLERS.flatMap((bundler) => ['plain', 'optimized'].map((variant) => `${bundler}-${variant}`))

export interface PlaygroundBuild {
  /** Outputs in the order build.mjs reported them. */
  outputs: string[]
  /** Build error per output that failed, so the other outputs can still be tested. */
  errors: Map<string, string>
  /** Entry file of one output. */
  entry(output: string): string
}

/**
 * Builds every playground output with `playground/build.mjs` (the script `npm run demo` uses) into
 * `playground/<out>`. Each test file passes its own `out`, since vitest runs files concurrently and
 * a shared folder would be rewritten under a running test. A failed output is reported, not thrown;
 * only a build.mjs that printed no JSON report throws.
 */
export async function buildPlayground(out: string): Promise<PlaygroundBuild> {
  const args = [path.join(PLAYGROUND, 'build.mjs'), '--out', out, '--jobs', '2', '--json', '--keep-going']
  const stdout = await promisify(execFile)(process.execPath, args, { cwd: path.dirname(PLAYGROUND), maxBuffer: 16 * 1024 * 1024 }).then(
    (r) => r.stdout,
    (error: { stdout?: string; stderr?: string; message: string }) => {
      if (!error.stdout?.trim().startsWith('[')) throw new Error(`playground/build.mjs failed: ${error.stderr || error.message}`)
      return error.stdout
    },
  )
  const built = JSON.parse(stdout) as Array<{ bundler: string; variant: string; error?: string }>
  const errors = new Map<string, string>()
  for (const b of built) if (b.error) errors.set(`${b.bundler}-${b.variant}`, b.error)
  return { outputs: built.map((b) => `${b.bundler}-${b.variant}`), errors, entry: (output) => path.join(PLAYGROUND, out, output, 'cli.js') }
}
