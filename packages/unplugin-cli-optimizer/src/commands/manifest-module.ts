import type { StaticValue } from './static-literal.js'

export interface CommandModule {
  /** Import specifier from the manifest module's folder, e.g. `./convert.js`. */
  specifier: string
  meta: Record<string, StaticValue>
  /** The export of the shared meta module holding this command's literal (see shared-meta.ts). */
  metaExport?: string
  /**
   * Load it eagerly instead: the module has observable top-level effects, so evaluating it later
   * would change what the program does.
   */
  eager: boolean
}

/**
 * Source of the manifest module: one record per command, `{ ...meta, load() }`, where `load`
 * imports the command's own chunk once. The module also starts loading the command named by the
 * first argument as soon as it is evaluated, so the chunk arrives in parallel with the rest of
 * startup (the entry bootstrap evaluates this module early when a command is named).
 */
export function manifestModuleSource(commands: readonly CommandModule[], metaModuleId?: string): string {
  const imports: string[] = []
  const shared = commands.filter((command) => command.metaExport !== undefined && metaModuleId !== undefined)
  if (shared.length > 0) {
    imports.push(`import { ${shared.map((command) => `${command.metaExport} as __cliMeta_${command.metaExport}`).join(', ')} } from ${JSON.stringify(metaModuleId)};`)
  }
  const records = commands.map((command, index) => {
    const meta = shared.includes(command) ? `__cliMeta_${command.metaExport}` : JSON.stringify(command.meta)
    if (command.eager) {
      imports.push(`import * as __cliCommand${index} from ${JSON.stringify(command.specifier)};`)
      return `{ ...${meta}, load: () => Promise.resolve(__cliCommand${index}) }`
    }
    return `{ ...${meta}, load: __cliOnce(() => import(${JSON.stringify(command.specifier)})) }`
  })
  // The command mark only when profiling: the first use of `performance` costs ~0.4 MiB of RSS.
  return `${imports.join('\n')}
function __cliOnce(load) {
  let loading
  return () => (loading ??= load().then((mod) => (process.env.CLI_OPTIMIZER_PROFILE === '1' && performance.mark('cli-optimizer:command'), mod)))
}
const commands = [
  ${records.join(',\n  ')}
];
const __cliFirst = process.argv[2];
if (__cliFirst !== undefined && !__cliFirst.startsWith('-')) {
  for (const command of commands) if (command.name === __cliFirst) command.load().catch(() => {});
}
export default commands;
`
}
