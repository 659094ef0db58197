/**
 * `npm run bench:transport`: the realtime transport under load (issue 4;
 * performance.md §8.1 S-2 to S-5). The server runs in a child process on
 * CPU 0, the clients in this process on CPU 1.
 *
 *   (1) payloads: the wall's events captured from the running server, their
 *       size and their encode/decode cost as JSON and as msgpack (S-4);
 *   (2) fan-out: N walls at ≈ 4 messages/s each, per codec, then the same
 *       bytes at the same times over a plain `ws` server to N plain clients;
 *   (2b) codecs on the same frames: (1)'s events broadcast again by bare
 *       socket.io servers, JSON and msgpack, and as raw ws, in alternating
 *       rounds: the transport's CPU per frame without the simulator's noise;
 *   (3) latency: client receive time − the event's `ingestedAt` (when its
 *       oldest input reached the server), at nominal and 10× feed rates,
 *       with the tick and without it;
 *   (4) reconnect storm: SIGKILL the server under N walls, start a new one
 *       on the same port and the same SQLite file, time until every wall
 *       holds a fresh answer for every stream; the server run as `npm start`
 *       runs it (one file bundled by esbuild, server/launch.mjs) and through
 *       tsx's loader for comparison.
 *
 * Windows and client counts are fixed, so that runs compare; the whole run
 * takes about nine minutes. BENCH_SECTIONS picks sections (payloads, fanout,
 * codecs, latency, storms), BENCH_CLIENTS the fan-out's wall counts
 * (100,1000), BENCH_CODECS its codecs (json,msgpack), BENCH_STORM_CLIENTS
 * the storm's (1000), BENCH_STORM_RUNS its bundled runs (3).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { AnyStreamEvent } from '@shared/realtime/events'
import type { StreamName } from '@shared/realtime/streams'
import { fmt, percentile, table } from './lib'
import type { Codec } from './transport.codec'
import { CODECS, codecCosts, frameBytes, wireFrame } from './transport.codec'
import type { Counters, Runtime, ServerChild, WallClient } from './transport.clients'
import { buildServerBundle, closeWalls, connectListeners, connectRaw, connectWalls, HAS_TASKSET, pinSelf, startServerChild, WALL_STREAMS } from './transport.clients'
import type { Frame, ServerOptions, TimedEvent } from './transport-server'

const FANOUT_CLIENTS = (process.env.BENCH_CLIENTS ?? '100,1000').split(',').map(Number)
const FANOUT_CODECS = (process.env.BENCH_CODECS ?? CODECS.join(',')).split(',') as Codec[]
const FANOUT_WINDOW_MS = 10_000
const CAPTURE_MS = 10_000
const LATENCY_CLIENTS = 20
/** Long enough for this many feed rounds: a round's events all arrive together, so fewer rounds make a p99 of one or two. */
const LATENCY_ROUNDS = 6
const LATENCY_MIN_WINDOW_MS = 10_000
/**
 * Feed rounds before latency is measured: the first rounds after a start run
 * on cold code (a traffic round's checks take ≈ 200 ms instead of 10–50 ms
 * until V8 has optimised them), which is not the nominal state of a server
 * that runs for weeks. The 'cold' row measures from 3 s after the start.
 */
const LATENCY_WARMUP_ROUNDS = 3
const STORM_CLIENTS = Number(process.env.BENCH_STORM_CLIENTS ?? 1000)
const STORM_LIMIT_MS = 60_000
/** Storms with the server as npm start runs it (bundled): the walls' random back-off makes each run differ. */
const STORM_RUNS = Number(process.env.BENCH_STORM_RUNS ?? 3)
/** Time for a fresh server to fill its live state before anything is measured. */
const WARMUP_MS = 3000
/** The codec both sides use by default (server/realtime/gateway.ts, client/realtime/socket.ts). */
const DEFAULT_CODEC: Codec = 'msgpack'

