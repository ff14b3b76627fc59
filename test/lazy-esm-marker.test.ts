import { describe, expect, it } from 'vitest'
import { BUNDLERS, buildFixture } from './harness/index.js'

describe.each(BUNDLERS)('a module whose every import is deferred (%s)', (bundler) => {
  it('issue 3: stays an ES module (Rollup\'s CommonJS plugin would otherwise reject its top-level await)', async () => {
    const built = await buildFixture('lazy-only-imports', bundler, { plugin: {} })
    expect(built.report!.transforms.find((t) => t.kind === 'lazy-import')).toMatchObject({ applied: true })
    for (const args of [[], ['hello', 'you']]) expect(await built.run(args)).toEqual(await built.runSource(args))
  })
})
