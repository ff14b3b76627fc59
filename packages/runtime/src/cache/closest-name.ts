/**
 * The known option name closest to a typo (edit distance with transpositions, at most a third of
 * the letters, at least one), for "Did you mean …?". The plugin has the same rule in
 * `unplugin-cli-optimizer/src/core/did-you-mean.ts`; the runtime keeps its own few lines so a CLI
 * never loads the plugin.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const a = name.toLowerCase()
  let best: string | undefined
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1
  for (const candidate of known) {
    const b = candidate.toLowerCase()
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
      }
    }
    if (d[a.length]![b.length]! < bestDistance) {
      bestDistance = d[a.length]![b.length]!
      best = candidate
    }
  }
  return best
}