type Load = Omit<ServerOptions, 'port' | 'codec' | 'dbDir'>
/** The feeds at their default rounds (every 5 s), an hour of city life per minute so that 12345 orders arrive every second. */
const NOMINAL: Load = { tickMs: 250, simSpeed: 60, intervalMs: 5000 }
/**
 * S-2's stress point: air, traffic and halls every second beside the 12345
 * orders, KPIs and feed health, ≈ 4 messages/s per wall. Each stream's event
 * is its own frame, so a feed round every tick would be ≈ 13 frames/s.
 */
const WALL_LOAD: Load = { ...NOMINAL, intervalMs: 1000 }
const TARGET_CPU_SHARE = 0.6
const TARGET_STORM_MS = 10_000

/** Rows as they come, on stderr, so that a long run shows where it is. */
const progress = (row: readonly string[] | undefined): void => void process.stderr.write(`  … ${row?.join(' | ') ?? ''}\n`)
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000
const pct = (share: number): string => `${fmt(100 * share, 1)} %`
const kb = (bytes: number): string => fmt(bytes / 1024, 1)
const load = (): string => loadavg().map(l => fmt(l, 2)).join(' ')
const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(new URL(`../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')) as { version: string }).version

function header(): void {
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB; Node ${process.version}; socket.io ${versionOf('socket.io')} (ws engine, no deflate); socket.io-msgpack-parser ${versionOf('socket.io-msgpack-parser')}; ws ${versionOf('ws')}`)
  console.log(`Pinning: ${HAS_TASKSET ? 'server child on CPU 0, clients (this process) on CPU 1 (taskset)' : 'none (no taskset)'}; load average at start ${load()}`)
  console.log(`Server: simulator at speed ${NOMINAL.simSpeed}, tick ${NOMINAL.tickMs} ms, SQLite in a temp dir; run through tsx except in the storms, which also run it bundled as npm start does\n`)
}

/** A server child on its own SQLite folder; the folder goes when `fn` is done. */
async function withServer<T>(opts: Omit<ServerOptions, 'port' | 'dbDir'>, fn: (server: ServerChild) => Promise<T>): Promise<T> {
  const dbDir = mkdtempSync(join(tmpdir(), 'ioc-transport-'))
  const server = await startServerChild({ port: 0, dbDir, ...opts })
  try {
    return await fn(server)
  }
  finally {
    await server.kill()
    rmSync(dbDir, { recursive: true, force: true })
  }
}

interface Usage {
  serverMs: number
  genMs: number
  /** The window as the server measured it, between its two answers. */
  ms: number
  /** Event-loop utilisation of the server over the window, 0–1. */
  elu: number
  rss: number
}

/**
 * Server and generator CPU over a window. The window is timed by the server
 * between its two answers, so a server slow to answer (saturated) does not
 * inflate its share; `atEnd` runs when the window closes, before the second
 * answer is awaited, to read the clients' counters at that instant.
 */
async function measure(server: ServerChild, window: number | (() => Promise<void>), atEnd: () => void = () => {}): Promise<Usage> {
  const before = await server.ask({ type: 'usage' }, 'usage')
  const gen = process.cpuUsage()
  await (typeof window === 'number' ? sleep(window) : window())
  atEnd()
  const genMs = cpuMs(process.cpuUsage(gen))
  const after = await server.ask({ type: 'usage' }, 'usage')
  const ms = after.at - before.at
  const elu = performance.eventLoopUtilization(after.elu, before.elu).utilization
  return { serverMs: cpuMs(after.cpu) - cpuMs(before.cpu), genMs, ms, elu, rss: after.rss }
}

// (1) Payloads ----------------------------------------------------------------

/** Events captured by (1), with their offsets, for the codec comparison of (2b). */
let captured: TimedEvent[] = []

