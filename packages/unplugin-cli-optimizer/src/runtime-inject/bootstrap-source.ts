import { RUNTIME_CONFIG_KEY, runtimeModulePath, runtimeServices } from './runtime-services.js'

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
  /** Resolved options of each enabled runtime service, by key (see `runtime-services.ts`). */
  services?: Record<string, unknown>
  /**
   * The line that, on Node without require(esm), preloads the chunks deferred imports load
   * synchronously (`adapters/sync-load.ts`), before the program runs.
   */
  syncPreload?: string | undefined
}

/**
 * The entry shim. Everything here runs on every start, so it stays a few hundred bytes and
 * imports nothing but `node:module`: the program itself, the profiler and the command preload
 * are dynamic imports (the last two only when asked for), each its own chunk.
 */
export function bootstrapSource({ entry, preload, profiler, compileCache, hashbang, services = {}, syncPreload }: BootstrapInput): string {
  const lines: string[] = []
  if (hashbang) lines.push(hashbang)
  const enabled = runtimeServices.filter((s) => s.key in services)
  // Set before the program runs, so a service module loaded on first use finds its options. Only
  // options that differ from the defaults are there (the services pruned them); with none, no
  // line at all: the runtime applies its defaults when the config is missing.
  const configured = Object.fromEntries(Object.entries(services).filter(([, o]) => Object.keys(o as object).length > 0))
  if (Object.keys(configured).length > 0) lines.push(`globalThis[Symbol.for(${JSON.stringify(RUNTIME_CONFIG_KEY)})]=${JSON.stringify(configured)};`)
  for (const service of enabled) lines.push(...service.bootstrapLines(services[service.key], runtimeModulePath))
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
  if (syncPreload) lines.push(syncPreload)
  if (preload) {
    lines.push(`/^[^-]/.test(process.argv[2] ?? '-') && import(${JSON.stringify(preload)});`)
  }
  lines.push(`await import(${JSON.stringify(entry)});`)
  return `${lines.join('\n')}\n`
}
