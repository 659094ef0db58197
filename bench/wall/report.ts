/** The wall benchmark's printed report: each figure beside its target (issue 6 §8, performance.md §8.2). */
import { loadavg } from 'node:os'
import { fmt, table } from '../lib'
import type { ChunkSize, InitialJs, PackageShare } from './bundle'
import type { SoakResult } from './soak-section'
import type { CpuSplit, Distribution } from './stats'
import type { StrategyResult } from './ticks-section'
import type { Share, TickGroup } from './trace'

export const TARGETS = {
  tickP95Ms: 8,
  loafMaxMs: 100,
  heapMbPerHour: 1,
  initialGzipKb: 450,
}

const kb = (bytes: number): string => fmt(bytes / 1024, 1)
const ms = (v: number, digits = 1): string => (Number.isFinite(v) ? fmt(v, digits) : '–')
const pct = (share: number): string => (Number.isFinite(share) ? `${fmt(100 * share, 0)} %` : '–')
const verdict = (ok: boolean): string => (ok ? 'meets' : 'MISSES')

export function cpuLine(cpu: CpuSplit, load: readonly number[]): string {
  return `machine ${pct(cpu.busy)} busy (Chromium ${pct(cpu.chromium)}, server + feed + benchmark ${pct(cpu.bench)}, others ${pct(cpu.others)} of all cores); load average ${load.map(l => fmt(l, 2)).join(' ')}`
}

export function sizeReport(sizes: readonly ChunkSize[], initial: InitialJs, byPackage: readonly PackageShare[], assets: readonly { file: string, gzip: number }[]): string {
  const initialFiles = new Set(initial.files)
  const rows = sizes.map(s => [
    s.file,
    s.role,
    kb(s.bytes),
    kb(s.gzip),
    initialFiles.has(s.file) ? 'yes' : '',
    s.packages.slice(0, 4).map(p => `${p.name} ${kb(p.gzip)}`).join(', '),
  ])
  const worker = assets.find(a => /worker/.test(a.file))
  return [
    `C-6 initial JS for /wall: the entry chunk, the WallView chunk and what they import statically (gzip -9)`,
    table(['chunk', 'loaded', 'KB', 'gzip KB', 'initial', 'packages (gzip KB, estimated)'], rows),
    '',
    `initial JS: ${kb(initial.gzip)} KB gzip in ${initial.files.length} files (${kb(initial.bytes)} KB minified) — target ≤ ${TARGETS.initialGzipKb} KB: ${verdict(initial.gzip / 1024 <= TARGETS.initialGzipKb)}`,
    `by package: ${byPackage.slice(0, 12).map(p => `${p.name} ${kb(p.gzip)}`).join(', ')}`,
    worker ? `not initial: MapLibre's worker ${kb(worker.gzip)} KB gzip (${worker.file}), fetched by the map's workers once the map starts` : '',
  ].filter(Boolean).join('\n')
}

function dist(d: Distribution): string[] {
  return [fmt(d.count), ms(d.p50, 2), ms(d.p95, 2), ms(d.p99, 2), ms(d.max, 2)]
}

function shares(list: readonly Share[], limit = 6): string {
  return list.slice(0, limit).map(s => `${s.name} ${pct(s.share)} (${ms(s.ms, 2)} ms)`).join(', ')
}

function groupLine(label: string, g: TickGroup): string {
  return [
    `  ${label}: ${g.ticks} tasks, mean ${ms(g.wallMs, 2)} ms wall, ${ms(g.cpuMs, 2)} ms CPU each`,
    `    by package (profiler samples): ${shares(g.packages)}`,
    g.events.length ? `    browser work inside: ${shares(g.events)}` : '',
    `    top functions: ${shares(g.functions, 5)}`,
  ].filter(Boolean).join('\n')
}

export function ticksReport(results: readonly StrategyResult[], segments: number): string {
  const head = ['strategy', 'ticks', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', `p95 ≤ ${TARGETS.tickP95Ms} ms`, 'CPU p50/p95 (trace)', 'LoAF n / >50 / >100 / max ms', 'fps', 'main thread busy']
  const rows = results.map(r => [
    r.strategy,
    ...dist(r.ticks),
    verdict(r.ticks.p95 <= TARGETS.tickP95Ms),
    `${ms(r.breakdown.cpu.p50, 2)} / ${ms(r.breakdown.cpu.p95, 2)}`,
    r.loaf.supported ? `${r.loaf.count} / ${r.loaf.over50} / ${r.loaf.over100} / ${ms(r.loaf.maxMs, 0)}` : 'no LoAF',
    fmt(r.frames.fps, 1),
    `${pct(r.mainThread.busy)} (script ${pct(r.mainThread.script)}, style ${pct(r.mainThread.style)}, layout ${pct(r.mainThread.layout)})`,
  ])
  const lines = [
    `C-1 UI tick main-thread time (window.__iocTicks: flush + Vue's re-render + map and chart diffs, wall-clock) and long animation frames`,
    table(head, rows),
  ]
  for (const r of results) {
    const c = r.changesPerSecond
    lines.push('', `${r.strategy} (${r.query}): ready in ${ms(r.readyMs / 1000)} s; the page received ${fmt(c.total)} entity changes/s (${Object.entries(c).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${fmt(v, 1)}`).join(', ')}) over ${fmt(segments)} segments; the feed pushed ${fmt(r.fed.sent)} traffic records/s, the server accepted ${fmt(r.fed.accepted)}/s and published ${fmt(r.fed.published)} entity changes/s`)
    lines.push(`  map calls/s: ${Object.entries(r.mapCallsPerSecond).map(([k, v]) => `${k} ${fmt(v, 1)}`).join(', ') || 'none seen'}`)
    lines.push(`  long frames > ${TARGETS.loafMaxMs} ms: ${r.loaf.over100} (target none in steady state: ${verdict(r.loaf.over100 === 0)}), of which ${r.loaf.over100Blocking} blocked by the main thread's own long tasks (max blocking ${ms(r.loaf.maxBlockingMs, 0)} ms; the others waited on the GPU process or the CPU)`)
    lines.push(`  worst: ${r.loaf.worst.map(w => `${ms(w.durationMs, 0)} ms (blocking ${ms(w.blockingMs, 0)} ms; longest script ${ms(w.scriptMs, 0)} ms, ${w.script})`).join('; ') || '–'}`)
    lines.push(`  ${cpuLine(r.cpu, r.loadAverage)}`)
    if (r.breakdown.found) {
      lines.push(`  trace (${r.traceFile}): ${r.breakdown.wall.count} ticks, profiler every ${ms(r.breakdown.sampleUs, 0)} µs; main thread: ${shares(r.breakdown.mainThread, 4)}`)
      lines.push(groupLine('slowest 10 % of ticks (the p95)', r.breakdown.slowest))
      lines.push(groupLine('all ticks', r.breakdown.all))
      lines.push(groupLine('socket messages (decode, fold into the stream mirrors)', r.breakdown.sockets))
      lines.push(groupLine('rendering frames (MapLibre and ECharts drawing, style, layout, paint)', r.breakdown.frames))
    }
    else {
      lines.push('  trace: the UI tick timer was not found in the trace')
    }
  }
  return lines.join('\n')
}

