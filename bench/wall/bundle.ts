/**
 * C-6: the JavaScript a wall downloads before it can show anything, from a
 * production build's own chunk graph, with each chunk's bytes attributed to
 * the packages that fill it (performance.md §8.2 C-6).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { gzipSync } from 'node:zlib'
import type { Rolldown } from 'vite'

type OutputChunk = Rolldown.OutputChunk

export interface PackageShare {
  /** An npm package (`@vue/*` folded into `vue`), or `app` for our own sources. */
  name: string
  /** Estimated gzip bytes: the chunk's real gzip size shared out by each module's own gzip size. */
  gzip: number
}

export interface ChunkSize {
  file: string
  /** What loads it: the page's entry, a route's dynamic import, or a chunk shared by several. */
  role: 'entry' | 'dynamic' | 'shared'
  bytes: number
  gzip: number
  packages: PackageShare[]
}

export interface BuildResult {
  outDir: string
  buildMs: number
  chunks: OutputChunk[]
  /** Non-chunk files (the MapLibre worker, CSS), bytes and gzip. */
  assets: { file: string, bytes: number, gzip: number }[]
}

export interface InitialJs {
  files: string[]
  bytes: number
  gzip: number
}

const gz = (text: string | Uint8Array): number => gzipSync(text, { level: 9 }).length

/**
 * A production build of the client into its own folder (never dist/client,
 * which the browser tests rebuild when they like): the same vite.config.ts,
 * the same minifier, with the chunk graph kept for attribution.
 */
export async function buildClient(root: string, outDir = mkdtempSync(join(tmpdir(), 'ioc-bench-client-'))): Promise<BuildResult> {
  const { build } = await import('vite')
  const started = performance.now()
  const result = await build({
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'warn',
    mode: 'production',
    build: { outDir, emptyOutDir: true },
  })
  const outputs = (Array.isArray(result) ? result : [result]).flatMap(r => ('output' in r ? r.output : []))
  const chunks = outputs.filter((o): o is OutputChunk => o.type === 'chunk')
  const assets = outputs.flatMap(o => (o.type === 'asset' && /\.(?:m?js|css)$/.test(o.fileName)
    ? [{ file: o.fileName, bytes: byteLength(o.source), gzip: gz(o.source) }]
    : []))
  return { outDir, buildMs: performance.now() - started, chunks, assets }
}

function byteLength(source: string | Uint8Array): number {
  return typeof source === 'string' ? Buffer.byteLength(source) : source.byteLength
}

/** `node_modules/@vue/runtime-core/…` → `vue`; `node_modules/maplibre-gl/…` → `maplibre-gl`; our sources → `app`. */
export function packageOf(moduleId: string): string {
  const parts = moduleId.replace(/\\/g, '/').split('/node_modules/')
  const inside = parts.at(-1)
  if (parts.length < 2 || inside === undefined)
    return moduleId.startsWith('\0') ? 'bundler runtime' : 'app'
  const [first, second] = inside.split('/')
  const name = first?.startsWith('@') ? `${first}/${second ?? ''}` : first ?? '?'
  return name.startsWith('@vue/') ? 'vue' : name
}

/**
 * Shares a chunk's real gzip size among its packages: each package's modules
 * are compressed together (gzip's dictionary works across a package's own
 * modules, as it does in the chunk) and the chunk's size is shared out in
 * proportion. Module code is as rendered, before the chunk's minification, so
 * the shares are estimates; the chunk totals are exact.
 */
function packageShares(chunk: OutputChunk, chunkGzip: number): PackageShare[] {
  const code = new Map<string, string[]>()
  for (const [id, module] of Object.entries(chunk.modules)) {
    if (!module.code)
      continue
    const name = packageOf(id)
    code.set(name, [...(code.get(name) ?? []), module.code])
  }
  const raw = [...code.entries()].map(([name, parts]) => ({ name, bytes: gz(parts.join('\n')) }))
  const total = raw.reduce((n, r) => n + r.bytes, 0)
  return raw
    .map(({ name, bytes }) => ({ name, gzip: total > 0 ? (bytes / total) * chunkGzip : 0 }))
    .sort((a, b) => b.gzip - a.gzip)
}

export function chunkSizes(chunks: readonly OutputChunk[]): ChunkSize[] {
  return chunks.map((chunk): ChunkSize => {
    const gzip = gz(chunk.code)
    return {
      file: chunk.fileName,
      role: chunk.isEntry ? 'entry' : chunk.isDynamicEntry ? 'dynamic' : 'shared',
      bytes: Buffer.byteLength(chunk.code),
      gzip,
      packages: packageShares(chunk, gzip),
    }
  }).sort((a, b) => b.gzip - a.gzip)
}

/**
 * What `/wall` needs before its first paint: the entry chunk, the route's
 * chunk (its facade module ends with `routeModule`), and every chunk those
 * two import statically, transitively. Dynamic imports inside them (detail
 * panels, admin views) are not initial.
 */
export function initialJs(chunks: readonly OutputChunk[], sizes: readonly ChunkSize[], routeModule: string): InitialJs {
  const byFile = new Map(chunks.map(c => [c.fileName, c]))
  const roots = chunks.filter(c => c.isEntry || (c.facadeModuleId?.endsWith(routeModule) ?? false))
  if (!roots.some(c => c.isEntry) || !roots.some(c => !c.isEntry))
    throw new Error(`the build has no entry chunk or no chunk for ${routeModule}`)
  const files = new Set<string>()
  const visit = (chunk: OutputChunk): void => {
    if (files.has(chunk.fileName))
      return
    files.add(chunk.fileName)
    for (const file of chunk.imports) {
      const next = byFile.get(file)
      if (next)
        visit(next)
    }
  }
  roots.forEach(visit)
  const initial = sizes.filter(s => files.has(s.file))
  return {
    files: [...files],
    bytes: initial.reduce((n, s) => n + s.bytes, 0),
    gzip: initial.reduce((n, s) => n + s.gzip, 0),
  }
}

/** Gzip bytes per package over a set of chunks. */
export function packagesOver(sizes: readonly ChunkSize[], files: ReadonlySet<string>): PackageShare[] {
  const totals = new Map<string, number>()
  for (const size of sizes.filter(s => files.has(s.file))) {
    for (const p of size.packages)
      totals.set(p.name, (totals.get(p.name) ?? 0) + p.gzip)
  }
  return [...totals.entries()].map(([name, gzip]) => ({ name, gzip })).sort((a, b) => b.gzip - a.gzip)
}
