import { describe, expect, it } from 'vitest'
import { BUNDLERS, buildFixture } from './harness/index.js'

describe.each(BUNDLERS)('lazy imports keep tree-shaking (%s)', (bundler) => {
  it('issue 4: a deferred ES module brings only the names its importer used, not its whole namespace', async () => {
    const lazy = await buildFixture('lazy-facade', bundler)
    const eager = await buildFixture('lazy-facade', bundler, { plugin: { lazy: false } })
    for (const args of [[], ['x', 'y', 'z']]) expect(await lazy.run(args)).toEqual(await lazy.runSource(args))
    const record = lazy.report!.transforms.find((t) => t.kind === 'lazy-import' && t.source === 'lodash-es')
    expect(record).toMatchObject({ applied: true, effective: true })
    const lodashModules = (report: typeof lazy.report) => report!.chunks.flatMap((c) => c.modules).filter((m) => m.package === 'lodash-es')
    const lazyTotal = lazy.report!.entries[0]!.totalBytes
    const eagerTotal = eager.report!.entries[0]!.totalBytes
    // About the lodash modules the static import keeps (lodash-es has over 600), not its whole namespace.
    expect(lodashModules(lazy.report).length).toBeLessThanOrEqual(lodashModules(eager.report).length * 1.5)
    expect(lazyTotal).toBeLessThan(eagerTotal * 1.2)
  })
})
