// Writes large values in a loop until killed; prints one line per completed write.
import { makeValue } from './value.mjs'

const { createCache } = await import(process.env.CACHE_MODULE)
const cache = createCache({ disk: { dir: process.env.CACHE_DIR }, memory: false })
for (let n = 0; ; n++) {
  const key = `k${n % 20}`
  await cache.set(key, makeValue(key, "w", n, 512 * 1024 + (n % 7) * 300_000))
  process.stdout.write(`${n}\n`)
}
