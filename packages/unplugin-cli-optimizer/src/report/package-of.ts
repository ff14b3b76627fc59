/**
 * The npm package a module id belongs to: the path segment after the last `node_modules/`
 * (scoped names keep their scope), or `null` for the app's own code and virtual modules.
 */
export function packageOf(id: string): string | null {
  const normalized = id.replace(/\\/g, '/')
  const at = normalized.lastIndexOf('/node_modules/')
  if (at === -1) return null
  const [first, second] = normalized.slice(at + '/node_modules/'.length).split('/')
  if (!first) return null
  return first.startsWith('@') && second ? `${first}/${second}` : first
}
