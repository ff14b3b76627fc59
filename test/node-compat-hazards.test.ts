import { describe, expect, it } from 'vitest'
import { parseModule } from '../packages/unplugin-cli-optimizer/src/core/ast/parse-module.js'
import { findHiddenImports } from '../packages/unplugin-cli-optimizer/src/node-compat/hidden-imports.js'
import { findUmdFactories } from '../packages/unplugin-cli-optimizer/src/node-compat/umd-factory.js'
import { findFileReads } from '../packages/unplugin-cli-optimizer/src/assets/find-file-reads.js'

const parse = (code: string, id = '/x/node_modules/pkg/lib/a.js') => parseModule(code, id, id).program

describe('issue 12: hazards of published packages', () => {
  it('finds the require parameter of a UMD factory (jsonc-parser shape)', () => {
    const code = `(function (factory) { if (typeof module === "object") { var v = factory(require, exports); } else if (typeof define === "function" && define.amd) { define(["require", "exports", "./impl/format"], factory); } })(function (require, exports) { const f = require("./impl/format"); });`
    const found = findUmdFactories(parse(code))
    expect(found).toHaveLength(1)
    expect(code.slice(found[0]!.start, found[0]!.end)).toBe('require')
    // A plain IIFE taking a function is no UMD wrapper.
    expect(findUmdFactories(parse('(function (f) { f(1) })(function (require) {})'))).toEqual([])
  })

  it('finds import() hidden in new Function (prettier shape), literal calls only', () => {
    const code = `var load = new Function("module", "return import(module)"); load("../internal/cli.mjs"); load(name);`
    const { imports, computed } = findHiddenImports(parse(code), code)
    expect(imports.map((i) => [i.specifier, code.slice(i.start, i.end)])).toEqual([['../internal/cli.mjs', 'load']])
    expect(computed).toHaveLength(1)
  })

  it('resolves a package file required through createRequire (css-tree reading mdn-data)', () => {
    const id = `${process.cwd()}/node_modules/css-tree/lib/data.js`
    const code = `import { createRequire } from 'module'; const require = createRequire(import.meta.url); const a = require('mdn-data/css/at-rules.json');`
    const { references } = findFileReads(parse(code, id), id, code)
    expect(references).toHaveLength(1)
    expect(references[0]!.file).toMatch(/node_modules\/mdn-data\/css\/at-rules\.json$/)
  })

  it('finds the module location handed to package-root finders (meow, read-package-up)', () => {
    const code = `meow(help, { importMeta: import.meta }); readPackageUpSync({ cwd: __dirname }); new URL('.', import.meta.url);`
    const { handOffs } = findFileReads(parse(code), '/x/node_modules/pkg/lib/a.js', code)
    expect(handOffs.map((h) => [h.form, code.slice(h.start, h.end)])).toEqual([['import-meta', 'import.meta'], ['dir', '__dirname']])
  })
})