function heapGrowthLine(g: NonNullable<SoakResult['heapGrowth']>): string {
  const signed = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${kb(bytes)} KB`
  const perHour = (bytes: number, hours: number): string => `${bytes >= 0 ? '+' : ''}${fmt(bytes / 2 ** 20 / hours, 2)} MB/h`
  const simH = (g.toSimMin - g.fromSimMin) / 60
  const realH = (g.toRealS - g.fromRealS) / 3600
  return [
    `heap snapshots, sim minute ${fmt(g.fromSimMin, 0)} → ${fmt(g.toSimMin, 0)}: ${signed(g.totalBytes)} in all; the page's own data ${signed(g.pageDataBytes)} (${perHour(g.pageDataBytes, simH)} simulated, ${perHour(g.pageDataBytes, realH)} real), without V8's compiled code, the performance-timeline buffers and DevTools' network records`,
    `  grew most: ${g.top.filter(x => x.bytes > 0).map(x => `${x.name} +${kb(x.bytes)} KB (${x.count >= 0 ? '+' : ''}${fmt(x.count)})`).join(', ')}`,
  ].join('\n')
}

export function soakReport(s: SoakResult): string {
  const MB = 1024 * 1024
  const rows = s.samples.map((x, i) => [
    `${i}${i < s.warmupSamples ? ' (warm-up)' : ''}`,
    fmt(x.simMin, 0),
    fmt(x.realS, 0),
    x.scene,
    fmt(x.jsHeapUsed / MB, 2),
    fmt(x.nodes),
    fmt(x.jsEventListeners),
    fmt(x.rendererRss / MB, 0),
    ms(x.tickP95, 2),
    fmt(x.loafOver100),
    fmt(x.changesPerSecond),
  ])
  const fit = (f: { slope: number, r2: number, points: number }): string => `${Number.isFinite(f.slope) ? (f.slope >= 0 ? '+' : '') + fmt(f.slope, 2) : '–'} MB/h (r² ${ms(f.r2, 2)}, ${f.points} samples)`
  const r = s.reconnect
  return [
    `C-4 JS heap after forced GC over ${fmt(s.simMinutes, 0)} simulated minutes in ${fmt(s.realMinutes, 1)} real minutes (simulator ${s.speed}×, the traffic feed at its reference rate, the page took ${fmt(s.changesPerSecond)} changes/s); before each sample the wall stepped through its ${s.stepsPerSample} scenes back to the overview (${s.steps} scene changes in all)`,
    table(['sample', 'sim min', 'real s', 'scene', 'heap MB', 'DOM nodes', 'listeners', 'renderer MB', 'tick p95 ms', 'LoAF >100', 'changes/s'], rows),
    '',
    `heap growth per simulated hour: ${fit(s.heapPerSimHour)}; per real hour: ${fit(s.heapPerRealHour)} — target < ${TARGETS.heapMbPerHour} MB/h: ${verdict(s.heapPerRealHour.slope < TARGETS.heapMbPerHour && s.heapPerSimHour.slope < TARGETS.heapMbPerHour)}`,
    `after the warm-up: DOM nodes ${fmt(s.nodes.min)}–${fmt(s.nodes.max)}, JS event listeners ${fmt(s.listeners.min)}–${fmt(s.listeners.max)}; "Too many active WebGL contexts" warnings: ${s.webglWarnings}`,
    `reconnect half-way: ${r.droppedConnections} connection(s) cut, first stream event ${ms(r.msToFirstEvent, 0)} ms later; listeners ${fmt(r.listenersBefore)} before → ${fmt(r.listenersAfter)} after, DOM nodes ${fmt(r.nodesBefore)} → ${fmt(r.nodesAfter)}`,
    s.heapGrowth ? heapGrowthLine(s.heapGrowth) : 'heap snapshots: none (the soak ended inside its warm-up)',
    `ticks after the warm-up (scene steps included): p95 ${ms(s.ticks.p95, 2)} ms, max ${ms(s.ticks.max, 1)} ms; ${s.loafOver100} long frames over ${TARGETS.loafMaxMs} ms, ${s.loafOver100Blocking} of them blocked by the main thread's own long tasks`,
    cpuLine(s.cpu, loadavg()),
  ].join('\n')
}
