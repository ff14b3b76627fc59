/**
 * What a user can do about a refused lazy import, read from the refusal's reason. The reasons are
 * written by `lazy/find-lazy-candidates.ts`, `lazy/lazy-plugin.ts` and `lazy/deferred-subgraph.ts`;
 * a reason this table does not know gets no remedy, never a guess.
 */
export interface RefusalRemedy {
  /**
   * `deferrable`: one local change in the importer lets the plugin defer the import.
   * `needed-at-start`: the importer uses the module while it loads, so every start evaluates it.
   * `other`: nothing the importer alone can change (the imported graph, a builtin, an external).
   */
  verdict: 'deferrable' | 'needed-at-start' | 'other'
  /** The one change that would defer it, phrased for the importer's author. */
  change: string
}

const RULES: ReadonlyArray<{ test: RegExp; remedy: RefusalRemedy }> = [
  {
    test: /used at top level/,
    remedy: {
      verdict: 'needed-at-start',
      change: 'used while the module loads, so every start evaluates it; if only some commands need it, move that use into their action (an async function) or split them out with the `commands` option',
    },
  },
  { test: /side-effect-only import/, remedy: { verdict: 'needed-at-start', change: 'imported for its side effects, which every start needs as written' } },
  { test: /is re-exported/, remedy: { verdict: 'needed-at-start', change: 're-exported: import it from the module that defines it where it is used, not through this module' } },
  { test: /^re-export \(export … from\)/, remedy: { verdict: 'needed-at-start', change: 're-exported: import it from the module that defines it where it is used, not through this module' } },
  { test: /used in a sync function nested/, remedy: { verdict: 'deferrable', change: 'make the enclosing function async (and await it where it is called)' } },
  { test: /used in a sync function/, remedy: { verdict: 'deferrable', change: 'make the function that uses it async (and await it where it is called)' } },
  { test: /used in a sync callback/, remedy: { verdict: 'deferrable', change: 'give the async arrow a block body so the load has a statement to go before' } },
  { test: /the call at line (\d+) does not await the function/, remedy: { verdict: 'deferrable', change: 'await the call at line $1' } },
  { test: /runs before any await of a method or callback whose callers are unknown/, remedy: { verdict: 'deferrable', change: 'move the use after the first await of that function' } },
  { test: /runs before any await of its function/, remedy: { verdict: 'deferrable', change: 'move the use after the first await of its function, or await every call of it' } },
  { test: /used in a class body/, remedy: { verdict: 'deferrable', change: 'move the use from the field initialiser or static block into an async method' } },
  { test: /used in a parameter default/, remedy: { verdict: 'deferrable', change: 'move the use from the parameter default into the function body' } },
]

/** Reads a refusal's reason; unknown reasons are `other` with no change to suggest. */
export function refusalRemedy(reason: string): RefusalRemedy {
  for (const { test, remedy } of RULES) {
    const match = test.exec(reason)
    if (match) return { verdict: remedy.verdict, change: remedy.change.replace('$1', match[1] ?? '') }
  }
  return { verdict: 'other', change: '' }
}
