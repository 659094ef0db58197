/**
 * `npm start` as a city's IT staff run it: the launcher compiles the server
 * into one file and starts it (a package the bundle cannot hold, such as a
 * native addon, would stop it here), and a fresh database gets its one
 * administrator, whose password is printed once.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'ioc-launch-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('npm start (server/launch.mjs)', () => {
  it('compiles and starts the server, printing the first administrator\'s password once', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, ['server/launch.mjs'], {
      cwd: root,
      env: { ...process.env, IOC_PORT: '0', IOC_HOST: '127.0.0.1', IOC_DB_FILE: join(dir, 'ioc.db'), IOC_BUILD_CLIENT: 'false', IOC_SIMULATOR: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const take = (chunk: Buffer): void => {
          output += chunk.toString()
          const running = /is running at (\S+)/.exec(output)
          if (running?.[1])
            resolve(running[1])
        }
        child.stdout.on('data', take)
        child.stderr.on('data', take)
        child.once('exit', code => reject(new Error(`npm start exited (${code}):\n${output}`)))
      })
      expect(output).toMatch(/Created user "admin" \(admin\) with password: \S{16}/)
      const health = await fetch(`${url.replace('localhost', '127.0.0.1')}/api/health`)
      expect(health.status).toBe(200)
      // Everything else needs a session.
      expect((await fetch(`${url.replace('localhost', '127.0.0.1')}/api/air/latest`)).status).toBe(401)
    }
    finally {
      child.kill('SIGTERM')
    }
  })
})
