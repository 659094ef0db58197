import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { newestMtime } from './source-mtime.mjs'

/** What the built client depends on: when any of it is newer than the build, the build is stale. */
const CLIENT_SOURCES = ['client', 'shared', 'public', 'vite.config.ts', 'package-lock.json']

export function clientBuildIsStale(root: string, outDir: string): boolean {
  const index = join(outDir, 'index.html')
  if (!existsSync(index))
    return true
  const built = statSync(index).mtimeMs
  return CLIENT_SOURCES.some(source => newestMtime(join(root, source)) > built)
}

/** Builds the client with vite when it is missing or older than its sources. */
export async function ensureClientBuilt(root: string, outDir: string, log: (line: string) => void): Promise<void> {
  if (!clientBuildIsStale(root, outDir))
    return
  log('Building the client (missing or older than its sources)…')
  const started = Date.now()
  const { build } = await import('vite')
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' })
  log(`Client built in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
}
