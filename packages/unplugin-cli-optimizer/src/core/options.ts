/**
 * Public options of cli-optimizer and their validation.
 *
 * Every option is checked when the plugin is created, so a typo fails fast with a message that
 * names the option path, the expected type and what was given.
 */

import { resolveCommandsOptions, type CommandsOptions, type ResolvedCommandsOptions } from '../commands/commands-options.js'
import { resolveRuntimeOptions, type ResolvedRuntimeOptions, type RuntimeOptions } from '../runtime-inject/runtime-options.js'
import { resolveNodeCompatOptions, type NodeCompatOptions, type ResolvedNodeCompatOptions } from '../node-compat/node-compat-options.js'
import { resolveAssetsOptions, type AssetsOptions, type ResolvedAssetsOptions } from '../assets/assets-options.js'
import { resolveBarrelsOptions, type BarrelsOptions, type ResolvedBarrelsOptions } from '../barrels/barrels-options.js'
import { resolveTreeshakeOptions, type ResolvedTreeshakeOptions, type TreeshakeOptions } from '../treeshake/treeshake-options.js'
import { resolveCacheDirOption } from '../cache/cache-options.js'
import { resolveLazyOptions, type LazyOptions, type ResolvedLazyOptions } from '../lazy/lazy-options.js'
import { resolveBaselineOption, resolveBudgetOptions, resolveSizeModeOption, type BudgetOptions, type ResolvedBudgetOptions } from '../budgets/budget-options.js'
import type { ReportSizeMode } from '../report/report-types.js'
import { resolveWorkersOptions } from '../workers/workers-options.js'
import { checkKnownKeys, isPlainObject, optionError, optionalBoolean, optionalString } from './options-validation.js'

export { checkKnownKeys, isPlainObject, optionError, optionalBoolean, optionalString } from './options-validation.js'

/** Where and how the bundle report is written. */
export interface ReportOptions {
  /**
   * Path of the report JSON (schema v1), relative to `root` unless absolute.
   * Written atomically after every build.
   * @default undefined (no JSON file)
   */
  json?: string
  /**
   * Path of the self-contained HTML report (treemap, per-command loads, budgets, opportunities),
   * relative to `root` unless absolute. See docs/report.md.
   * @default undefined (no HTML file)
   */
  html?: string
  /**
   * Path of a Markdown report for pull-request comments, relative to `root` unless absolute.
   * @default undefined (no Markdown file)
   */
  markdown?: string
  /**
   * Size mode of the Markdown report's and the baseline comparison's figures: bytes as written,
   * gzip -9 or brotli quality 9.
   * @default budgets.compression when budgets are set, else 'raw'
   */
  compression?: ReportSizeMode
  /**
   * Print a short summary to stdout after each build.
   * @default process.stdout.isTTY
   */
  terminal?: boolean
}

export interface Options {
  /**
   * Project root: relative paths in options and module ids in the report are relative to it.
   * @default process.cwd()
   */
  root?: string
  /**
   * Bundle report. `false` turns every report output off.
   * @default { terminal: process.stdout.isTTY }
   */
  report?: false | ReportOptions
  /**
   * Command manifest: command metadata read at build time, each command's code in its own
   * chunk, so `--help` and routing load none of it. See {@link CommandsOptions}.
   * @default false
   */
  commands?: false | CommandsOptions
  /**
   * The bootstrap injected into every entry: compile cache, startup marks, opt-in profile
   * (`CLI_OPTIMIZER_PROFILE=1`). See {@link RuntimeOptions}.
   * @default true
   */
  runtime?: boolean | RuntimeOptions
  /**
   * Bundled CommonJS in ESM output: `require`, `__filename` and `__dirname` defined in the chunks
   * that read them; a dynamic import of a package that is not installed stays a runtime import.
   * See {@link NodeCompatOptions}.
   * @default true
   */
  nodeCompat?: boolean | NodeCompatOptions
  /**
   * Files read relative to a module (`new URL('./x', import.meta.url)`, `path.join(__dirname,
   * 'x')`, `createRequire(import.meta.url)('./x.json')`) copied next to the chunk or inlined, so
   * the output folder works wherever it is moved. See {@link AssetsOptions}.
   * @default true
   */
  assets?: boolean | AssetsOptions
  /**
   * Export-tree (barrel) rewriting: `import { a } from 'pkg'` imports the module defining `a`
   * when skipping the barrel changes nothing but size. See {@link BarrelsOptions}.
   * @default true
   */
  barrels?: boolean | BarrelsOptions
  /**
   * Side-effect inference, pure annotations and the dead-export report. See {@link TreeshakeOptions}.
   * @default true
   */
  treeshake?: boolean | TreeshakeOptions
  /**
   * Folder of the persistent analysis cache (results keyed by module contents and plugin
   * version), relative to the nearest folder of `root` with a `package.json`, unless absolute.
   * `false` keeps results in memory for one build.
   * @default 'node_modules/.cache/cli-optimizer'
   */
  cacheDir?: string | false
  /**
   * Automatic deferral of imports only async code needs: such an import becomes a load at its
   * use sites, so the module and what only it needs go to chunks loaded on first use. Refused
   * where it could change behaviour; every decision is in the report. See {@link LazyOptions}.
   * @default true
   */
  lazy?: boolean | LazyOptions
  /**
   * Size budgets checked after every build; an `error` violation fails the build. See
   * {@link BudgetOptions} and docs/report.md.
   * @default false
   */
  budgets?: false | BudgetOptions
  /**
   * A previous build's report JSON, relative to `root` unless absolute: the build is compared
   * with it (terminal, HTML, Markdown) and the `regression` budget checks against it. A missing
   * or malformed file fails the build with an error naming it.
   * @default undefined (no comparison)
   */
  baseline?: string
}

