/**
 * C-1 (and C-3): the UI tick's main-thread time and the long animation
 * frames at the reference load, for the wall's map update strategy and for
 * the naive whole-setData one, one after the other on the same server and
 * feed. Each strategy gets a fresh page, a warm-up, a measured window, then
 * a Chromium trace of what its ticks spend their time on.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { BenchBrowser } from './browser'
import { metrics } from './browser'
import type { RunningLoad } from './load'
import type { Strategy, WallOptions } from './options'
import { strategyQuery } from './options'
import { openWall } from './page'
import { countMapCalls, loafSupported, readMapCalls, readProbes, readTicks, resetWindow } from './probes'
import type { CpuReading, CpuSplit, Distribution } from './stats'
import { cpuSplit, distribution, parseProcStat } from './stats'
import type { TickBreakdown } from './trace'
import { parseTrace, tickBreakdown, TRACE_CATEGORIES } from './trace'

export interface StrategyResult {
  strategy: Strategy
  query: string
  readyMs: number
  /** Script files the page requested before it was ready (first data held, map style loaded). */
  scriptsBeforeReady: string[]
  /** __iocTicks over the window, ms of wall-clock main-thread time per tick. */
  ticks: Distribution
  /**
   * Long animation frames. `blocking` is LoAF's blockingDuration: the main
   * thread's own long tasks in the frame (each over 50 ms, less 50 ms, plus
   * rendering). A long frame with none waited for something else: the GPU
   * process (SwiftShader here), or a CPU the machine did not give it.
   */
  loaf: { supported: boolean, count: number, over50: number, over100: number, over100Blocking: number, maxMs: number, maxBlockingMs: number, worst: { durationMs: number, blockingMs: number, scriptMs: number, script: string }[] }
  /** rAF intervals, ms (SwiftShader: a regression figure, not a GPU wall's). */
  frames: Distribution & { fps: number }
  /** Entity changes the page received per second, by stream, and in all. */
  changesPerSecond: Record<string, number> & { total: number }
  /** What the traffic feed pushed over the same window, what the server's ingest accepted (records per second), and the changes the server published (entities per second, all streams). */
  fed: { sent: number, accepted: number, published: number }
  /** The map's update calls per second by kind: which strategy really ran. */
  mapCallsPerSecond: Record<string, number>
  /** Renderer main thread busy share over the window (Performance.getMetrics TaskDuration), and its script, style and layout parts. */
  mainThread: { busy: number, script: number, style: number, layout: number }
  cpu: CpuSplit
  loadAverage: number[]
  breakdown: TickBreakdown
  traceFile: string
  screenshot: string
  console: string[]
}

const SCREENSHOT_TIMEOUT_MS = 90_000
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

export function cpuReading(bench: BenchBrowser): CpuReading {
  return { at: Date.now(), machine: parseProcStat(readFileSync('/proc/stat', 'utf8')), chromium: bench.cpuTicks(), self: process.cpuUsage() }
}

const perSecond = (counts: Record<string, number>, seconds: number): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / seconds]))

export async function measureStrategy(bench: BenchBrowser, load: RunningLoad, strategy: Strategy, options: WallOptions, outDir: string, progress: (line: string) => void): Promise<StrategyResult> {
  const query = strategyQuery(strategy, options.scene)
  const wall = await openWall(bench, load, query)
  const scriptsBeforeReady = wall.scripts.map(s => s.url.split('/').pop() ?? s.url)
  try {
    progress(`${strategy}: ready in ${(wall.readyMs / 1000).toFixed(1)} s; warming up ${options.warmupS} s`)
    await countMapCalls(wall.page)
    await sleep(options.warmupS * 1000)

    await resetWindow(wall.page)
    wall.tally.reset()
    const before = cpuReading(bench)
    const fedBefore = { ...load.feed.counts }
    const publishedBefore = Object.values(load.published).reduce((a, b) => a + b, 0)
    const metricsBefore = await metrics(wall.cdp)
    progress(`${strategy}: measuring ${options.tickS} s`)
    await sleep(options.tickS * 1000)
    const ticks = await readTicks(wall.page)
    const probes = await readProbes(wall.page)
    const calls = await readMapCalls(wall.page)
    const after = cpuReading(bench)
    const fedAfter = { ...load.feed.counts }
    const publishedAfter = Object.values(load.published).reduce((a, b) => a + b, 0)
    const metricsAfter = await metrics(wall.cdp)
    const seconds = (after.at - before.at) / 1000
    const changes = perSecond(wall.tally.changes, seconds)
    const delta = (name: string): number => ((metricsAfter[name] ?? 0) - (metricsBefore[name] ?? 0)) / seconds

    progress(`${strategy}: tracing ${options.traceS} s`)
    await bench.browser.startTracing(wall.page, { categories: TRACE_CATEGORIES })
    await sleep(options.traceS * 1000)
    const trace = await bench.browser.stopTracing()
    // Kept for Chrome DevTools' Performance panel, which opens gzipped traces.
    const traceFile = join(outDir, `trace-${strategy}.json.gz`)
    writeFileSync(traceFile, gzipSync(trace))
    const breakdown = tickBreakdown(parseTrace(trace))

    const screenshot = join(outDir, `wall-${strategy}.png`)
    // A page too busy to hand over a frame within the time is a finding, not a failure of the run.
    const shot = await wall.page.screenshot({ path: screenshot, timeout: SCREENSHOT_TIMEOUT_MS }).then(() => screenshot, (err: unknown) => `none (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`)
    const frameDist = distribution(probes.frames)
    const loaf = probes.loaf
    return {
      strategy,
      query,
      readyMs: wall.readyMs,
      scriptsBeforeReady,
      ticks: distribution(ticks),
      loaf: {
        supported: await loafSupported(wall.page),
        count: probes.loafCount,
        over50: loaf.filter(l => l.duration > 50).length,
        over100: loaf.filter(l => l.duration > 100).length,
        over100Blocking: loaf.filter(l => l.duration > 100 && l.blocking > 0).length,
        maxMs: loaf.reduce((m, l) => Math.max(m, l.duration), 0),
        maxBlockingMs: loaf.reduce((m, l) => Math.max(m, l.blocking), 0),
        worst: [...loaf].sort((a, b) => b.duration - a.duration).slice(0, 3).map(l => ({ durationMs: l.duration, blockingMs: l.blocking, scriptMs: l.scriptMs, script: l.script || '(no script over 5 ms)' })),
      },
      frames: { ...frameDist, fps: probes.frameCount / seconds },
      changesPerSecond: { ...changes, total: Object.values(changes).reduce((a, b) => a + b, 0) },
      fed: { sent: (fedAfter.records - fedBefore.records) / seconds, accepted: (fedAfter.accepted - fedBefore.accepted) / seconds, published: (publishedAfter - publishedBefore) / seconds },
      mapCallsPerSecond: perSecond(calls, seconds),
      mainThread: { busy: delta('TaskDuration'), script: delta('ScriptDuration'), style: delta('RecalcStyleDuration'), layout: delta('LayoutDuration') },
      cpu: cpuSplit(before, after),
      loadAverage: loadavg(),
      breakdown,
      traceFile,
      screenshot: shot,
      console: wall.console.slice(-20),
    }
  }
  finally {
    await wall.close()
  }
}
