import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import path from 'node:path'
import { REPO_ROOT } from './cache-bundle.js'

export interface Pushgateway {
  port: number
  url: string
  /** The gateway's own exposition (`GET /metrics`), pushed groups included. */
  scrape(): Promise<string>
  /** SIGKILL: the gateway vanishes, like a crash. */
  kill(): Promise<void>
  stop(): Promise<void>
}

/** Makes sure Debian's `prometheus-pushgateway` is installed, installing it with the project's script if not. */
export function ensurePushgateway(): void {
  if (spawnSync('prometheus-pushgateway', ['--version']).status === 0) return
  execFileSync('bash', [path.join(REPO_ROOT, 'scripts/install-system-deps.sh')], { stdio: 'inherit' })
  if (spawnSync('prometheus-pushgateway', ['--version']).status !== 0) {
    throw new Error('prometheus-pushgateway is missing and scripts/install-system-deps.sh did not install it')
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

/** Starts a throwaway Pushgateway on a free loopback port, persisting nothing. */
export async function startPushgateway(): Promise<Pushgateway> {
  ensurePushgateway()
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn('prometheus-pushgateway', [`--web.listen-address=127.0.0.1:${port}`, '--log.level=error'], { stdio: 'ignore' })
  const scrape = async (): Promise<string> => {
    const response = await fetch(`${url}/metrics`)
    if (!response.ok) throw new Error(`pushgateway answered ${response.status}`)
    return response.text()
  }
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus-pushgateway exited with ${child.exitCode} on port ${port}`)
    try {
      await scrape()
      break
    } catch {
      if (Date.now() > deadline) throw new Error(`prometheus-pushgateway did not answer on port ${port}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }
  return { port, url, scrape, kill, stop: kill }
}

/** The samples of one metric in an exposition, as `{labels} value` strings sorted, for assertions. */
export function samples(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => line.slice(name.length))
    .sort()
}
