import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createConnection, createServer } from 'node:net'
import path from 'node:path'
import { REPO_ROOT } from './cache-bundle.js'

export interface RedisServer {
  port: number
  url: string
  /** SIGKILL: the server vanishes mid-test, like a crash. */
  kill(): Promise<void>
  /** Starts it again on the same port (empty: it saves nothing). */
  restart(): Promise<void>
  stop(): Promise<void>
}

/** Makes sure the Debian `redis-server` is installed, installing it with the project's script if not. */
export function ensureRedisServer(): void {
  if (spawnSync('redis-server', ['--version']).status === 0) return
  execFileSync('bash', [path.join(REPO_ROOT, 'scripts/install-system-deps.sh')], { stdio: 'inherit' })
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error('redis-server is missing and scripts/install-system-deps.sh did not install it')
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    let answer = ''
    socket.setTimeout(500)
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (data) => {
      answer += data.toString()
      if (answer.includes('\r\n')) {
        socket.destroy()
        resolve(answer.startsWith('+PONG'))
      }
    })
    socket.on('error', () => resolve(false))
    socket.on('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

export interface RedisServerOptions {
  /**
   * Keep the data in an append-only file in this folder, synced on every write, so `kill()` then
   * `restart()` loses nothing acknowledged (a crash of a durable Redis). Without it the server
   * persists nothing and restarts empty.
   */
  persistDir?: string
}

/** Starts a throwaway redis-server on a free loopback port. */
export async function startRedisServer({ persistDir }: RedisServerOptions = {}): Promise<RedisServer> {
  ensureRedisServer()
  const port = await freePort()
  let child: ChildProcess | undefined

  const start = async (): Promise<void> => {
    const persistence = persistDir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', persistDir] : ['--appendonly', 'no']
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence], { stdio: 'ignore' })
    const deadline = Date.now() + 10_000
    while (!(await ping(port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} on port ${port}`)
      if (Date.now() > deadline) throw new Error(`redis-server did not answer PING on port ${port}`)
      await new Promise((resolve) => setTimeout(resolve, 30))
    }
  }
  const kill = async (): Promise<void> => {
    const running = child
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGKILL')
    await exited
  }

  await start()
  return { port, url: `redis://127.0.0.1:${port}`, kill, restart: start, stop: kill }
}