async function payloads(): Promise<void> {
  console.log(`(1) Payloads: one wall's events over ${CAPTURE_MS / 1000} s at the wall load (feeds every ${WALL_LOAD.intervalMs} ms), as JSON and as msgpack`)
  const events = await withServer({ ...WALL_LOAD, codec: 'json' }, async (server) => {
    await sleep(WARMUP_MS)
    const timed: TimedEvent[] = []
    let openedAt = 0
    const walls = await connectWalls(`http://127.0.0.1:${server.port}`, 1, {
      displayToken: server.displayToken,
      reconnection: false,
      codec: 'json',
      decode: 'each',
      counters: { messages: 0, bytes: 0 },
      onEvent: (event, at) => void (openedAt && timed.push({ t: at - openedAt, event })),
    })
    openedAt = Date.now()
    await sleep(CAPTURE_MS)
    openedAt = 0
    closeWalls(walls)
    captured = timed
    return timed.map(e => e.event)
  })
  const costs = codecCosts(events)
  const cost = (stream: StreamName, codec: Codec): { bytes: number, encodeUs: number, decodeUs: number } =>
    costs.find(c => c.stream === stream && c.codec === codec) ?? { bytes: 0, encodeUs: 0, decodeUs: 0 }
  const streams = WALL_STREAMS.filter(s => events.some(e => e.stream === s))
  const perSec = (s: StreamName): number => events.filter(e => e.stream === s).length / (CAPTURE_MS / 1000)
  const change = (after: number, before: number): string => `${after <= before ? '−' : '+'}${fmt((100 * Math.abs(before - after)) / before, 0)} %`
  const rows = streams.map((s) => {
    const j = cost(s, 'json')
    const m = cost(s, 'msgpack')
    return [s, fmt(perSec(s), 1), fmt(j.bytes), fmt(m.bytes), change(m.bytes, j.bytes), fmt(j.encodeUs, 1), fmt(m.encodeUs, 1), fmt(j.decodeUs, 1), fmt(m.decodeUs, 1)]
  })
  const total = (codec: Codec, key: 'bytes' | 'encodeUs' | 'decodeUs'): number => streams.reduce((sum, s) => sum + perSec(s) * cost(s, codec)[key], 0)
  const t = (codec: Codec): [number, number, number] => [total(codec, 'bytes'), total(codec, 'encodeUs'), total(codec, 'decodeUs')]
  const [jb, je, jd] = t('json')
  const [mb, me, md] = t('msgpack')
  rows.push(['per wall per second', fmt(streams.reduce((n, s) => n + perSec(s), 0), 1), fmt(jb), fmt(mb), change(mb, jb), fmt(je, 0), fmt(me, 0), fmt(jd, 0), fmt(md, 0)])
  console.log(table(['stream', 'events/s', 'JSON bytes', 'msgpack bytes', 'msgpack Δ', 'JSON enc µs', 'msgpack enc µs', 'JSON dec µs', 'msgpack dec µs'], rows))
  const traffic = events.filter((e): e is AnyStreamEvent & { stream: 'traffic' } => e.stream === 'traffic')
  if (traffic.length > 0) {
    const segments = traffic.reduce((n, e) => n + e.data.segments.length, 0) / traffic.length
    const bytes = traffic.reduce((n, e) => n + frameBytes(wireFrame('json', e)), 0) / traffic.length
    console.log(`Traffic: ${fmt(segments)} segments per event on average (those whose whole km/h or grade changed in a round), ${kb(bytes)} KB per event as JSON.`)
  }
  console.log('Bytes: the WebSocket message. Encode: once per broadcast on the server; decode: on every client. Per wall per second: weighted by the events/s column.')
  console.log('Rule (S-4): msgpack is worth it only if it cuts server CPU per frame or bytes on the wire by ≥ 20 %; the fan-out below measures the CPU.\n')
}

// (2) Fan-out -----------------------------------------------------------------

interface FanoutResult { codec: Codec, clients: number, frames: number, bytesPerClientSec: number, usage: Usage }

