import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { UnpluginOptions } from 'unplugin'
import { bundlerResolver, type Resolve } from '../adapters/resolve.js'
import { parseModule } from '../core/ast/parse-module.js'
import { DeferredSubgraph } from '../lazy/deferred-subgraph.js'
import type { CliOptimizerContext } from '../core/context.js'
import { CliOptimizerError } from '../core/errors.js'
import { extractCommandMeta } from './extract-meta.js'
import { manifestModuleSource, type CommandModule } from './manifest-module.js'
import { META_MODULE_FILE, metaInitializer, metaLiteralText, metaModuleSource, shareCommandMeta } from './shared-meta.js'
import type { ResolvedCommandsOptions } from './commands-options.js'

export const COMMANDS_VIRTUAL_ID = 'virtual:cli-optimizer/commands'
/** The manifest's module id: a file name inside the commands folder, so `./x.js` imports resolve there. */
const MANIFEST_FILE = '__cli-optimizer-commands__.js'
const COMMAND_FILE = /\.(?:m?js|m?ts)$/

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function exactId(id: string): RegExp {
  return new RegExp(`^${escapeRegExp(id)}$`)
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}

/** Command files in the folder, in the order the registry imports them, then by file name. */
function listCommandFiles(dir: string, registry: string | undefined): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    throw new CliOptimizerError('CLI_OPTIMIZER_COMMANDS_DIR', `commands.dir ${dir} cannot be read (option commands.dir)`)
  }
  const files = names
    .filter((name) => COMMAND_FILE.test(name) && !name.startsWith('_') && !name.endsWith('.d.ts'))
    .map((name) => path.join(dir, name))
    .filter((file) => file !== registry)
    .sort()
  if (!registry) return files
  const order = registryImportOrder(registry)
  const rank = (file: string): number => {
    const at = order.indexOf(file)
    return at === -1 ? order.length : at
  }
  return files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

/** Absolute paths the registry imports, in source order: the manifest keeps the user's order. */
function registryImportOrder(registry: string): string[] {
  const ast = parseModule(readFileSync(registry, 'utf8'), registry)
  const dir = path.dirname(registry)
  return ast.program.body.flatMap((statement) =>
    statement.type === 'ImportDeclaration' && statement.source.value.startsWith('.') ? [path.resolve(dir, statement.source.value)] : [],
  )
}

/**
 * The command manifest: `virtual:cli-optimizer/commands` (and the user's registry module, when
 * configured) becomes one record per command with its metadata read at build time and a
 * `load()` that imports the command's own chunk, so `--help` and routing load no command code.
 */
export function commandsPlugin(ctx: CliOptimizerContext, options: ResolvedCommandsOptions | false): UnpluginOptions | undefined {
  if (options === false) return undefined
  const dir = path.resolve(ctx.options.root, options.dir)
  const registry = options.registry ? path.resolve(ctx.options.root, options.registry) : undefined
  const manifestId = path.join(dir, MANIFEST_FILE)
  const metaModuleId = path.join(dir, META_MODULE_FILE)
  ctx.commands = { manifestId: registry ?? COMMANDS_VIRTUAL_ID }

  // Each command's meta literal, shared by the manifest and the command module (shared-meta.ts).
  let shares: Map<string, { exportName: string; text: string }> | undefined
  const sharedMetas = (): Map<string, { exportName: string; text: string }> => {
    if (shares) return shares
    shares = new Map()
    for (const [index, file] of listCommandFiles(dir, registry).entries()) {
      const code = readFileSync(file, 'utf8')
      const literal = metaInitializer(parseModule(code, file, ctx.displayId(file)))
      if (literal) shares.set(file, { exportName: `meta${index}`, text: metaLiteralText(code, literal) })
    }
    return shares
  }
  const metaModuleFor = async (): Promise<string> => metaModuleSource([...sharedMetas().values()])
  ctx.generatedSources.set(metaModuleId, metaModuleFor)

  // One manifest per build: the load hook and the lazy-import analysis (which reads the registry
  // before the bundler loads it) must see the same code, and report each command once.
  let manifest: Promise<string> | undefined
  const manifestFor = (resolve: Resolve): Promise<string> => (manifest ??= buildManifest(resolve))
  if (registry) ctx.generatedSources.set(registry, manifestFor)
  ctx.generatedSources.set(manifestId, manifestFor)

  const buildManifest = async (resolve: Resolve): Promise<string> => {
    const files = listCommandFiles(dir, registry)
    // The same check as a deferred import: loading a command later must not change what the
    // program prints or does, so its whole static graph must be free of observable effects.
    const subgraph = new DeferredSubgraph(resolve, ctx.displayId)
    const importer = registry ?? manifestId
    const commands: CommandModule[] = []
    for (const file of files) {
      const ast = parseModule(readFileSync(file, 'utf8'), file, ctx.displayId(file))
      const meta = extractCommandMeta(ast, ctx.displayId(file))
      const specifier = `./${toPosix(path.relative(dir, file))}`
      const verdict = await subgraph.check(importer, file)
      const eager = !verdict.ok
      ctx.transforms.push({
        kind: 'command-manifest',
        importer: ctx.displayId(registry ?? manifestId),
        command: typeof meta.name === 'string' ? meta.name : path.basename(file).replace(COMMAND_FILE, ''),
        source: ctx.displayId(file),
        applied: !eager,
        reason: verdict.ok
          ? 'metadata read at build time; code loads only when the command runs'
          : `kept eager, loading it later could change what the program does: ${verdict.reason}`,
      })
      commands.push({ specifier, meta, eager, metaExport: sharedMetas().get(file)?.exportName })
    }
    return manifestModuleSource(commands, metaModuleId)
  }

  const resolvedIds = new RegExp(`^(?:virtual:cli-optimizer/commands|${escapeRegExp(metaModuleId)})$`)
  return {
    name: 'cli-optimizer:commands',
    enforce: 'pre',
    buildStart() {
      manifest = undefined
      shares = undefined
    },
    // esbuild calls into JavaScript only for the ids resolved here, not for every import.
    esbuild: { onResolveFilter: resolvedIds },
    resolveId: {
      filter: { id: resolvedIds },
      handler(id) {
        if (id === metaModuleId) return metaModuleId
        return id === COMMANDS_VIRTUAL_ID ? manifestId : undefined
      },
    },
    load: {
      filter: { id: { include: (registry ? [manifestId, registry, metaModuleId] : [manifestId, metaModuleId]).map(exactId) } },
      handler(id) {
        if (id === metaModuleId) return metaModuleFor()
        if (id !== manifestId && id !== registry) return undefined
        return manifestFor(bundlerResolver(this))
      },
    },
    transform: {
      filter: { id: { include: [new RegExp(`^${escapeRegExp(dir + path.sep)}[^\\\\/]+\\.(?:m?js|m?ts)$`)] } },
      handler(code, id) {
        const share = sharedMetas().get(id)
        if (!share) return undefined
        let ast
        try {
          ast = parseModule(code, id, ctx.displayId(id))
        } catch {
          return undefined
        }
        const shared = shareCommandMeta(code, ast, id, { ...share, moduleId: metaModuleId })
        ctx.transforms.push({
          kind: 'command-meta',
          importer: ctx.displayId(id),
          applied: shared !== undefined,
          reason: shared
            ? 'meta literal moved to the module the manifest imports: it ships once'
            : 'kept its own copy: the meta literal the bundler transforms is not the one on disk (another plugin changed it)',
        })
        return shared
      },
    },
  }
}
