/**
 * `npm run bench:wall`: the wall in headless Chromium at the reference load
 * (issue 6 §8; performance.md §8.2 C-1, C-3, C-4, C-6).
 *
 *   size   C-6: initial JS for /wall from a production build's chunk graph,
 *          per chunk and per package (gzip -9);
 *   ticks  C-1/C-3: UI tick main-thread time (p50/p95/p99/max) and long
 *          animation frames with the wall's map update strategy and with
 *          `?mapUpdate=setData`, same server, same feed, one after the
 *          other; a Chromium trace of each says what the ticks spend on;
 *   soak   C-4: JS heap after forced GC, DOM nodes, listeners and the
 *          renderer's memory over a simulated hour played fast, with the
 *          wall's connections cut half-way.
 *
 * The load: the real server (startServer) with Dongguan's roads cut into
 * 5,000 segments, 36 halls, 30 stations, the simulator's 12345 orders (the
 * wall holds the newest 500), and 1,000 traffic changes per second pushed
 * through a signed webhook feed; the rate is checked on the page's own
 * socket frames. The smoke profile (default of `npm run bench`) takes about
 * five minutes; BENCH_WALL_PROFILE=full (default here) about twenty. Other
 * settings: bench/wall/options.ts. One JSON file per run in bench-results/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { fmt } from './lib'
import { HAS_TASKSET, pinSelf } from './transport.clients'
import { buildClient, chunkSizes, initialJs, packagesOver } from './wall/bundle'
import { launchBrowser } from './wall/browser'
import { startLoad, untilPresent } from './wall/load'
import type { RunningLoad } from './wall/load'
import type { WallOptions } from './wall/options'
import { wallOptions } from './wall/options'
import { sizeReport, soakReport, ticksReport } from './wall/report'
import { runSoak } from './wall/soak-section'
import type { SoakResult } from './wall/soak-section'
import { measureStrategy } from './wall/ticks-section'
import type { StrategyResult } from './wall/ticks-section'

const root = fileURLToPath(new URL('..', import.meta.url))
const progress = (line: string): void => void process.stderr.write(`  … ${line}\n`)
const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version

interface SizeResult {
  buildMs: number
  initial: ReturnType<typeof initialJs>
  chunks: ReturnType<typeof chunkSizes>
  byPackage: ReturnType<typeof packagesOver>
  assets: { file: string, bytes: number, gzip: number }[]
  /** Scripts the first measured page requested before it was ready, and their gzip bytes. */
  loadedBeforeReady?: { files: string[], gzip: number }
}

async function withLoad<T>(options: WallOptions, clientDir: string, simSpeed: number, fn: (load: RunningLoad) => Promise<T>): Promise<T> {
  const load = await startLoad({
    clientDir,
    segments: options.segments,
    stations: options.stations,
    changesPerSecond: options.changesPerSecond,
    simSpeed,
    historyHours: options.historyH,
    historySpeed: options.historySpeed,
    seed: options.seed,
  })
  try {
    progress(`server at ${load.server.url} with ${fmt(load.city.roads.length)} segments, ${load.city.halls.length} halls, ${load.city.airStations.length} stations; playing ${options.historyH} simulated hours of history`)
    await untilPresent(load)
    load.feed.start()
    return await fn(load)
  }
  finally {
    await load.close()
  }
}

export async function runWallBench(options: WallOptions): Promise<void> {
  const started = new Date()
  const outDir = join(root, 'bench-results')
  mkdirSync(outDir, { recursive: true })
  const runId = `wall-${started.toISOString().replace(/[:.]/g, '-')}`
  const shotDir = join(outDir, runId)
  mkdirSync(shotDir, { recursive: true })
  const loadStart = loadavg()
  console.log(`Wall benchmark (${options.profile}): ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB; Node ${process.version}; maplibre-gl ${versionOf('maplibre-gl')}, echarts ${versionOf('echarts')}, vue ${versionOf('vue')}, socket.io ${versionOf('socket.io')}; load average at start ${loadStart.map(l => fmt(l, 2)).join(' ')}`)

  progress('building the client (production, its own folder)')
  const build = await buildClient(root)
  const sizes = chunkSizes(build.chunks)
  const initial = initialJs(build.chunks, sizes, 'views/WallView.vue')
  const size: SizeResult = { buildMs: build.buildMs, initial, chunks: sizes, byPackage: packagesOver(sizes, new Set(initial.files)), assets: build.assets }
  if (options.sections.includes('size'))
    console.log(`\n${sizeReport(sizes, initial, size.byPackage, build.assets)}`)

  const pinned = options.pin && HAS_TASKSET
  if (pinned)
    pinSelf(0)
  const browsers = options.sections.some(s => s === 'ticks' || s === 'soak')
  const bench = browsers ? await launchBrowser({ cpu: pinned ? 1 : null }) : undefined
  let ticks: StrategyResult[] = []
  let soak: SoakResult | undefined
  try {
    if (bench) {
      console.log(`\nChromium ${bench.version} (${pinned ? 'pinned to CPU 1; server, feed and benchmark on CPU 0' : 'not pinned'}), 1920×1080 at DPR 1, SwiftShader WebGL; the production build served by the real server`)
    }
    if (bench && options.sections.includes('ticks')) {
      ticks = await withLoad(options, build.outDir, 1, async (load) => {
        const results: StrategyResult[] = []
        for (const strategy of options.strategies)
          results.push(await measureStrategy(bench, load, strategy, options, shotDir, progress))
        return results
      })
      console.log(`\n${ticksReport(ticks, options.segments)}`)
      const first = ticks[0]
      if (first) {
        const files = new Set(first.scriptsBeforeReady)
        const gzip = [...sizes, ...build.assets].filter(s => files.has(s.file.split('/').pop() ?? '')).reduce((n, s) => n + s.gzip, 0)
        size.loadedBeforeReady = { files: [...files], gzip }
        console.log(`\nC-6 at run time: the page requested ${files.size} scripts before it was ready (${fmt(gzip / 1024, 1)} KB gzip): ${[...files].join(', ')}`)
      }
    }
    if (bench && options.sections.includes('soak')) {
      soak = await withLoad(options, build.outDir, options.soakSpeed, load => runSoak(bench, load, options, progress))
      console.log(`\n${soakReport(soak)}`)
    }
  }
  finally {
    await bench?.close()
  }

  const file = join(outDir, `${runId}.json`)
  writeFileSync(file, JSON.stringify({
    run: runId,
    startedAt: started.toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: totalmem() / 2 ** 30, loadAverageStart: loadStart, loadAverageEnd: loadavg() },
    versions: { node: process.version, chromium: bench?.version, maplibre: versionOf('maplibre-gl'), echarts: versionOf('echarts'), vue: versionOf('vue'), socketIo: versionOf('socket.io'), vite: versionOf('vite') },
    options,
    pinned,
    size,
    ticks,
    soak,
  }, null, 1))
  console.log(`\nResults: ${file}; screenshots in ${shotDir}`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runWallBench(wallOptions(process.env, 'full')).catch((err: unknown) => {
    console.error(err)
    process.exitCode = 1
  })
}
