// Helpers shared by the suites that measure the playground CLI (files starting with `_` are not suites).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'

export const BUNDLERS = ['vite', 'rollup', 'esbuild']
export const VARIANTS = ['plain', 'optimized']
/**
 * The suites build into their own folder (playground/dist-bench/, git-ignored) with the documented
 * `--out` option, so a benchmark never rebuilds playground/dist/ under a test or the demo reading it.
 */
export const OUT = 'dist-bench'

/** Every playground output, whether built or not. */
export function playgroundOutputs(root) {
  return BUNDLERS.flatMap((bundler) =>
    VARIANTS.map((variant) => {
      const dir = path.join(root, 'playground', OUT, `${bundler}-${variant}`)
      return { bundler, variant, key: `${bundler}-${variant}`, dir, entry: path.join(dir, 'cli.js') }
    }),
  )
}

/** The documented build command of one output. */
export function buildCommand(root, bundler, variant) {
  return [process.execPath, path.join(root, 'playground', 'build.mjs'), '--bundler', bundler, '--variant', variant, '--out', OUT]
}

/** Run a command to completion, resolving to its exit code and the tail of its output. */
export function runToCompletion(command, { cwd, timeoutMs = 600_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const keep = (chunk) => (output = (output + chunk).slice(-4000))
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => resolve({ code: 127, output: error.message }))
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code: code ?? (signal ? 128 : 1), output })
    })
  })
}

/**
 * Outputs whose `cli.js` exists, building the missing ones with the documented build command.
 * Failures are returned, not thrown: one broken bundler must not hide the others' figures.
 */
export async function ensureOutputs(ctx) {
  const ready = []
  const errors = []
  for (const output of playgroundOutputs(ctx.root)) {
    if (!existsSync(output.entry)) {
      ctx.log(`building missing ${output.key}`)
      const { code, output: text } = await runToCompletion(buildCommand(ctx.root, output.bundler, output.variant), { cwd: ctx.root })
      if (code !== 0 || !existsSync(output.entry)) {
        errors.push(`${output.key}: build failed (exit ${code}): ${lastLines(text)}`)
        continue
      }
    }
    ready.push(output)
  }
  return { ready, errors }
}

export function lastLines(text, count = 6) {
  return text.trim().split('\n').slice(-count).join('\n')
}
