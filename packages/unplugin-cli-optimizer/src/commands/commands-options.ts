import { checkKnownKeys, optionError } from '../core/options-validation.js'

/** The command manifest: `--help` and routing without loading any command's code. */
export interface CommandsOptions {
  /**
   * Folder of command modules, relative to `root`. Every `.js`/`.mjs`/`.ts` file directly in it
   * (except the registry and files starting with `_`) is one command and must export a static
   * `export const meta = { name, description, arguments, options }` literal.
   */
  dir: string
  /**
   * Your own module (relative to `root`) that lists the commands eagerly, so the source still
   * runs unbundled. In a build it is replaced by the manifest: same records, `load()` imports the
   * command's own chunk. Without it, import `virtual:cli-optimizer/commands`.
   * @default undefined
   */
  registry?: string
}

export interface ResolvedCommandsOptions {
  dir: string
  registry: string | undefined
}

/** `commands: false` (the default) turns the manifest off. */
export function resolveCommandsOptions(value: unknown): ResolvedCommandsOptions | false {
  if (value === undefined || value === false) return false
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw optionError('commands', 'false or an object { dir, registry? }', value)
  }
  const record = value as Record<string, unknown>
  checkKnownKeys('commands', record, ['dir', 'registry'])
  if (typeof record.dir !== 'string' || record.dir === '') throw optionError('commands.dir', 'a non-empty string path', record.dir)
  if (record.registry !== undefined && (typeof record.registry !== 'string' || record.registry === '')) {
    throw optionError('commands.registry', 'a non-empty string path', record.registry)
  }
  return { dir: record.dir, registry: record.registry as string | undefined }
}
