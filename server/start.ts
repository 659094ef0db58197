/**
 * `npm start`: read the configuration, build the client if needed, start the
 * server, print the URL, and shut down cleanly on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ensureClientBuilt } from './client-build'
import { ConfigError, loadConfig } from './config'
import { installLineSafeConsole } from './log'
import { startServer } from './main'

// Before anything logs: one record per line, whatever the input (server/log.ts).
installLineSafeConsole()

const root = fileURLToPath(new URL('..', import.meta.url))
const clientDir = fileURLToPath(new URL('../dist/client', import.meta.url))

async function main(): Promise<void> {
  const started = Date.now()
  const config = loadConfig()
  if (config.buildClient)
    await ensureClientBuilt(root, clientDir, line => console.log(line))
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  const server = await startServer(config, { clientDir, version })
  for (const account of server.issuedAccounts) {
    // Shown once: the store keeps only its argon2id hash.
    console.log(`Created user "${account.username}" (${account.roles.join(', ')}${account.departmentId ? `, ${account.departmentId}` : ''}) with password: ${account.password}`)
  }
  if (server.issuedAccounts.some(a => a.roles.includes('admin')))
    console.log('Sign in as admin with the password above and set your own; it is not shown again.')
  console.log(`City IOC ${version} is running at ${server.url}  (database ${config.databaseUrl ? config.databaseUrl.replace(/\/\/[^@/]*@/, '//…@') : config.dbFile}, city ${config.city}, started in ${Date.now() - started} ms)`)

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping)
      return
    stopping = true
    console.log(`${signal}: shutting down…`)
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('shutdown failed', err)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err)
  process.exit(1)
})
