export interface BootstrapInput {
  /** Absolute path of the user's real entry module. */
  entry: string
  /** Module to evaluate early when the first argument names a command (starts its preload). */
  preload: string | undefined
  /** Absolute path of the profiler module, or undefined when profiling support is off. */
  profiler: string | undefined
  compileCache: boolean
  /** The entry's `#!` line, if it has one: the shim is what the user's bin now runs. */
  hashbang?: string | undefined
}

/**
 * The entry shim. Everything here runs on every start, so it stays a few hundred bytes and
 * imports nothing but `node:module`: the program itself, the profiler and the command preload
 * are dynamic imports (the last two only when asked for), each its own chunk.
 */
export function bootstrapSource({ entry, preload, profiler, compileCache, hashbang }: BootstrapInput): string {
  const lines: string[] = []
  if (hashbang) lines.push(hashbang)
  if (compileCache) {
    // A namespace import: on Node < 22.8 the named export does not exist and a named import
    // would be a SyntaxError at link time.
    lines.push(`import * as __cliModule from 'node:module';`, `__cliModule.enableCompileCache?.();`)
  }
  if (profiler) {
    // The start mark only when profiling: the first use of `performance` costs ~0.4 MiB of RSS
    // (perf_hooks), a seventh of what the whole bootstrap may add.
    lines.push(
      `process.env.CLI_OPTIMIZER_PROFILE === '1' && (performance.mark('cli-optimizer:start'), await import(${JSON.stringify(profiler)}).then((p) => p.startProfile()));`,
    )
  }
  if (preload) {
    lines.push(`/^[^-]/.test(process.argv[2] ?? '-') && import(${JSON.stringify(preload)});`)
  }
  lines.push(`await import(${JSON.stringify(entry)});`)
  return `${lines.join('\n')}\n`
}
