// One of several processes reading, writing, wrapping and deleting the same keys for a while.
import { checkValue, makeValue } from './value.mjs'

const { createCache } = await import(process.env.CACHE_MODULE)
const writer = process.env.WORKER_ID
const cache = createCache({ disk: { dir: process.env.CACHE_DIR, maxBytes: 300_000 }, memory: false })
const until = Date.now() + Number(process.env.DURATION_MS)
let ops = 0
let hits = 0
for (let n = 0; Date.now() < until; n++) {
  const key = `k${(n * 7 + Number(writer)) % 16}`
  const roll = (n * 13 + Number(writer) * 5) % 10
  if (roll < 4) await cache.set(key, makeValue(key, writer, n, 100 + ((n * 31) % 20_000)))
  else if (roll < 9) {
    if (checkValue(key, await cache.get(key))) hits++
  } else if (roll === 9 && n % 2) await cache.delete(key)
  else if (checkValue(key, await cache.wrap(key, () => makeValue(key, writer, n, 500)))) hits++
  ops++
}
await cache.close()
process.stdout.write(JSON.stringify({ ops, hits, stats: cache.stats() }))
