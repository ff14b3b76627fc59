// Memory and disk levels work where ioredis cannot be imported; a Redis level then only warns.
const { createCache } = await import(process.env.CACHE_MODULE)
const cache = createCache({ disk: { dir: process.env.CACHE_DIR } })
await cache.set('k', 1)
const local = await cache.get('k')
await cache.close()
const warnings = []
const withRedis = createCache({ redis: true, onWarning: (warning) => warnings.push(warning) })
await withRedis.set('r', 2)
process.stdout.write(JSON.stringify({ local, redis: await withRedis.get('r'), warnings }))
