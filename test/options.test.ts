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
