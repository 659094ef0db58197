/** Test support: real server processes (npm start's entry point) and a probe of the Redis they share. */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'

export const REDIS_TEST_URL = process.env.IOC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const root = fileURLToPath(new URL('../..', import.meta.url))
/** A node that has not printed its URL in this long has failed to start (a guard, not a measurement). */
const START_TIMEOUT_MS = 60_000

/** Why Redis at `url` cannot be used, or undefined when it answers. */
export async function redisProblem(url: string): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null })
  redis.on('error', () => {})
  try {
    await redis.connect()
    await redis.ping()
    return undefined
  }
  catch (err) {
    return (err as Error).message || String(err)
  }
  finally {
    redis.disconnect()
  }
}

/** Deletes every key under a prefix (a test's own). */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url)
  try {
    const keys = await redis.keys(`${prefix}:*`)
    if (keys.length > 0)
      await redis.del(...keys)
  }
  finally {
    redis.disconnect()
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export interface NodeProcess {
  port: number
  url: string
  process: ChildProcess
  output: string[]
  /** Ends it like a crash: no shutdown, no lease handed over. */
  kill9: () => void
  stop: () => Promise<void>
}

/** Starts `server/start.ts` in a process of its own, as `npm start` does, and waits for its URL. */
export async function startNode(env: Record<string, string>): Promise<NodeProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts'], {
    cwd: root,
    env: { ...process.env, ...env, IOC_PORT: String(port), IOC_HOST: '127.0.0.1', IOC_BUILD_CLIENT: 'false', TSX_TSCONFIG_PATH: 'tsconfig.server.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node on ${port} did not start:\n${output.join('')}`)), START_TIMEOUT_MS)
    const take = (chunk: Buffer): void => {
      output.push(chunk.toString())
      if (output.join('').includes('is running at')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout.on('data', take)
    child.stderr.on('data', take)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`node on ${port} exited (${code}) before it started:\n${output.join('')}`))
    })
  })
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    process: child,
    output,
    kill9: () => child.kill('SIGKILL'),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        await exited
      }
    },
  }
}
