import { describe, expect, it } from 'vitest'
import { parseModule } from '../packages/unplugin-cli-optimizer/src/core/ast/parse-module.js'
import { findHiddenImports } from '../packages/unplugin-cli-optimizer/src/node-compat/hidden-imports.js'
import { findUmdFactories } from '../packages/unplugin-cli-optimizer/src/node-compat/umd-factory.js'
import { findFileReads } from '../packages/unplugin-cli-optimizer/src/assets/find-file-reads.js'
import { findSloppyAssignments, mayBeSloppyCommonJs } from '../packages/unplugin-cli-optimizer/src/node-compat/sloppy-globals.js'
import { packageRequires } from '../packages/unplugin-cli-optimizer/src/node-compat/optional-imports.js'

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

  it('finds sloppy-mode assignments to undeclared names only (walkdir shape)', () => {
    const code = `function a(cb) { cb = 1 } function b(o) { cb = o; total += 1; for (k in o); var d; d = 2 } class C { m() { z = 1 } } function s() { 'use strict'; y = 1 }`
    expect(findSloppyAssignments(parse(code)).map((a) => a.name)).toEqual(['cb', 'k'])
    expect(mayBeSloppyCommonJs(`'use strict'\nx = 1`)).toBe(false)
    expect(mayBeSloppyCommonJs(`import a from 'a'\nx = 1`)).toBe(false)
    expect(mayBeSloppyCommonJs(`// c\nx = 1`)).toBe(true)
  })

  it('lists packages a CommonJS module requires by a literal, not those it imports statically', () => {
    const code = `const a = require('velocityjs'); x.require('no'); require.resolve('nor'); require('./own'); import('dyn'); import s from 'both'; require('both')`
    expect(packageRequires(code).map((site) => [site.specifier, code.slice(site.start, site.end)])).toEqual([['velocityjs', "'velocityjs'"]])
  })

  it('finds require.main reads, require.resolve calls, package-root files and context modules', () => {
    const id = `${process.cwd()}/node_modules/eslint/lib/eslint/eslint.js`
    const code = [
      'let dir = require.main?.path ?? process.cwd()',
      "const root = path.dirname(require.resolve('x/package.json'))",
      "fs.copy(path.resolve(root, './default-files'), to)",
      "const f = path.resolve(__dirname, '../', 'cli-engine', 'formatters', `${name}.js`)",
      'const wide = path.join(__dirname, name)',
    ].join('\n')
    const reads = findFileReads(parse(code, id), id, code)
    expect(reads.mainReads.map((r) => [r.property, code.slice(r.start, r.end)])).toEqual([['path', 'require.main?.path']])
    expect(reads.resolves.map((r) => [r.specifier, r.esm])).toEqual([['x/package.json', false]])
    expect(reads.packageFiles.map((p) => [p.specifier, p.parts])).toEqual([['x/package.json', ['./default-files']]])
    expect(reads.contexts).toHaveLength(1)
    expect(reads.contexts[0]!.folder).toMatch(/node_modules\/eslint\/lib\/cli-engine\/formatters$/)
    expect(reads.contexts[0]!.pattern.test('stylish.js')).toBe(true)
    expect(reads.contexts[0]!.pattern.test('formatters-meta.json')).toBe(false)
    expect(reads.computed.map((c) => c.text)).toEqual(['path.join(__dirname, name)'])
  })
})
