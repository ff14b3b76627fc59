import { describe, expect, it } from 'vitest'
import { resolveOptions } from 'unplugin-cli-optimizer'
import cliOptimizer from 'unplugin-cli-optimizer/rollup'

describe('option validation', () => {
  it('fills defaults', () => {
    const resolved = resolveOptions({})
    expect(resolved.root).toBe(process.cwd())
    expect(resolved.report).toEqual({ json: undefined, html: undefined, terminal: Boolean(process.stdout.isTTY) })
  })

  it('accepts report: false', () => {
    expect(resolveOptions({ report: false }).report).toBe(false)
  })

  it('rejects an unknown option and names it', () => {
    expect(() => resolveOptions({ reprot: {} } as never)).toThrow(TypeError)
    expect(() => resolveOptions({ reprot: {} } as never)).toThrow(/unknown option reprot/)
  })

  it('suggests the closest known option for a typo, at every level (issue 17)', () => {
    const message = (options: unknown): string => {
      try {
        resolveOptions(options as never)
      } catch (error) {
        expect((error as { code?: string }).code).toBe('CLI_OPTIMIZER_INVALID_OPTION')
        return (error as Error).message
      }
      throw new Error('no error')
    }
    expect(message({ lazzy: true })).toMatch(/unknown option lazzy\. Did you mean lazy\? Known options: root, report,/)
    expect(message({ reprot: {} })).toContain('Did you mean report?')
    expect(message({ report: { jsno: 'x' } })).toContain('unknown option report.jsno. Did you mean report.json?')
    expect(message({ budgets: { 'inital-bytes': ['error', 1] } })).toContain('Did you mean budgets.initial-bytes?')
    expect(message({ treeshake: { deadexports: false } })).toContain('Did you mean treeshake.deadExports?')
    // Nothing close: no guess.
    expect(message({ frobnicate: 1 })).not.toContain('Did you mean')
    expect(message({ report: { json: 3 } })).toMatch(/report\.json must be/)
  })

  it('names the option path, the expected type and the value given', () => {
    expect(() => resolveOptions({ report: { json: 42 } } as never)).toThrow(
      '[cli-optimizer] report.json must be a non-empty string path, got number 42',
    )
    expect(() => resolveOptions({ report: { terminal: 'yes' } } as never)).toThrow(/report\.terminal must be a boolean, got string "yes"/)
    expect(() => resolveOptions({ report: true } as never)).toThrow(/report must be false or an object/)
    expect(() => resolveOptions({ report: { jsn: 'x' } } as never)).toThrow(/unknown option report\.jsn/)
  })

  it('fails at plugin creation, before any build', () => {
    expect(() => cliOptimizer({ report: { html: 3 } } as never)).toThrow(/report\.html must be/)
  })
})
