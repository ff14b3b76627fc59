import { isBuiltin } from 'node:module'
import type { GraphResolve } from '../adapters/resolve-interceptor.js'
import type { ModuleGraph } from '../barrels/module-graph.js'
import { declaredSideEffects } from './package-side-effects.js'

/** What one module contributes to the verdict, once its facts and resolutions are known. */
interface Node {
  /** The module itself qualifies (ignoring dependencies). */
  own: boolean
  /** Dependencies whose verdict decides this one's. */
  dependsOn: string[]
}

/**
 * Decides which modules to declare side-effect-free to the bundler. A module qualifies when
 * - its package declares nothing (a `sideEffects` field, whatever it says, is the package's call);
 * - it is an ES module (CommonJS interop wrappers are the bundler's business);
 * - evaluating its top level does nothing but define bindings: no finding at all from the
 *   shared effects analysis (no call that is not a known-pure builtin, no write outside the
 *   module, no top-level await or throw);
 * - every static dependency is a Node builtin, a module its package declares droppable, or a
 *   module that qualifies itself (dropping a module stops evaluating what only it imports).
 * Modules in an import cycle do not qualify (the proof would be circular).
 *
 * The facts and resolutions of the subgraph are gathered first (asynchronously, shared by
 * concurrent callers); the verdicts are then computed synchronously, so two transforms asking
 * about each other's modules can never wait on each other.
 */
export class SideEffectInference {
  readonly #graph: ModuleGraph
  #nodes = new Map<string, Promise<Node>>()
  #verdicts = new Map<string, boolean>()

  constructor(graph: ModuleGraph) {
    this.#graph = graph
  }

  reset(): void {
    this.#nodes.clear()
    this.#verdicts.clear()
  }

  /** Whether to declare `id` side-effect-free; `code` when the caller has the module's source. */
  async isSideEffectFree(resolver: GraphResolve, id: string, code?: string): Promise<boolean> {
    const known = this.#verdicts.get(id)
    if (known !== undefined) return known
    const nodes = new Map<string, Node>()
    let frontier = [id]
    while (frontier.length > 0) {
      const next: string[] = []
      await Promise.all(
        frontier.map(async (current) => {
          if (nodes.has(current)) return
          const node = await this.#node(resolver, current, current === id ? code : undefined)
          nodes.set(current, node)
          if (node.own) for (const dep of node.dependsOn) if (!nodes.has(dep) && !this.#verdicts.has(dep)) next.push(dep)
        }),
      )
      frontier = [...new Set(next)]
    }
    const stack = new Set<string>()
    const decide = (current: string): boolean => {
      const cached = this.#verdicts.get(current)
      if (cached !== undefined) return cached
      if (stack.has(current)) return false
      const node = nodes.get(current)
      if (!node) return false
      stack.add(current)
      const verdict = node.own && node.dependsOn.every(decide)
      stack.delete(current)
      this.#verdicts.set(current, verdict)
      return verdict
    }
    return decide(id)
  }

  #node(resolver: GraphResolve, id: string, code: string | undefined): Promise<Node> {
    let pending = this.#nodes.get(id)
    if (!pending) {
      pending = this.#computeNode(resolver, id, code)
      this.#nodes.set(id, pending)
    }
    return pending
  }

  async #computeNode(resolver: GraphResolve, id: string, code: string | undefined): Promise<Node> {
    const refuse: Node = { own: false, dependsOn: [] }
    if (declaredSideEffects(id) !== undefined) return refuse
    const facts = await this.#graph.facts(id, code)
    if (!facts || facts.format !== 'esm' || !facts.sideEffectFree) return refuse
    const dependsOn: string[] = []
    for (const dependency of facts.dependencies) {
      if (isBuiltin(dependency.source)) continue
      const target = await this.#graph.resolve(resolver, dependency.source, id, dependency.kind)
      if (target.kind !== 'file') return refuse
      if (declaredSideEffects(target.id) === false) continue
      dependsOn.push(target.id)
    }
    return { own: true, dependsOn }
  }
}