function fanoutRow(codec: Codec, transport: string, n: number, counters: Counters, u: Usage): string[] {
  const perClientSec = (x: number): number => x / n / (u.ms / 1000)
  return [codec, transport, fmt(n), fmt(perClientSec(counters.messages), 2), kb(perClientSec(counters.bytes)), fmt(counters.messages / (u.ms / 1000)), pct(u.serverMs / u.ms), pct(u.elu), fmt((1000 * u.serverMs) / Math.max(counters.messages, 1), 1), pct(u.genMs / u.ms), fmt(u.rss / 2 ** 20)]
}

async function fanoutCodec(codec: Codec, rows: string[][], results: FanoutResult[]): Promise<void> {
  await withServer({ ...WALL_LOAD, codec }, async (server) => {
    await sleep(WARMUP_MS)
    const idle = await measure(server, FANOUT_WINDOW_MS / 2)
    rows.push([codec, '(no clients)', '0', '', '', '', pct(idle.serverMs / idle.ms), pct(idle.elu), '', pct(idle.genMs / idle.ms), fmt(idle.rss / 2 ** 20)])
    for (const n of FANOUT_CLIENTS) {
      const counters: Counters = { messages: 0, bytes: 0 }
      const frames: Frame[] = []
      const seen = new Set<string>()
      let recording = 0
      const walls = await connectWalls(`http://127.0.0.1:${server.port}`, n, {
        displayToken: server.displayToken,
        reconnection: false,
        codec,
        decode: 'once',
        counters,
        // Each event once (the first wall to receive it), for the raw ws replay.
        onEvent: (event, at) => {
          const key = `${event.stream}:${event.seq}`
          if (recording && at - recording <= FANOUT_WINDOW_MS && !seen.has(key)) {
            seen.add(key)
            frames.push({ t: at - recording, payload: wireFrame(codec, event) })
          }
        },
      })
      await sleep(1000)
      Object.assign(counters, { messages: 0, bytes: 0 })
      recording = Date.now()
      const onFirst = walls[0]?.socket.listeners('stream:published').length ?? 0
      const received: Counters = { messages: 0, bytes: 0 }
      const sio = await measure(server, FANOUT_WINDOW_MS, () => Object.assign(received, counters))
      rows.push(fanoutRow(codec, 'socket.io', n, received, sio))
      results.push({ codec, clients: n, frames: received.messages, bytesPerClientSec: received.bytes / n / (sio.ms / 1000), usage: sio })
      progress(rows.at(-1))
      closeWalls(walls)
      if (onFirst !== 1)
        console.warn(`  ! a wall holds ${onFirst} stream listeners`)

      const raw: Counters = { messages: 0, bytes: 0 }
      const sockets = await connectRaw(`ws://127.0.0.1:${server.wsPort}`, n, raw)
      await sleep(500)
      const rawReceived: Counters = { messages: 0, bytes: 0 }
      const ws = await measure(server, () => server.ask({ type: 'replay', target: 'ws', frames }, 'replayed').then(() => sleep(200)), () => Object.assign(rawReceived, raw))
      rows.push(fanoutRow(codec, 'raw ws', n, rawReceived, ws))
      progress(rows.at(-1))
      for (const s of sockets)
        s.terminate()
      await sleep(500)
    }
  })
}

