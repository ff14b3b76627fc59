// Sets values with writeBehind and ends without close(): naturally, or with process.exit().
const { createCache } = await import(process.env.CACHE_MODULE)
const cache = createCache({ disk: { dir: process.env.CACHE_DIR }, writeBehind: true })
for (let i = 0; i < 50; i++) await cache.set(`k${i}`, { i })
if (process.env.HOW === 'exit') process.exit(0)
