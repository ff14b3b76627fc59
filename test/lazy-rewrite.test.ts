import MagicString from 'magic-string'
import { describe, expect, it } from 'vitest'
import { parseModule } from '../packages/unplugin-cli-optimizer/src/core/ast/parse-module.js'
import { findLazyCandidates } from '../packages/unplugin-cli-optimizer/src/lazy/find-lazy-candidates.js'
import { rewriteLazyImport, rewriteSyncImport } from '../packages/unplugin-cli-optimizer/src/lazy/rewrite-lazy-imports.js'

const candidates = (code: string, id = 'm.js') => findLazyCandidates(parseModule(code, id))
const refusals = (code: string) => candidates(code).map((c) => c.refusal ?? 'ok')

/** Rewrites every candidate without refusal, as the plugin does after the graph check passes. */
function rewrite(code: string, id = 'm.js'): string {
  const s = new MagicString(code)
  let index = 0
  // The root's magic-string may be another copy than the plugin's: same API, different type identity.
  for (const c of candidates(code, id)) if (!c.refusal) rewriteLazyImport(s as unknown as Parameters<typeof rewriteLazyImport>[0], c, index++, false)
  return s.toString()
}

describe('lazy import candidates (issue 3)', () => {
  it('accepts a use in a method or callback only after an await of it (issue 3: its callers are unknown)', () => {
    expect(refusals(`import { a } from 'a'; export const o = { async m(x) { await x; return a(x) } }`)).toEqual(['ok'])
    expect(refusals(`import * as ns from 'a'; export const f = (xs) => xs.map(async (x) => { const v = await x; return ns.f(v) })`)).toEqual(['ok'])
  })

  it('accepts uses in async functions, arrows, methods and nested async closures', () => {
    expect(refusals(`import { a } from 'a'; async function f() { return a() }`)).toEqual(['ok'])
    expect(refusals(`import b from 'b'; const f = async () => b; await f()`)).toEqual(['ok'])
    expect(refusals(`import * as c from 'c'; export const o = { async m() { await null; return c.x } }`)).toEqual(['ok'])
    expect(refusals(`import { d } from 'd'; export class K { async run() { return [1].map(async (x) => (await x, d)) } }`)).toEqual(['ok'])
  })

  it.each([
    [`import { a } from 'a'; a()`, /used at top level/],
    [`import { a } from 'a'; export function f() { return a }`, /used in a sync function/],
    [`import { a } from 'a'; export async function f() { function g() { return a } return g() }`, /sync function nested/],
    [`import { a } from 'a'; export const f = async (xs) => xs.map(() => a)`, /no place for a load/],
    [`import { a } from 'a'; export async function f(x = a) { return x }`, /parameter default/],
    [`import { a } from 'a'; export async function f() { class K { x = a } return K }`, /class body/],
    [`import { a } from 'a'; export { a }`, /re-exported/],
    [`export { a } from 'a'`, /re-export \(export … from\)/],
    [`export * from 'a'`, /re-export/],
    [`import 'a'`, /side-effect-only/],
    [`import { a } from 'a'`, /no binding is used/],
    [`import data from './d.json' with { type: 'json' }; export async function f() { return data }`, /import attributes/],
    [`import { a } from 'a'; async function f() { a() }; f(); console.log('x')`, /does not await the function/],
    // Issue 3: a method or callback may be called without await, or many times at once.
    [`import { a } from 'a'; export const o = { async m() { return a() } }`, /callers are unknown/],
    [`import { a } from 'a'; export const run = (xs) => xs.map(async (x) => { await a(x) })`, /callers are unknown/],
    [`import { a } from 'a'; export class K { async m(x) { return a(x) } }`, /callers are unknown/],
    [`import { a } from 'a'; async function f() { a() }; Promise.all([f()])`, /does not await/],
    [`import { a } from 'a'; async function main() { a() }\nexport default main`, /exported and never awaited in this module/],
    [`import { a } from 'a'; export async function f() { a() }`, /exported and never awaited in this module/],
  ])('refuses %s', (code, reason) => {
    expect(refusals(code)[0]).toMatch(reason)
  })

  it('accepts the usual ways a CLI calls its async main', () => {
    for (const call of ['main().catch(console.error)', 'await main()', 'main().then(() => {}, () => {})', 'main()']) {
      expect(refusals(`import { a } from 'a'; async function main() { a() }\n${call}`), call).toEqual(['ok'])
    }
  })

  it('classifies uses after an await of the same function', () => {
    const [c] = candidates(`import { a } from 'a'
      async function f(x) {
        a(1)
        await x
        a(2)
        if (await x) a(3)
      }
      async function g(x) {
        try { await x } catch {}
        a(4)
        for await (const y of x) a(5)
      }
      async function h(x) {
        a(await x)
      }
      await f(); await g(); await h()`)
    expect(c!.uses.map((u) => u.order)).toEqual(['callers-await', 'after-await', 'after-await', 'callers-await', 'after-await', 'callers-await'])
  })

  it('ignores TypeScript type-only imports and type positions', () => {
    expect(candidates(`import type { T } from 't'; export const x: T | undefined = undefined`, 'm.ts')).toEqual([])
    const [c] = candidates(`import { V } from 'v'; async function f(x: V): Promise<V> { return new V() }`, 'm.ts')
    expect(c!.refusal).toBeUndefined()
    expect(c!.uses).toHaveLength(1)
  })
})

