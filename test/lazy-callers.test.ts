import { describe, expect, it } from 'vitest'
import { BUNDLERS, buildFixture } from './harness/index.js'

describe.each(BUNDLERS)('lazy imports used by callbacks and methods (%s)', (bundler) => {
  it('issue 3: both forms keep the output; sync defers both imports', async () => {
    const built = await buildFixture('lazy-callback-order', bundler, { plugin: {} })
    expect(await built.run()).toEqual(await built.runSource())
    const lazy = built.report!.transforms.filter((t) => t.kind === 'lazy-import')
    expect(lazy.find((t) => t.source === './format.js')).toMatchObject({ applied: true, form: 'sync' })
    expect(lazy.find((t) => t.source === './shout.js')).toMatchObject({ applied: true, form: 'sync' })
  })

  it('issue 3, async form: keeps static an import a concurrent callback uses before its first await; defers one a method uses after an await', async () => {
    const built = await buildFixture('lazy-callback-order', bundler, { plugin: { lazy: { sync: false } } })
    expect(await built.run()).toEqual(await built.runSource())
    const lazy = built.report!.transforms.filter((t) => t.kind === 'lazy-import')
    expect(lazy.find((t) => t.source === './format.js')).toMatchObject({ applied: false, reason: expect.stringMatching(/callers are unknown/) })
    expect(lazy.find((t) => t.source === './shout.js')).toMatchObject({ applied: true })
  })
})
