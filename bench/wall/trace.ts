/**
 * What a UI tick spends its time on, from a Chromium trace of the wall
 * (devtools.timeline, toplevel and the V8 sampling profiler at high
 * resolution): each tick is the task in which the 250 ms UI timer fired,
 * its wall and CPU time come from the task, and the profiler's samples that
 * fall inside it say which code ran, by package (the build names its
 * vendor chunks: maplibre, echarts, vue…) and by function.
 */
import { distribution } from './stats'
import type { Distribution } from './stats'

interface CallFrame { functionName: string, url?: string, lineNumber?: number, columnNumber?: number }
interface ProfileNode { id: number, parent?: number, callFrame: CallFrame }
export interface TraceEvent {
  name: string
  cat?: string
  ph: string
  ts: number
  dur?: number
  /** Thread CPU time of an X event, µs. */
  tdur?: number
  pid: number
  tid: number
  id?: string
  args?: {
    name?: string
    data?: {
      timerId?: number
      startTime?: number
      cpuProfile?: { nodes?: ProfileNode[], samples?: number[] }
      timeDeltas?: number[]
    }
  }
}

export interface Share { name: string, ms: number, share: number }

export interface TickGroup {
  ticks: number
  /** Mean per tick, ms. */
  wallMs: number
  cpuMs: number
  /** Browser work inside the ticks (style, layout, GC), mean ms per tick; the rest is script and what script calls. */
  events: Share[]
  /** Profiler samples inside the ticks by package, mean ms per tick. */
  packages: Share[]
  /** The functions with the most self time inside the ticks, mean ms per tick. */
  functions: Share[]
}

export interface TickBreakdown {
  /** The UI timer was found, and the ticks it fired. */
  found: boolean
  wall: Distribution
  cpu: Distribution
  /** Median time between profiler samples, µs. */
  sampleUs: number
  all: TickGroup
  /** The ticks at or above the 90th percentile of wall time: what the p95 is made of. */
  slowest: TickGroup
  /** Tasks that took socket messages (decode, the stream mirrors' fold), and rendering frames (MapLibre's and ECharts' drawing): the main thread's other big jobs. */
  sockets: TickGroup
  frames: TickGroup
  /** Share of the main thread's trace window spent in ticks, in rendering frames and in socket messages. */
  mainThread: Share[]
}

