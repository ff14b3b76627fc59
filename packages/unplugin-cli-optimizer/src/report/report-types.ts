/** Report JSON, schema v1: the contract every reporter, budget and comparison reads. */

export type BundlerName = 'vite' | 'rollup' | 'rolldown' | 'esbuild'

export interface ReportModule {
  /** Module id relative to the project root (POSIX separators); virtual ids lose their `\0`. */
  id: string
  /** npm package the module belongs to, `null` for the app's own code. */
  package: string | null
  /** Bytes of the emitted chunk attributed to this module. */
  bytes: number
}

export interface ReportChunk {
  /** File name relative to the output directory. */
  file: string
  bytes: number
  gzipBytes: number
  brotliBytes: number
  isEntry: boolean
  /** Chunks this one imports statically (file names relative to the output directory). */
  imports: string[]
  dynamicImports: string[]
  modules: ReportModule[]
}

export interface ReportEntry {
  name: string
  file: string
  /** Bytes a start of this entry always loads: see `initial-load.ts`. */
  initialBytes: number
  initialFiles: string[]
  /** Bytes of every JS file reachable from the entry, statically or dynamically. */
  totalBytes: number
}

/** One transform the plugin applied or refused, and why. Later capabilities add their own fields. */
export interface ReportTransform {
  kind: string
  applied: boolean
  reason: string
  importer?: string
  line?: number
  column?: number
  [field: string]: unknown
}

/** What the app's own modules import from one npm package. */
export interface ReportPackageImport {
  package: string
  /** Imported names; `default`, and `*` for a namespace, side-effect or dynamic import. */
  names: string[]
  /** App modules that import it (ids as in `ReportModule.id`). */
  importers: string[]
}

export type ReportSeverity = 'warn' | 'error'
/** Which size a figure is: the emitted bytes, or the file compressed with gzip -9 / brotli quality 9. */
export type ReportSizeMode = 'raw' | 'gzip' | 'brotli'

/** One budget rule checked against one subject. */
export interface ReportBudgetResult {
  rule: string
  severity: ReportSeverity
  /** What was measured: `entry cli`, `chunk cli-[hash].js`, `package semver`. */
  subject: string
  compression: ReportSizeMode
  /** Limit in bytes; for `regression` the allowed growth in bytes. */
  limit: number
  actual: number
  passed: boolean
  message: string
  /** Largest contributors to `actual` (for `regression`: largest growths), biggest first. */
  contributors: Array<{ name: string; bytes: number }>
}

export interface ReportBudgets {
  compression: ReportSizeMode
  /** The rules as resolved from the `budgets` option, per-entry overrides included. */
  rules: Record<string, unknown>
  results: ReportBudgetResult[]
}

export interface Report {
  schemaVersion: 1
  bundler: BundlerName
  /** Output directory relative to the project root. */
  outDir: string
  entries: ReportEntry[]
  chunks: ReportChunk[]
  transforms: ReportTransform[]
  /**
   * Exports no module of the build imports, with the bytes of their declaration in the source:
   * code the program carries (or the bundler had to prove dead) for nothing. Entry modules'
   * exports are the program's interface and never listed.
   */
  deadExports?: Array<{ module: string; name: string; bytes: number }>
  /** Named imports of npm packages by the app's own modules, for the "large dependency" opportunity. */
  packageImports?: ReportPackageImport[]
  /** Budget rules and their results, when the `budgets` option is set. */
  budgets?: ReportBudgets
}