async function fanout(): Promise<void> {
  console.log(`(2) Fan-out at the wall load (feeds every ${WALL_LOAD.intervalMs} ms): every wall subscribes to ${WALL_STREAMS.join(', ')}; the walls decode each distinct event once between them, so that one core of generator keeps up (per-client decode cost: (1))`)
  const rows: string[][] = []
  const results: FanoutResult[] = []
  for (const codec of FANOUT_CODECS)
    await fanoutCodec(codec, rows, results)
  console.log(table(['codec', 'transport', 'clients', 'msg/s per client', 'KB/s per client', 'frames/s', 'server CPU', 'server ELU', 'server µs/frame', 'generator CPU', 'server RSS MB'], rows))
  console.log(`Window ${FANOUT_WINDOW_MS / 1000} s per row (no-clients row: ${FANOUT_WINDOW_MS / 2000} s); CPU is a share of one core and includes the simulator and ingest (see the no-clients row); bytes are WebSocket messages. The raw ws rows send the socket.io window's frames, byte for byte, at the recorded times. Load average now ${load()}.`)
  const top = Math.max(...FANOUT_CLIENTS)
  const at = (codec: Codec): FanoutResult | undefined => results.find(r => r.codec === codec && r.clients === top)
  const json = at('json')
  const msgpack = at('msgpack')
  if (json && msgpack) {
    const perFrame = (r: FanoutResult): number => r.usage.serverMs / Math.max(r.frames, 1)
    const cpuCut = 1 - perFrame(msgpack) / perFrame(json)
    const bytesCut = 1 - msgpack.bytesPerClientSec / json.bytesPerClientSec
    const winner = cpuCut >= 0.2 || bytesCut >= 0.2 ? 'msgpack' : 'json'
    console.log(`S-4 at ${fmt(top)} walls: msgpack ${cpuCut >= 0 ? 'cuts' : 'adds'} server CPU per frame by ${pct(Math.abs(cpuCut))} and ${bytesCut >= 0 ? 'cuts' : 'adds'} bytes per wall by ${pct(Math.abs(bytesCut))}: keep ${winner} (rule: ≥ 20 % on either). Default now: ${DEFAULT_CODEC}.`)
  }
  for (const codec of CODECS) {
    const r = at(codec)
    if (r)
      console.log(`Target (issue 4): 1,000 walls at 4 msgs/s within ${pct(TARGET_CPU_SHARE)} of one core — ${codec}: ${fmt(r.clients)} walls at ${fmt(r.frames / r.clients / (r.usage.ms / 1000), 2)} msgs/s, server ${pct(r.usage.serverMs / r.usage.ms)}: ${r.usage.serverMs / r.usage.ms <= TARGET_CPU_SHARE ? 'met' : 'MISSED'}`)
  }
  console.log('')
}

// (2b) Codecs on the same frames ---------------------------------------------

const AB_ROUNDS = 3

/**
 * The captured events broadcast again, at their recorded times, by bare
 * socket.io servers (JSON, msgpack) and as the same bytes over raw ws, to
 * the same number of clients, in alternating rounds: the transport's CPU per
 * frame with each codec, without the simulator and ingest around it.
 */
