import type { SourceMap } from 'magic-string'
import type { OutputGraph } from '../adapters/output-graph.js'
import type { Resolve } from '../adapters/resolve.js'
import { buildReport, reportModuleId } from '../report/build-report.js'
import type { BundlerName, Report, ReportTransform } from '../report/report-types.js'
import { PackageImports } from '../report/package-imports.js'
import { publishReport, type ReportWarn } from '../report/publish-report.js'
import { syntaxCheckFor } from './syntax-check.js'
import type { ResolvedOptions } from './options.js'

export interface TransformOutput {
  code: string
  map: SourceMap
}

/**
 * Everything one plugin instance knows, with plain methods the bundler hooks call. Tests call
 * these directly, without a bundler.
 */
export interface CliOptimizerContext {
  readonly options: ResolvedOptions
  readonly bundler: BundlerName
  /** What every capability applied or refused in the current build, for the report. */
  readonly transforms: ReportTransform[]
  buildStart(): void
  /** Throws a located `CliOptimizerError` when the module does not parse. */
  checkSyntax(code: string, id: string): void
  /** Measures the written output and writes the configured reports; warnings go to `warn`, the bundler's logger. */
  finishBuild(graph: OutputGraph, warn?: ReportWarn): Promise<Report>
  /** Module id as the report and error messages show it: relative to the root. */
  displayId(id: string): string
  /**
   * Entry modules the bootstrap imports (absolute paths): always in the initial load, so the
   * lazy capability moves their cold tails out.
   */
  readonly entryFiles: Set<string>
  /**
   * Modules a worker thread runs as its entry (`new Worker(new URL(…))`, pool tasks), by absolute
   * path, in builds that emit them as chunks (esbuild builds them in a build of their own, without
   * the runtime, so without synchronous deferral). They start without the bootstrap, so the lazy
   * capability gives them its fallback line.
   */
  readonly workerEntryFiles: Set<string>
  /** Set by the command manifest: the module whose evaluation starts preloading a named command. */
  commands: { manifestId: string } | undefined
  /**
   * Code this plugin substitutes for a file on disk (the command manifest replaces the registry),
   * by absolute path. Analyses that read modules from disk must read this instead.
   */
  readonly generatedSources: Map<string, (resolve: Resolve) => Promise<string>>
  /** Capabilities that add fields to the report (e.g. `deadExports`) before it is written. */
  readonly reportExtensions: Array<(report: Report, graph: OutputGraph) => void | Promise<void>>
}

export function createContext(options: ResolvedOptions, bundler: BundlerName): CliOptimizerContext {
  const transforms: ReportTransform[] = []
  const packageImports = new PackageImports()
  const reportExtensions: CliOptimizerContext['reportExtensions'] = []
  const displayId = (id: string): string => reportModuleId(id, options.root)

  return {
    options,
    bundler,
    transforms,
    displayId,
    commands: undefined,
    entryFiles: new Set(),
    workerEntryFiles: new Set(),
    generatedSources: new Map(),
    reportExtensions,
    buildStart() {
      transforms.length = 0
      packageImports.clear()
    },
    checkSyntax(code, id) {
      // Parsing the app's own modules up front turns a syntax error into one message with file,
      // line and column, whichever bundler runs.
      // A module whose exact code parsed before (this build or, through the cache, an earlier
      // one) is not parsed again.
      packageImports.add(syntaxCheckFor(options).check(code, id, displayId(id)), displayId(id))
    },
    async finishBuild(graph, warn) {
      const report = await buildReport({ bundler, root: options.root, graph, transforms })
      for (const extend of reportExtensions) await extend(report, graph)
      const imports = packageImports.list()
      if (imports.length > 0) report.packageImports = imports
      // Writes the JSON/HTML/Markdown reports, then throws when an `error` budget is exceeded.
      await publishReport(report, options, warn)
      return report
    },
  }
}
