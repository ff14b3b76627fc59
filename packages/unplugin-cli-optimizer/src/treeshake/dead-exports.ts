import type { ModuleGraph } from '../barrels/module-graph.js'
import type { ModuleFacts } from '../barrels/module-facts.js'

export interface DeadExport {
  module: string
  name: string
  bytes: number
}

const ALL = '*'

/**
 * Exports of the output's modules that no module of the output imports, with the bytes of
 * their declaration. Usage flows through re-exports (`export { a } from`, `export *`); a
 * namespace import counts as using every export unless it is only read as `ns.member`; a
 * `require()` or `import()` of a module uses all of it. Modules nothing imports are entries
 * (their exports are the program's interface) and are skipped. Works only from resolutions
 * made during the build: when an output module has an import this build never resolved, the
 * answer would be a guess, so nothing is reported.
 */
export async function findDeadExports(graph: ModuleGraph, moduleIds: readonly string[], displayId: (id: string) => string): Promise<DeadExport[]> {
  const facts = new Map<string, ModuleFacts>()
  const inOutput = new Set(moduleIds)
  // Modules analysed but not in the output still carry usage: a barrel skipped by a rewrite
  // passes the importer's names on to the modules that define them.
  await Promise.all(
    [...new Set([...moduleIds, ...graph.analysedIds()])].map(async (id) => {
      const f = await graph.facts(id)
      if (f) facts.set(id, f)
    }),
  )
  const used = new Map<string, Set<string>>()
  const importers = new Map<string, number>()
  const reexports = new Map<string, Array<{ local: string; target: string; imported: string }>>()
  const stars = new Map<string, string[]>()
  const queue: Array<[string, string]> = []
  const use = (id: string, name: string): void => {
    let names = used.get(id)
    if (!names) used.set(id, (names = new Set()))
    if (names.has(name) || names.has(ALL)) return
    names.add(name)
    queue.push([id, name])
  }
  let unknown = false
  const target = (specifier: string, importer: string, kind: 'import' | 'require' = 'import'): string | undefined => {
    const resolved = graph.resolvedBefore(specifier, importer, kind)
    if (resolved === undefined) {
      // Bare specifiers the build never resolved to a file are externals; a relative one is a gap.
      if (inOutput.has(importer) && /^[./]/.test(specifier)) unknown = true
      return undefined
    }
    if (resolved.kind !== 'file') return undefined
    importers.set(resolved.id, (importers.get(resolved.id) ?? 0) + 1)
    return resolved.id
  }

  for (const [id, f] of facts) {
    const viaDeclarations = new Set<string>()
    for (const declaration of f.imports) {
      viaDeclarations.add(declaration.source)
      const to = target(declaration.source, id)
      if (!to) continue
      for (const spec of declaration.specifiers) {
        if (declaration.kind === 'export-from') {
          const list = reexports.get(id) ?? []
          list.push({ local: spec.local, target: to, imported: spec.imported })
          reexports.set(id, list)
        } else if (spec.imported !== ALL) use(to, spec.imported)
        else if (declaration.namespaceMembers) for (const member of declaration.namespaceMembers) use(to, member)
        else use(to, ALL)
      }
    }
    for (const star of f.starSources) {
      const to = target(star, id)
      if (to) stars.set(id, [...(stars.get(id) ?? []), to])
    }
    for (const definition of f.exports) {
      if (definition.kind !== 'reexport' || viaDeclarations.has(definition.source)) continue
      const to = target(definition.source, id)
      if (to) reexports.set(id, [...(reexports.get(id) ?? []), { local: definition.name, target: to, imported: definition.imported }])
    }
    for (const dependency of [...f.dependencies, ...f.dynamicImports.map((source) => ({ source, kind: 'import' as const }))]) {
      if (dependency.kind === 'import' && (viaDeclarations.has(dependency.source) || f.starSources.includes(dependency.source))) continue
      const to = target(dependency.source, id, dependency.kind)
      if (to) use(to, ALL)
    }
  }
  if (unknown) return []

  while (queue.length > 0) {
    const [id, name] = queue.pop()!
    for (const edge of reexports.get(id) ?? []) {
      if (name === ALL || edge.local === name) use(edge.target, name === ALL ? ALL : edge.imported)
    }
    const own = facts.get(id)?.exports.some((e) => e.name === name) ?? false
    if (!own && name !== 'default') for (const to of stars.get(id) ?? []) use(to, name)
  }

  const dead: DeadExport[] = []
  for (const [id, f] of facts) {
    if (!inOutput.has(id) || f.format !== 'esm' || !importers.get(id)) continue
    const names = used.get(id) ?? new Set<string>()
    if (names.has(ALL)) continue
    for (const definition of f.exports) {
      if (definition.kind !== 'local' || definition.bytes === 0 || names.has(definition.name)) continue
      dead.push({ module: displayId(id), name: definition.name, bytes: definition.bytes })
    }
  }
  return dead.sort((a, b) => b.bytes - a.bytes || a.module.localeCompare(b.module) || a.name.localeCompare(b.name))
}
