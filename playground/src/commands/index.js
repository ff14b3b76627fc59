// Every devkit command, in the order `devkit --help` lists them. Unbundled, this module loads
// them all; the cli-optimizer build replaces it with a manifest whose `load()` imports each
// command's own chunk, so `--help` and routing load no command code.
import * as bump from './bump.js'
import * as convert from './convert.js'
import * as csvSummary from './csv-summary.js'
import * as dates from './dates.js'
import * as dedupe from './dedupe.js'
import * as diff from './diff.js'
import * as hash from './hash.js'
import * as init from './init.js'
import * as ls from './ls.js'
import * as query from './query.js'
import * as render from './render.js'
import * as table from './table.js'
import * as validate from './validate.js'
import * as versions from './versions.js'
import * as wordcount from './wordcount.js'

const modules = [bump, convert, csvSummary, dates, dedupe, diff, hash, init, ls, query, render, table, validate, versions, wordcount]

export default modules.map((mod) => ({ ...mod.meta, load: async () => mod }))
