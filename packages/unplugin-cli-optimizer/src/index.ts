import { createUnplugin } from 'unplugin'
import { unpluginFactory } from './core/unplugin-factory.js'

export type { Options, ReportOptions } from './core/options.js'
export { resolveOptions } from './core/options.js'
export type { Report, ReportChunk, ReportEntry, ReportModule, ReportTransform } from './report/report-types.js'

/** The cli-optimizer plugin for every bundler unplugin supports; use a bundler entry instead. */
export const unplugin = createUnplugin(unpluginFactory)

export default unplugin
export { measureOutputDir, type OutputDirMeasure } from './report/measure-output-dir.js'