async function codecsOnSameFrames(): Promise<void> {
  if (captured.length === 0)
    await payloads()
  const n = Math.max(...FANOUT_CLIENTS)
  console.log(`(2b) Codecs on the same frames: the ${fmt(captured.length)} events of (1) broadcast again at their times to ${fmt(n)} clients by a bare socket.io server per codec, and as the same bytes over raw ws; ${AB_ROUNDS} alternating rounds, median shown`)
  type Target = Codec | `ws ${Codec}`
  const targets: Target[] = [...CODECS, ...CODECS.map(c => `ws ${c}` as const)]
  const samples = new Map<Target, { usage: Usage, counters: Counters }[]>()
  await withServer({ ...NOMINAL, codec: DEFAULT_CODEC, bare: true }, async (server) => {
    const counters = new Map<Target, Counters>(targets.map(t => [t, { messages: 0, bytes: 0 }]))
    const listeners = await Promise.all(CODECS.map(codec => connectListeners(`http://127.0.0.1:${server.ioPorts[codec]}`, n, codec, counters.get(codec) as Counters)))
    const raws = await Promise.all(CODECS.map(codec => connectRaw(`ws://127.0.0.1:${server.wsPort}/${codec}`, n, counters.get(`ws ${codec}`) as Counters)))
    await sleep(1000)
    for (let round = 0; round < AB_ROUNDS; round++) {
      for (const target of targets) {
        const c = counters.get(target) as Counters
        Object.assign(c, { messages: 0, bytes: 0 })
        const received: Counters = { messages: 0, bytes: 0 }
        const play = target.startsWith('ws ')
          ? () => server.ask({ type: 'replay', target: 'ws', path: `/${target.slice(3)}`, frames: captured.map(({ t, event }) => ({ t, payload: wireFrame(target.slice(3) as Codec, event) })) }, 'replayed')
          : () => server.ask({ type: 'replay', target: target as Codec, events: captured }, 'replayed')
        const usage = await measure(server, () => play().then(() => sleep(200)), () => Object.assign(received, c))
        samples.set(target, [...(samples.get(target) ?? []), { usage, counters: received }])
      }
      progress([`round ${round + 1} of ${AB_ROUNDS}`])
    }
    for (const s of listeners.flat())
      s.disconnect()
    for (const s of raws.flat())
      s.terminate()
  })
  const median = (target: Target): { usage: Usage, counters: Counters } => {
    const list = [...(samples.get(target) ?? [])].sort((a, b) => perFrame(a) - perFrame(b))
    return list[Math.floor(list.length / 2)] as { usage: Usage, counters: Counters }
  }
  const perFrame = (x: { usage: Usage, counters: Counters }): number => (1000 * x.usage.serverMs) / Math.max(x.counters.messages, 1)
  const rows = targets.map((target) => {
    const m = median(target)
    const all = (samples.get(target) ?? []).map(perFrame).sort((a, b) => a - b)
    return [target.startsWith('ws ') ? `raw ws, ${target.slice(3)} bytes` : `socket.io, ${target}`, fmt(m.counters.messages / (m.usage.ms / 1000)), kb(m.counters.bytes / n / (m.usage.ms / 1000)), pct(m.usage.serverMs / m.usage.ms), fmt(perFrame(m), 1), all.map(x => fmt(x, 1)).join(' / '), pct(m.usage.genMs / m.usage.ms)]
  })
  console.log(table(['sent by', 'frames/s', 'KB/s per client', 'server CPU', 'server µs/frame', 'µs/frame by round', 'generator CPU'], rows))
  const json = median('json')
  const msgpack = median('msgpack')
  const cpuCut = 1 - perFrame(msgpack) / perFrame(json)
  const bytesCut = 1 - msgpack.counters.bytes / Math.max(json.counters.bytes, 1)
  const winner = cpuCut >= 0.2 || bytesCut >= 0.2 ? 'msgpack' : 'json'
  console.log(`S-4: msgpack ${cpuCut >= 0 ? 'cuts' : 'adds'} server CPU per frame by ${pct(Math.abs(cpuCut))} and ${bytesCut >= 0 ? 'cuts' : 'adds'} bytes on the wire by ${pct(Math.abs(bytesCut))} (same events): ${winner} by the rule (≥ 20 % on either). Default now: ${DEFAULT_CODEC}. Load average now ${load()}.\n`)
}

// (3) Latency -----------------------------------------------------------------

/** Streams whose events carry ingestedAt, each shown on its own in the latency table. */
const INGESTED_STREAMS: readonly StreamName[] = ['air', 'traffic', 'halls', 'incidents']

const latencyWindowMs = (opts: Load): number => Math.max(LATENCY_MIN_WINDOW_MS, LATENCY_ROUNDS * opts.intervalMs)

