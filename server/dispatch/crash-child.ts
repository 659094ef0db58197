/**
 * The server as the dispatch crash test runs it (server/dispatch/crash.support.ts):
 * configured from the environment like `npm start`, without the client build,
 * bundled once per run so that a restart after SIGKILL listens in about a
 * second. SIGTERM closes it cleanly; SIGKILL is the point of the exercise.
 */
import { loadConfig } from '@server/config'
import { startServer } from '@server/main'

const server = await startServer(loadConfig())
console.log(`crash child listening on ${server.port}`)
let stopping = false
process.on('SIGTERM', () => {
  if (stopping)
    return
  stopping = true
  server.close().then(() => process.exit(0), (err: unknown) => {
    console.error('crash child: shutdown failed', err)
    process.exit(1)
  })
})
