/**
 * Edit distance with adjacent transpositions (optimal string alignment): `lazzy` → `lazy` is 1,
 * `reprot` → `report` is 1.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}

/**
 * The known name closest to `name`, when it is close enough to be a typo: case aside, at most a
 * third of the name's letters differ (at least one edit allowed). Ties go to the first in `known`.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase()
  let best: { candidate: string; distance: number } | undefined
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase())
    if (distance <= Math.max(1, Math.floor(name.length / 3)) && (!best || distance < best.distance)) best = { candidate, distance }
  }
  return best?.candidate
}

/** ` Did you mean "lazy"?` or an empty string. */
export function didYouMean(name: string, known: readonly string[], quote: (name: string) => string = (n) => `"${n}"`): string {
  const closest = closestName(name, known)
  return closest === undefined ? '' : ` Did you mean ${quote(closest)}?`
}
