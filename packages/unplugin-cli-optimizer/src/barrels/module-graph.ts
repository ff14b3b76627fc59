import { readFileSync } from 'node:fs'
import path from 'node:path'
import { isBuiltin } from 'node:module'
import type { DependencyKind, GraphResolve } from '../adapters/resolve-interceptor.js'
import { contentKey, type AnalysisCache } from '../cache/analysis-cache.js'
import { moduleFacts, type ModuleFacts } from './module-facts.js'

/** Where a specifier lands: a file the bundler will load, a builtin/external, or nothing. */
export type Resolved = { kind: 'file'; id: string } | { kind: 'external'; id: string } | { kind: 'unresolved' }

/** A JSON module: data, no dependencies, nothing runs. */
const JSON_FACTS: ModuleFacts = {
  format: 'none', exports: [], starSources: [], cjsExports: undefined, dynamicExports: true, esModuleFlag: false,
  imports: [], dependencies: [], dynamicImports: [], sideEffectFree: true, findings: [],
}

const ANALYSABLE = /\.(?:[cm]?js|[cm]?tsx?|jsx)$/

/**
 * The part of the module graph the analyses walk, built on demand: facts per file (from the
 * persistent cache when the contents were seen before) and resolutions through the bundler's
 * own resolver. Memoised for one build; `reset()` at build start.
 */
export class ModuleGraph {
  readonly #cache: AnalysisCache<ModuleFacts>
  #facts = new Map<string, Promise<ModuleFacts | undefined>>()
  #resolutions = new Map<string, Promise<Resolved>>()
  #settled = new Map<string, Resolved>()
  #closures = new Map<string, Promise<Set<string>>>()

  constructor(cache: AnalysisCache<ModuleFacts>) {
    this.#cache = cache
  }

  reset(): void {
    this.#facts.clear()
    this.#resolutions.clear()
    this.#settled.clear()
    this.#closures.clear()
  }

  /** Facts of a module; `code` when the caller already has it (a transform hook), else read from disk. */
  facts(id: string, code?: string): Promise<ModuleFacts | undefined> {
    let pending = this.#facts.get(id)
    if (!pending) {
      pending = this.#computeFacts(id, code)
      this.#facts.set(id, pending)
    }
    return pending
  }

  /** Ids whose facts this build computed or loaded. */
  analysedIds(): string[] {
    return [...this.#facts.keys()]
  }

  async #computeFacts(id: string, code: string | undefined): Promise<ModuleFacts | undefined> {
    if (id.endsWith('.json') && path.isAbsolute(id)) return JSON_FACTS
    if (!path.isAbsolute(id) || !ANALYSABLE.test(id)) return undefined
    let source = code
    if (source === undefined) {
      try {
        // Synchronous: for the small files of a module graph, the same four system calls without
        // four thread-pool round trips (open, stat, read, close).
        source = readFileSync(id, 'utf8')
      } catch {
        return undefined
      }
    }
    const key = contentKey('facts', path.extname(id), source)
    const cached = await this.#cache.get(key)
    if (cached) return cached
    let facts: ModuleFacts
    try {
      facts = moduleFacts(source, id)
    } catch {
      // Not ours to report: the bundler (or the core syntax check) names the error.
      return undefined
    }
    await this.#cache.set(key, facts)
    return facts
  }

  /** Records a resolution the bundler made (seen by the resolve interceptor). */
  record(specifier: string, importer: string, kind: DependencyKind, id: string): void {
    const key = `${kind}\0${importer}\0${specifier}`
    if (!this.#settled.has(key)) {
      const resolved: Resolved = { kind: 'file', id }
      this.#settled.set(key, resolved)
      this.#resolutions.set(key, Promise.resolve(resolved))
    }
  }

  /** A resolution this build already made, without resolving anything new. */
  resolvedBefore(specifier: string, importer: string, kind: DependencyKind): Resolved | undefined {
    if (isBuiltin(specifier)) return { kind: 'external', id: specifier }
    return this.#settled.get(`${kind}\0${importer}\0${specifier}`)
  }

  resolve(resolver: GraphResolve, specifier: string, importer: string, kind: DependencyKind): Promise<Resolved> {
    const key = `${kind}\0${importer}\0${specifier}`
    let pending = this.#resolutions.get(key)
    if (!pending) {
      pending = this.#computeResolve(resolver, specifier, importer, kind).then((resolved) => {
        this.#settled.set(key, resolved)
        return resolved
      })
      this.#resolutions.set(key, pending)
    }
    return pending
  }

  async #computeResolve(resolver: GraphResolve, specifier: string, importer: string, kind: DependencyKind): Promise<Resolved> {
    if (isBuiltin(specifier)) return { kind: 'external', id: specifier }
    let result
    try {
      result = await resolver(specifier, importer, kind)
    } catch {
      return { kind: 'unresolved' }
    }
    if (!result) return { kind: 'unresolved' }
    if (result.external) return { kind: 'external', id: result.id }
    // Virtual modules and ids with queries belong to other plugins: never rewrite into them.
    if (!path.isAbsolute(result.id) || /[?\0]/.test(result.id)) return { kind: 'unresolved' }
    return { kind: 'file', id: result.id }
  }

  /**
   * Every module evaluating `id` evaluates (its static dependencies, transitively, itself
   * included). Externals are left out; an unresolvable dependency makes the closure unknown.
   * `isLeaf` modules are included but not followed (the same predicate for every call on one
   * graph: closures are memoised by id).
   */
  closure(resolver: GraphResolve, id: string, isLeaf: (id: string) => boolean = () => false): Promise<Set<string> | undefined> {
    let pending = this.#closures.get(id)
    if (!pending) {
      pending = this.#computeClosure(resolver, id, isLeaf)
      this.#closures.set(id, pending)
    }
    return pending.then((set) => (set.has('\0unknown') ? undefined : set))
  }

  async #computeClosure(resolver: GraphResolve, start: string, isLeaf: (id: string) => boolean): Promise<Set<string>> {
    const seen = new Set<string>([start])
    let frontier = [start]
    while (frontier.length > 0) {
      const next: string[] = []
      await Promise.all(
        frontier.map(async (id) => {
          if (id !== start && isLeaf(id)) return
          const facts = await this.facts(id)
          if (!facts) {
            seen.add('\0unknown')
            return
          }
          const targets = await Promise.all(facts.dependencies.map((dep) => this.resolve(resolver, dep.source, id, dep.kind)))
          for (const target of targets) {
            if (target.kind === 'unresolved') seen.add('\0unknown')
            else if (target.kind === 'file' && !seen.has(target.id)) {
              seen.add(target.id)
              next.push(target.id)
            }
          }
        }),
      )
      frontier = next
    }
    return seen
  }
}
