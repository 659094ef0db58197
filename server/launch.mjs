/**
 * `npm start`: runs the server from one bundled file, dist/server.mjs,
 * compiled by esbuild from server/start.ts and everything it imports
 * whenever the file is missing or older than its sources (about 1 s).
 * The bundle listens in about 1 s where server/start.ts run through tsx's
 * loader takes 2.3–2.8 s: a restarted server meets a thousand reconnecting
 * walls that much sooner (`npm run bench:transport`, reconnect storm).
 * Plain JavaScript, because it runs before anything can compile TypeScript.
 */
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { newestMtime } from './source-mtime.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const bundle = join(root, 'dist', 'server.mjs')
/** What the bundle is made of: when any of it is newer, the bundle is stale. */
const SOURCES = ['server', 'shared', 'package-lock.json', 'tsconfig.json', 'tsconfig.server.json']

const stale = !existsSync(bundle) || SOURCES.some(source => newestMtime(join(root, source)) > statSync(bundle).mtimeMs)
if (stale) {
  const started = Date.now()
  const { bundleServer } = await import('./bundle.mjs')
  await bundleServer(join(root, 'server', 'start.ts'), bundle)
  console.log(`Server compiled into dist/server.mjs in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
}
// `npm run demo`: one user per role, passwords printed (refused in production).
if (process.argv.includes('--demo'))
  process.env.IOC_DEMO = 'true'
// Stack traces name the TypeScript sources.
process.setSourceMapsEnabled(true)
await import(pathToFileURL(bundle).href)
