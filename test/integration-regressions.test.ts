import { describe, expect, it } from 'vitest'
import { BUNDLERS, buildFixture } from './harness/index.js'

describe.each(BUNDLERS)('integration regressions with %s', (bundler) => {
  it('issue 3: keeps the import of an exported async function static when its use precedes any await', async () => {
    const built = await buildFixture('regress-lazy-exported', bundler, { plugin: {} })
    expect(await built.run([])).toEqual(await built.runSource([]))
    const record = built.report.transforms.find((t) => t.kind === 'lazy-import' && t.source === './log.js')
    expect(record?.applied).toBe(false)
    expect(record?.reason).toMatch(/exported/)
  })
})