/** The renderer main thread that fires a 250 ms repeating timer: the wall's. */
function wallThread(events: readonly TraceEvent[], periodMs: number): { pid: number, tid: number, timerId: number } | undefined {
  const mains = new Set(events
    .filter(e => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map(e => `${e.pid}:${e.tid}`))
  const fires = new Map<string, number[]>()
  for (const e of events) {
    const timerId = e.args?.data?.timerId
    if (e.name !== 'TimerFire' || timerId === undefined || !mains.has(`${e.pid}:${e.tid}`))
      continue
    const key = `${e.pid}:${e.tid}:${timerId}`
    fires.set(key, [...(fires.get(key) ?? []), e.ts])
  }
  let best: { pid: number, tid: number, timerId: number, count: number } | undefined
  for (const [key, times] of fires) {
    const gaps = times.slice(1).map((t, i) => (t - (times[i] as number)) / 1000).sort((a, b) => a - b)
    const median = gaps[Math.floor(gaps.length / 2)]
    if (median === undefined || Math.abs(median - periodMs) > periodMs * 0.2)
      continue
    const [pid, tid, timerId] = key.split(':').map(Number) as [number, number, number]
    if (!best || times.length > best.count)
      best = { pid, tid, timerId, count: times.length }
  }
  return best
}

/** `https://host/assets/maplibre-CZY4r9U1.js` → `maplibre`; our own chunks → `app`. */
export function packageOfUrl(url: string): string {
  const file = url.split('/').pop() ?? ''
  const name = /^(.+)-[\w-]{8}\.m?js$/.exec(file)?.[1]
  if (!name)
    return url ? 'other script' : ''
  const vendor = ['maplibre', 'echarts', 'vue', 'zod', 'socket'].find(v => name === v || name.startsWith(`${v}-gl`))
  return vendor ?? 'app'
}

const SPECIAL: Record<string, string> = {
  '(garbage collector)': 'GC',
  '(program)': 'browser (native)',
  '(idle)': 'idle',
  '(root)': 'browser (native)',
}

interface Sample { t: number, weight: number, node: number }

/** The main thread's profiler samples with their times and weights (µs), and the call tree. */
function samplesOf(events: readonly TraceEvent[], pid: number, tid: number): { samples: Sample[], nodes: Map<number, ProfileNode>, medianUs: number } {
  const profile = events.find(e => e.name === 'Profile' && e.pid === pid && e.tid === tid)
  const nodes = new Map<number, ProfileNode>()
  const raw: { t: number, node: number }[] = []
  if (!profile?.id)
    return { samples: [], nodes, medianUs: Number.NaN }
  let t = profile.args?.data?.startTime ?? profile.ts
  const chunks = events.filter(e => e.name === 'ProfileChunk' && e.pid === pid && e.id === profile.id).sort((a, b) => a.ts - b.ts)
  for (const chunk of chunks) {
    const data = chunk.args?.data
    for (const node of data?.cpuProfile?.nodes ?? [])
      nodes.set(node.id, node)
    const ids = data?.cpuProfile?.samples ?? []
    const deltas = data?.timeDeltas ?? []
    ids.forEach((node, i) => {
      t += deltas[i] ?? 0
      raw.push({ t, node })
    })
  }
  raw.sort((a, b) => a.t - b.t)
  const gaps = raw.slice(1).map((s, i) => s.t - (raw[i] as { t: number }).t).sort((a, b) => a - b)
  const medianUs = gaps[Math.floor(gaps.length / 2)] ?? Number.NaN
  const samples = raw.map((s, i) => ({ ...s, weight: Math.min((raw[i + 1]?.t ?? s.t + medianUs) - s.t, 4 * medianUs) }))
  return { samples, nodes, medianUs }
}

function frameLabel(frame: CallFrame): string {
  const file = (frame.url ?? '').split('/').pop() ?? ''
  return `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.columnNumber ?? 0}` : ''}`.trim()
}

/** A sample's package: its own script's, else the nearest caller's with a script (a builtin called from maplibre is maplibre's). */
function packageOfNode(nodes: Map<number, ProfileNode>, id: number): string {
  const leaf = nodes.get(id)
  const special = leaf && SPECIAL[leaf.callFrame.functionName]
  if (special)
    return special
  for (let node = leaf; node; node = node.parent === undefined ? undefined : nodes.get(node.parent)) {
    const pkg = packageOfUrl(node.callFrame.url ?? '')
    if (pkg)
      return pkg
  }
  return 'browser (native)'
}

function shares(totals: Map<string, number>, ticks: number, limit = 12): Share[] {
  const sum = [...totals.values()].reduce((a, b) => a + b, 0)
  return [...totals.entries()]
    .map(([name, us]) => ({ name, ms: us / 1000 / Math.max(1, ticks), share: sum > 0 ? us / sum : 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit)
}

const BROWSER_WORK: Record<string, string> = {
  UpdateLayoutTree: 'style',
  Layout: 'layout',
  MinorGC: 'GC',
  MajorGC: 'GC',
  ParseHTML: 'parse HTML',
  Paint: 'paint',
}

interface TickTask { ts: number, end: number, dur: number, tdur: number }

function group(ticks: readonly TickTask[], main: readonly TraceEvent[], samples: readonly Sample[], nodes: Map<number, ProfileNode>): TickGroup {
  const events = new Map<string, number>()
  const packages = new Map<string, number>()
  const functions = new Map<string, number>()
  const inTick = (ts: number): boolean => ticks.some(t => ts >= t.ts && ts < t.end)
  for (const e of main) {
    const kind = BROWSER_WORK[e.name]
    if (kind && e.ph === 'X' && inTick(e.ts))
      events.set(kind, (events.get(kind) ?? 0) + (e.dur ?? 0))
  }
  for (const s of samples) {
    if (!inTick(s.t))
      continue
    const pkg = packageOfNode(nodes, s.node)
    packages.set(pkg, (packages.get(pkg) ?? 0) + s.weight)
    const frame = nodes.get(s.node)?.callFrame
    if (frame && !SPECIAL[frame.functionName])
      functions.set(frameLabel(frame), (functions.get(frameLabel(frame)) ?? 0) + s.weight)
  }
  const n = Math.max(1, ticks.length)
  return {
    ticks: ticks.length,
    wallMs: ticks.reduce((a, t) => a + t.dur, 0) / 1000 / n,
    cpuMs: ticks.reduce((a, t) => a + t.tdur, 0) / 1000 / n,
    events: shares(events, ticks.length),
    packages: shares(packages, ticks.length),
    functions: shares(functions, ticks.length, 10),
  }
}

/** Kinds of main-thread task, the first that applies winning. */
const TASK_KINDS = ['UI ticks', 'rendering frames', 'socket messages', 'worker messages', 'other tasks'] as const
type TaskKind = (typeof TASK_KINDS)[number]
/** The trace event inside a task that says what it was for. */
const MARKS: Record<string, TaskKind> = {
  FireAnimationFrame: 'rendering frames',
  UpdateLayoutTree: 'rendering frames',
  Paint: 'rendering frames',
  WebSocketReceive: 'socket messages',
  // MapLibre's workers answering with tiles.
  HandlePostMessage: 'worker messages',
}

/** What a main-thread task was for, by what happened inside it. */
function classify(main: readonly TraceEvent[], tasks: readonly TraceEvent[], tickStarts: ReadonlySet<number>): Map<TraceEvent, TaskKind> {
  const marks = main.filter(e => MARKS[e.name] !== undefined)
  const rank = (k: TaskKind): number => TASK_KINDS.indexOf(k)
  const kinds = new Map<TraceEvent, TaskKind>()
  let m = 0
  for (const task of [...tasks].sort((a, b) => a.ts - b.ts)) {
    const end = task.ts + (task.dur ?? 0)
    while (m < marks.length && (marks[m] as TraceEvent).ts < task.ts)
      m++
    let kind: TaskKind = tickStarts.has(task.ts) ? 'UI ticks' : 'other tasks'
    for (let k = m; k < marks.length && (marks[k] as TraceEvent).ts < end; k++) {
      const marked = MARKS[(marks[k] as TraceEvent).name] as TaskKind
      if (rank(marked) < rank(kind))
        kind = marked
    }
    kinds.set(task, kind)
  }
  return kinds
}

/** Wall-time shares of the main thread over the trace: ticks, animation frames, socket messages, the rest. */
function mainThreadShares(kinds: ReadonlyMap<TraceEvent, TaskKind>): Share[] {
  const tasks = [...kinds.keys()]
  const first = tasks.reduce((m, t) => Math.min(m, t.ts), Number.POSITIVE_INFINITY)
  const last = tasks.reduce((m, t) => Math.max(m, t.ts + (t.dur ?? 0)), first)
  const totals = new Map<string, number>()
  for (const [task, kind] of kinds)
    totals.set(kind, (totals.get(kind) ?? 0) + (task.dur ?? 0))
  const window = Math.max(1, last - first)
  return [...totals.entries()].map(([name, us]) => ({ name, ms: us / 1000, share: us / window })).sort((a, b) => b.ms - a.ms)
}

const asTickTask = (t: TraceEvent): TickTask => ({ ts: t.ts, end: t.ts + (t.dur ?? 0), dur: t.dur ?? 0, tdur: t.tdur ?? t.dur ?? 0 })

export function tickBreakdown(events: readonly TraceEvent[], periodMs = 250): TickBreakdown {
  const empty: TickGroup = { ticks: 0, wallMs: Number.NaN, cpuMs: Number.NaN, events: [], packages: [], functions: [] }
  const wall = wallThread(events, periodMs)
  if (!wall)
    return { found: false, wall: distribution([]), cpu: distribution([]), sampleUs: Number.NaN, all: empty, slowest: empty, sockets: empty, frames: empty, mainThread: [] }
  const main = events.filter(e => e.pid === wall.pid && e.tid === wall.tid).sort((a, b) => a.ts - b.ts)
  // The task in which tracing started the profiler is the trace's own cost, not the wall's.
  const profilerStarts = main.filter(e => e.name === 'CpuProfiler::StartProfiling')
  const tasks = main.filter(e => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask'
    && !profilerStarts.some(p => p.ts >= e.ts && p.ts < e.ts + (e.dur ?? 0)))
  const ticks: TickTask[] = []
  for (const fire of main.filter(e => e.name === 'TimerFire' && e.args?.data?.timerId === wall.timerId)) {
    // The innermost task around the timer (toplevel tasks nest when a task runs a nested loop).
    const task = tasks
      .filter(t => t.ts <= fire.ts && t.ts + (t.dur ?? 0) >= fire.ts + (fire.dur ?? 0))
      .sort((a, b) => (a.dur ?? 0) - (b.dur ?? 0))[0]
    if (task)
      ticks.push({ ts: task.ts, end: task.ts + (task.dur ?? 0), dur: task.dur ?? 0, tdur: task.tdur ?? task.dur ?? 0 })
  }
  const { samples, nodes, medianUs } = samplesOf(events, wall.pid, wall.tid)
  const durations = ticks.map(t => t.dur / 1000)
  const p90 = [...durations].sort((a, b) => a - b)[Math.floor(durations.length * 0.9)] ?? Number.POSITIVE_INFINITY
  const kinds = classify(main, tasks, new Set(ticks.map(t => t.ts)))
  const ofKind = (kind: TaskKind): TickTask[] => [...kinds].filter(([, k]) => k === kind).map(([t]) => asTickTask(t))
  return {
    found: true,
    wall: distribution(durations),
    cpu: distribution(ticks.map(t => t.tdur / 1000)),
    sampleUs: medianUs,
    all: group(ticks, main, samples, nodes),
    slowest: group(ticks.filter(t => t.dur / 1000 >= p90), main, samples, nodes),
    sockets: group(ofKind('socket messages'), main, samples, nodes),
    frames: group(ofKind('rendering frames'), main, samples, nodes),
    mainThread: mainThreadShares(kinds),
  }
}

/** Chromium writes either `{ traceEvents: [...] }` or a bare array. */
export function parseTrace(buffer: Buffer): TraceEvent[] {
  const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[]
  return Array.isArray(parsed) ? parsed : parsed.traceEvents ?? []
}

/** The trace categories tickBreakdown reads. */
export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'toplevel',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
  'disabled-by-default-v8.cpu_profiler.hires',
]
