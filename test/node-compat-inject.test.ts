import { describe, expect, it } from 'vitest'
import { injectNodeGlobals } from '../packages/unplugin-cli-optimizer/src/node-compat/inject-node-globals.js'
import { dynamicOnlyPackageImports } from '../packages/unplugin-cli-optimizer/src/node-compat/optional-imports.js'
import { shiftSourceMap } from '../packages/unplugin-cli-optimizer/src/node-compat/esbuild-output-rewrite.js'

const names = (code: string) => injectNodeGlobals(code, 'chunk.js')?.injected.map((i) => i.name)

describe('injectNodeGlobals (issue 3)', () => {
  it('defines only the globals a chunk reads, after a hashbang, and a second pass changes nothing', () => {
    const code = '#!/usr/bin/env node\nconst os = require("os");\nconsole.log(__dirname, os.EOL);\n'
    const first = injectNodeGlobals(code, 'chunk.js')!
    expect(first.injected).toEqual([
      { name: 'require', line: 2, column: 12 },
      { name: '__dirname', line: 3, column: 13 },
    ])
    expect(first.code.startsWith('#!/usr/bin/env node\nimport { createRequire as __cliOptimizerCreateRequire } from "node:module";')).toBe(true)
    expect(first.code).toContain('const __dirname = ')
    expect(first.code).not.toContain('const __filename = ')
    expect(injectNodeGlobals(first.code, 'chunk.js')).toBeUndefined()
  })

  it('leaves names that every read finds declared in an enclosing scope', () => {
    expect(names('function load(require) { return require("x") }')).toBeUndefined()
    expect(names('const require = createRequire(import.meta.url); require("x")')).toBeUndefined()
    expect(names('try {} catch (__dirname) { __dirname }')).toBeUndefined()
    expect(names('function f() { if (a) { var __filename = 1 } return __filename }')).toBeUndefined()
    expect(names('const o = { require: 1, __dirname: 2 }; o.require; o.__dirname')).toBeUndefined()
    expect(names('{ let require = 1 } typeof require')).toEqual(['require'])
    expect(names('function f(x = __filename) {}')).toEqual(['__filename'])
  })

  it('imports its helpers under names the chunk does not use', () => {
    const code = 'const __cliOptimizerCreateRequire = 1; require("os")'
    expect(injectNodeGlobals(code, 'chunk.js')!.code).toContain('createRequire as __cliOptimizerCreateRequire2 ')
  })
})

describe('dynamicOnlyPackageImports (issue 3)', () => {
  it('lists packages imported only dynamically, with line and column', () => {
    const code = "import a from 'both'\nconst x = await import('optional')\nawait import('./local.js')\nimport('both')\n"
    expect(dynamicOnlyPackageImports(code)).toEqual([{ specifier: 'optional', line: 2, column: 17 }])
  })
})

describe('shiftSourceMap (issue 3)', () => {
  it('inserts unmapped lines where the shim went, keeping every other line mapped as before', () => {
    const map = JSON.stringify({ version: 3, sources: ['a.js'], names: [], mappings: 'AAAA;AACA;AACA' })
    expect(JSON.parse(shiftSourceMap(map, 0, 1)).mappings).toBe(';AAAA;AACA;AACA')
    expect(JSON.parse(shiftSourceMap(map, 1, 1)).mappings).toBe('AAAA;;AACA;AACA')
  })
})
