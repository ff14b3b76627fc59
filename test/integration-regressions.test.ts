import { describe, expect, it } from 'vitest'
import { BUNDLERS, buildFixture } from './harness/index.js'

describe.each(BUNDLERS)('integration regressions with %s', (bundler) => {
  // The async form's ordering rule (lazy.sync off); the default synchronous form reorders nothing, so it defers these.
  it('issue 3: keeps the import of an exported async function static when its use precedes any await', async () => {
    const built = await buildFixture('regress-lazy-exported', bundler, { plugin: { lazy: { sync: false } } })
    expect(await built.run([])).toEqual(await built.runSource([]))
    const record = built.report!.transforms.find((t) => t.kind === 'lazy-import' && t.source === './log.js')
    expect(record?.applied).toBe(false)
    expect(record?.reason).toMatch(/exported/)
  })

  it('issue 3: keeps an import static when its async function is called from a sync function that hands the promise on', async () => {
    const built = await buildFixture('regress-lazy-sync-caller', bundler, { plugin: { lazy: { sync: false } } })
    expect(await built.run([])).toEqual(await built.runSource([]))
    for (const source of ['./log.js', './note.js']) {
      const record = built.report!.transforms.find((t) => t.kind === 'lazy-import' && t.source === source)
      expect(record?.applied).toBe(false)
      expect(record?.reason).toMatch(/does not await/)
    }
  })

  it('issue 11: with the defaults, both programs defer those imports synchronously and print the same', async () => {
    for (const [fixture, sources] of [['regress-lazy-exported', ['./log.js']], ['regress-lazy-sync-caller', ['./log.js', './note.js']]] as const) {
      const built = await buildFixture(fixture, bundler, { plugin: {} })
      expect(await built.run([]), fixture).toEqual(await built.runSource([]))
      for (const source of sources) {
        const record = built.report!.transforms.find((t) => t.kind === 'lazy-import' && t.source === source)
        expect(record, `${fixture} ${source}`).toMatchObject({ applied: true, form: 'sync' })
      }
    }
  })

  it('issue 3: finishes building packages that import each other by name (Rollup used to wait forever)', async () => {
    const built = await buildFixture('regress-package-cycle', bundler, { plugin: {} })
    expect(await built.run([])).toEqual(await built.runSource([]))
    // Each import was resolved to the other package's file (not left unresolved or external).
    const reasons = built.report!.transforms.filter((t) => t.kind === 'lazy-import' && t.importer?.includes('node_modules/pkg-')).map((t) => t.reason)
    expect(reasons).toEqual([expect.stringMatching(/^cycle: /), expect.stringMatching(/^cycle: /)])
  }, 60_000)
})