describe('lazy import rewrite (issue 3)', () => {
  it('loads at each use with a cached promise, keeping this, shorthand properties and new', () => {
    const out = rewrite(`import def, { named as local, 'odd-name' as odd } from './x.js'
import * as ns from './y.js'
async function f(v) {
  local(v)
  const o = { local, ns }
  const k = new def.K(v)
  return [o, k, odd, def\`t\`, typeof ns.z, v instanceof def]
}`)
    expect(out).toMatchInlineSnapshot(`
      "var __cliLazy0, __cliLazy0P; function __cliLazy0L() { return __cliLazy0P ??= import("./x.js").then((m) => (__cliLazy0 = m)); }
      var __cliLazy1, __cliLazy1P; function __cliLazy1L() { return __cliLazy1P ??= import("./y.js").then((m) => (__cliLazy1 = m)); }
      async function f(v) {
        ;(0, (__cliLazy0 ?? await __cliLazy0L()).named)(v)
        const o = { local: (__cliLazy0 ?? await __cliLazy0L()).named, ns: (__cliLazy1 ?? await __cliLazy1L()) }
        const k = new ((__cliLazy0 ?? await __cliLazy0L()).default).K(v)
        return [o, k, (__cliLazy0 ?? await __cliLazy0L())["odd-name"], (0, (__cliLazy0 ?? await __cliLazy0L()).default)\`t\`, typeof (__cliLazy1 ?? await __cliLazy1L()).z, v instanceof (__cliLazy0 ?? await __cliLazy0L()).default]
      }"
    `)
    // The output parses, and a second pass finds nothing left to defer.
    expect(() => parseModule(out, 'out.js')).not.toThrow()
    expect(rewrite(out)).toBe(out)
  })

  it('loads before the statement that creates a sync closure, which then reads the module directly', () => {
    const out = rewrite(`import semver from 'semver'
export async function sorted(read) {
  const versions = await read()
  if (versions.length) return versions.sort((a, b) => semver.compare(a, b))
  return []
}`)
    expect(out).toContain('  ;__cliLazy0 ?? await __cliLazy0L(); if (versions.length) return versions.sort((a, b) => __cliLazy0.default.compare(a, b))')
    expect(candidates(out)).toEqual([])
    expect(candidates(`import semver from 'semver'\nexport async function s(v) { await 0; return v.sort((a, b) => semver.compare(a, b)) }`)[0]!.uses[0]).toMatchObject({ order: 'after-await', preloadAt: expect.any(Number) })
  })

  it('guards a statement that now starts with a parenthesis (code without semicolons)', () => {
    const out = rewrite(`import { f, g } from './x.js'
async function run(list) {
  list.push(1)
  f(list)
  if (list.length) g(list)
  list.forEach((x) => x)
  g(list)
}`)
    expect(out).toContain('  list.push(1)\n  ;(0, (__cliLazy0 ?? await __cliLazy0L()).f)(list)\n')
    expect(out).toContain('  if (list.length) (0, (__cliLazy0 ?? await __cliLazy0L()).g)(list)\n')
    expect(out).toContain('  list.forEach((x) => x)\n  ;(0, (__cliLazy0 ?? await __cliLazy0L()).g)(list)\n')
    const closure = rewrite(`import { f } from './x.js'\nasync function run(list) {\n  list.push(1)\n  list.forEach((x) => f(x))\n}`)
    expect(closure).toContain('  list.push(1)\n  ;__cliLazy0 ?? await __cliLazy0L(); list.forEach((x) => (0, __cliLazy0.f)(x))\n')
  })

  it('hoists the loader so a use reached during top-level await cannot hit a TDZ', () => {
    const out = rewrite(`await go()\nasync function go() { await 0; return a() }\nimport { a } from './a.js'`)
    expect(out).toContain('var __cliLazy0, __cliLazy0P; function __cliLazy0L()')
  })
})

