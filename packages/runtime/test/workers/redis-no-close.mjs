// A CLI that uses a Redis level and ends without close(): it must exit on its own, promptly.
const { createCache } = await import(process.env.CACHE_MODULE)
const cache = createCache({ memory: false, redis: { url: process.env.REDIS_URL, prefix: 'noclose:' } })
await cache.set('k', 'v')
process.stdout.write(String(await cache.get('k')))