async function latencyRun(label: string, opts: Load, warmupMs = Math.max(WARMUP_MS, LATENCY_WARMUP_ROUNDS * opts.intervalMs)): Promise<string[]> {
  return withServer({ ...opts, codec: DEFAULT_CODEC }, async (server) => {
    await sleep(warmupMs)
    const fromIngest: number[] = []
    const byStream = new Map<StreamName, number[]>()
    const fromPublish: number[] = []
    let open = false
    const record = (event: AnyStreamEvent, receivedAt: number): void => {
      if (!open)
        return
      fromPublish.push(receivedAt - Date.parse(event.at))
      if (event.ingestedAt) {
        const ms = receivedAt - Date.parse(event.ingestedAt)
        fromIngest.push(ms)
        byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), ms])
      }
    }
    const walls = await connectWalls(`http://127.0.0.1:${server.port}`, LATENCY_CLIENTS, { displayToken: server.displayToken, reconnection: false, codec: DEFAULT_CODEC, decode: 'each', counters: { messages: 0, bytes: 0 }, onEvent: record })
    await sleep(500)
    open = true
    await sleep(latencyWindowMs(opts))
    open = false
    closeWalls(walls)
    const p99 = percentile(fromIngest, 99)
    const target = opts.tickMs > 0 ? `≤ ${fmt(opts.tickMs + 50)}: ${fromIngest.length === 0 ? 'no ingestedAt' : p99 <= opts.tickMs + 50 ? 'met' : 'MISSED'}` : '(none)'
    return [
      label,
      fmt(warmupMs / 1000),
      fmt(opts.tickMs),
      fmt(opts.intervalMs),
      fmt(latencyWindowMs(opts) / 1000),
      fmt(fromIngest.length),
      fmt(percentile(fromIngest, 50)),
      fmt(p99),
      fmt(Math.max(...fromIngest)),
      target,
      ...INGESTED_STREAMS.map(s => fmt(percentile(byStream.get(s) ?? [], 99))),
      fmt(percentile(fromPublish, 50)),
      fmt(percentile(fromPublish, 99)),
    ]
  })
}

async function latency(): Promise<void> {
  console.log(`(3) Latency, ${LATENCY_CLIENTS} walls (each decoding its own frames) over ${LATENCY_ROUNDS} feed rounds (at least ${LATENCY_MIN_WINDOW_MS / 1000} s) per setting, codec ${DEFAULT_CODEC}: ingest → handler is client receive time − event.ingestedAt (when the event's oldest input reached the server; same host); publish → handler uses event.at`)
  const rows = [
    await latencyRun('nominal', NOMINAL),
    await latencyRun('nominal, cold (just started)', NOMINAL, WARMUP_MS),
    await latencyRun('nominal, no tick', { ...NOMINAL, tickMs: 0 }),
    await latencyRun('10× feed rate', { ...NOMINAL, intervalMs: NOMINAL.intervalMs / 10 }),
    await latencyRun('10× feed rate, no tick', { ...NOMINAL, tickMs: 0, intervalMs: NOMINAL.intervalMs / 10 }),
  ]
  console.log(table(['setting', 'measured from s after start', 'tick ms', 'feed interval ms', 'window s', 'events', 'ingest→handler p50 ms', 'p99 ms', 'max ms', 'target p99 (tick + 50)', ...INGESTED_STREAMS.map(s => `${s} p99`), 'publish→handler p50 ms', 'p99 ms'], rows))
  console.log('Ingest → handler covers validation, the store writes that precede every event, the wait for the tick and the transport. KPIs and feed health are derived (no ingestedAt): they count in the publish columns only. With no tick every change leaves at once, so S-3 sets no target there; it isolates the rest.')
  console.log(`Load average now ${load()}.\n`)
}

// (4) Reconnect storm ---------------------------------------------------------

/** Until every wall is connected with answers for all its streams given after `since`; the time, or undefined past the limit. */
async function waitAllSynced(walls: readonly WallClient[], since: number, limitMs: number): Promise<number | undefined> {
  while (Date.now() - since < limitMs) {
    if (walls.every(w => w.syncedAt > since && w.socket.connected))
      return Date.now()
    await sleep(20)
  }
  return undefined
}