describe('synchronous lazy import rewrite (issue 11)', () => {
  /** Rewrites every synchronously deferrable import, then runs the module with a stand-in loader. */
  function runSync(code: string, modules: Record<string, unknown>): unknown {
    const s = new MagicString(code)
    let index = 0
    for (const c of candidates(code)) if (c.syncUses.length > 0 && !c.syncRefusal) rewriteSyncImport(s as unknown as Parameters<typeof rewriteSyncImport>[0], c, index++, c.source, false)
    const out = s.toString().replace(/import\(("[^"]+")\)/g, '$1')
    expect(out).toContain('__cliOptimizerRequire')
    return new Function('__cliOptimizerRequire', `${out.replace(/export function main/, 'return function main')}`)((id: string) => modules[id])
  }

  it('keeps new working when the import heads a member chain (new ns.a.K(), new def.K())', () => {
    class K { constructor(readonly v: number) {} }
    const main = runSync(`import { marked } from 'm'
import * as ns from 'n'
import def from 'd'
export function main() { return [new marked.Renderer(1), new ns.a.K(2), new def.K(3), new ns.K(4)] }`, {
      m: { marked: { Renderer: K } },
      n: { a: { K }, K },
      d: { default: { K } },
    }) as () => K[]
    expect(main().map((k) => [k instanceof K, k.v])).toEqual([[true, 1], [true, 2], [true, 3], [true, 4]])
  })
})

describe('lazy import graph ids (issue 3)', () => {
  it('analyses the file behind decorated and generated ids', async () => {
    const { fileOfId } = await import('../packages/unplugin-cli-optimizer/src/lazy/deferred-subgraph.js')
    expect(fileOfId('\0/a/node_modules/semver/index.js?commonjs-es-import')).toBe('/a/node_modules/semver/index.js')
    expect(fileOfId('\0cli-optimizer-generated:/a/node_modules/smol-toml/dist/index.js')).toBe('/a/node_modules/smol-toml/dist/index.js')
    expect(fileOfId('/a/b.js')).toBe('/a/b.js')
  })
})

describe('lazy options (issue 3)', () => {
  it('defaults on, can be turned off or filtered, and rejects bad values naming the option', async () => {
    const { resolveLazyOptions } = await import('../packages/unplugin-cli-optimizer/src/lazy/lazy-options.js')
    expect(resolveLazyOptions(undefined)).toMatchObject({ include: /\.[cm]?[jt]sx?$/ })
    expect(resolveLazyOptions(true)).toEqual(resolveLazyOptions(undefined))
    expect(resolveLazyOptions(false)).toBe(false)
    // Synchronous deferral is the default form (issue 11); `sync: false` keeps only the async form.
    expect(resolveLazyOptions(undefined)).toMatchObject({ sync: true })
    expect(resolveLazyOptions({ include: ['src/**'], exclude: /legacy/ })).toEqual({ include: ['src/**'], exclude: [/legacy/, /^\0/], sync: true, splitRequireBytes: 65536 })
    expect(resolveLazyOptions({ sync: false })).toMatchObject({ sync: false })
    expect(() => resolveLazyOptions({ sync: 'yes' })).toThrow(/lazy\.sync must be a boolean, got string "yes"/)
    expect(() => resolveLazyOptions('yes')).toThrow('[cli-optimizer] lazy must be a boolean or an object { include?, exclude?, sync?, splitRequireBytes? }, got string "yes"')
    expect(resolveLazyOptions({ splitRequireBytes: false })).toMatchObject({ splitRequireBytes: false })
    expect(resolveLazyOptions({ splitRequireBytes: 0 })).toMatchObject({ splitRequireBytes: 0 })
    expect(() => resolveLazyOptions({ splitRequireBytes: -1 })).toThrow(/lazy\.splitRequireBytes must be a whole number of bytes \(0 or more\) or false, got number -1/)
    expect(() => resolveLazyOptions({ splitRequireBytes: '64k' })).toThrow(/lazy\.splitRequireBytes must be/)
    expect(() => resolveLazyOptions({ include: 3 })).toThrow(/lazy\.include must be a glob string, a RegExp or an array of them, got number 3/)
    expect(() => resolveLazyOptions({ inclde: [] })).toThrow(/unknown option lazy\.inclde/)
  })
})
