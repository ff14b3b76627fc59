import http from 'node:http'
import net from 'node:net'
import { createHttp } from './dist/http/index.js'
const stall = http.createServer(() => {}); await new Promise(r => stall.listen(0, '127.0.0.1', r))
const origin = `http://127.0.0.1:${stall.address().port}`
const t = () => Math.round(performance.now())
const h = createHttp({ timeout: 200, retry: { limit: 1, minDelay: 1, maxDelay: 1 } })
await h.request(origin.replace('//','//a:b@') + '/p', { headers: { authorization: 'x' } }).catch(e => console.log(t(), 'req', e.message))
await h.fetch(origin + '/p').catch(e => console.log(t(), 'fetch', e.message))
await h.request('http://127.0.0.1:1/p').catch(e => console.log(t(), 'refused', e.message))
await h.fetch('http://127.0.0.1:1/p').catch(e => console.log(t(), 'refused fetch', e.message))
await h.fetch(origin.replace('//','//a:b@')).catch(e => console.log(t(), 'creds fetch', e.message))
console.log(t(), 'closing', h.stats()); await h.close(); console.log(t(), 'closed')
const proxy = net.createServer((socket) => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n'))
await new Promise(r => proxy.listen(0, '127.0.0.1', r))
process.env.HTTP_PROXY = `http://bob:pp@127.0.0.1:${proxy.address().port}`
const p = createHttp({ retry: false })
await p.request(origin).catch(e => console.log(t(), 'proxy', e.message, e.cause))
await p.fetch(origin).catch(e => console.log(t(), 'proxy fetch', e.message))
console.log(t(), 'closing'); await p.close(); console.log(t(), 'closed')
stall.close(); proxy.close()