export interface ResolvedReportOptions {
  json: string | undefined
  html: string | undefined
  markdown: string | undefined
  compression: ReportSizeMode | undefined
  terminal: boolean
}

export interface ResolvedOptions {
  root: string
  report: ResolvedReportOptions | false
  commands: ResolvedCommandsOptions | false
  runtime: ResolvedRuntimeOptions | false
  nodeCompat: ResolvedNodeCompatOptions | false
  assets: ResolvedAssetsOptions | false
  barrels: ResolvedBarrelsOptions | false
  treeshake: ResolvedTreeshakeOptions | false
  cacheDir: string | false
  lazy: ResolvedLazyOptions | false
  budgets: ResolvedBudgetOptions | false
  baseline: string | undefined
  workers: boolean
}

function resolveReport(value: unknown): ResolvedReportOptions | false {
  const terminalDefault = Boolean(process.stdout.isTTY)
  if (value === undefined) return { json: undefined, html: undefined, markdown: undefined, compression: undefined, terminal: terminalDefault }
  if (value === false) return false
  if (!isPlainObject(value)) throw optionError('report', 'false or an object { json?, html?, markdown?, compression?, terminal? }', value)
  checkKnownKeys('report', value, ['json', 'html', 'markdown', 'compression', 'terminal'])
  return {
    json: optionalString('report.json', value.json),
    html: optionalString('report.html', value.html),
    markdown: optionalString('report.markdown', value.markdown),
    compression: resolveSizeModeOption('report.compression', value.compression),
    terminal: optionalBoolean('report.terminal', value.terminal, terminalDefault),
  }
}

const KNOWN_OPTIONS = ['root', 'report', 'commands', 'runtime', 'nodeCompat', 'assets', 'barrels', 'treeshake', 'cacheDir', 'lazy', 'budgets', 'baseline', 'workers'] as const

/** Validates user options and fills defaults. Throws a `TypeError` naming the faulty option. */
export function resolveOptions(options: Options | undefined = {}): ResolvedOptions {
  if (options === null || !isPlainObject(options)) throw optionError('options', 'an object', options)
  const raw = options as Record<string, unknown>
  checkKnownKeys('', raw, KNOWN_OPTIONS)
  return {
    root: optionalString('root', raw.root) ?? process.cwd(),
    report: resolveReport(raw.report),
    commands: resolveCommandsOptions(raw.commands),
    runtime: resolveRuntimeOptions(raw.runtime),
    nodeCompat: resolveNodeCompatOptions(raw.nodeCompat),
    assets: resolveAssetsOptions(raw.assets),
    barrels: resolveBarrelsOptions(raw.barrels),
    treeshake: resolveTreeshakeOptions(raw.treeshake),
    cacheDir: resolveCacheDirOption(raw.cacheDir),
    lazy: resolveLazyOptions(raw.lazy),
    budgets: resolveBudgetOptions(raw.budgets),
    baseline: resolveBaselineOption(raw.baseline),
    workers: resolveWorkersOptions(raw.workers),
  }
}