async function storm(runtime: Runtime): Promise<string[]> {
  const dbDir = mkdtempSync(join(tmpdir(), 'ioc-transport-'))
  const opts = { ...WALL_LOAD, codec: DEFAULT_CODEC, dbDir }
  try {
    const first = await startServerChild({ port: 0, ...opts }, runtime)
    const walls = await connectWalls(`http://127.0.0.1:${first.port}`, STORM_CLIENTS, { displayToken: first.displayToken, reconnection: true, codec: DEFAULT_CODEC, decode: 'once', counters: { messages: 0, bytes: 0 } })
    await sleep(2000)
    const killedAt = Date.now()
    await first.kill('SIGKILL')
    const spawnedAt = Date.now()
    const second = await startServerChild({ ...opts, port: first.port }, runtime)
    const listeningAt = Date.now()
    const done = await waitAllSynced(walls, killedAt, STORM_LIMIT_MS)
    const rss = second.peakRss()
    const resynced = walls.filter(w => w.syncedAt > killedAt && w.socket.connected)
    const times = resynced.map(w => w.syncedAt - killedAt)
    const answers = resynced.map(w => w.syncedAt - w.reconnectedAt)
    const attempts = (k: number): number => resynced.filter(w => (k < 3 ? w.attempts === k : w.attempts >= k)).length
    closeWalls(walls)
    await second.kill()
    const s = second.startup
    return [
      runtime,
      fmt(STORM_CLIENTS),
      fmt(listeningAt - killedAt),
      `${fmt(spawnedAt - killedAt)} + ${fmt(s.booted)} + ${fmt(s.imported - s.booted)} + ${fmt(s.listening - s.imported)}`,
      fmt(percentile(times, 50)),
      fmt(percentile(times, 90)),
      done ? fmt(done - killedAt) : `> ${fmt(STORM_LIMIT_MS)}`,
      done ? fmt(done - listeningAt) : '-',
      `${fmt(attempts(1))} / ${fmt(attempts(2))} / ${fmt(attempts(3))}`,
      `${fmt(percentile(answers, 50))} / ${fmt(percentile(answers, 99))}`,
      fmt(STORM_CLIENTS - resynced.length),
      fmt(rss / 2 ** 20),
      done && done - killedAt <= TARGET_STORM_MS ? 'met' : 'MISSED',
    ]
  }
  finally {
    rmSync(dbDir, { recursive: true, force: true })
  }
}

async function storms(): Promise<void> {
  console.log(`(4) Reconnect storm: ${fmt(STORM_CLIENTS)} walls at the wall load with the wall's back-off (client/realtime/socket.ts); SIGKILL the server, start a new one on the same port and SQLite file`)
  await buildServerBundle()
  const rows: string[][] = []
  for (const runtime of [...Array.from({ length: STORM_RUNS }, () => 'bundle' as const), 'tsx' as const]) {
    rows.push(await storm(runtime))
    progress(rows.at(-1))
  }
  console.log(table(['server run by', 'walls', 'kill → listening ms', '= reap + boot + imports + startServer', 'resynced p50 ms', 'p90 ms', 'all ms (from kill)', 'from listening', 'walls back at try 1 / 2 / 3+', 'answer p50 / p99 ms', 'not resynced', 'new server peak RSS MB', `target ≤ ${fmt(TARGET_STORM_MS)} ms`], rows))
  console.log('Resynced: connected again, with an answer (a snapshot, since the epoch changed) to the subscribe of every wall stream. Answer: from a wall\'s reconnect to its last answer. Boot: node and the loader until the server\'s first line runs; imports: the server\'s modules and packages; startServer: city, store open and restore, listen.')
  console.log(`Tries: the wall retries after 1–3 s, then 2–6 s more, then 4–10 s more; a wall that misses the new server once waits for its next try. Load average now ${load()}.`)
}

const SECTIONS = { payloads, fanout, codecs: codecsOnSameFrames, latency, storms } as const
type Section = keyof typeof SECTIONS

async function main(): Promise<void> {
  pinSelf(1)
  header()
  // BENCH_SECTIONS=fanout,storms repeats a noisy part alone.
  const chosen = (process.env.BENCH_SECTIONS?.split(',') ?? Object.keys(SECTIONS)) as Section[]
  for (const section of chosen) {
    const run = SECTIONS[section] as (() => Promise<void>) | undefined
    if (!run)
      throw new Error(`unknown section ${section}; one of ${Object.keys(SECTIONS).join(', ')}`)
    await run()
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err)
  process.exit(1)
})
