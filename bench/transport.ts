/**
 * `npm run bench:transport`: the realtime transport under load (issue 4, item 10;
 * performance.md §8.1 S-2, S-3, S-5). The server runs in a child process on
 * CPU 0, the clients in this process on CPU 1.
 *
 *   (1) fan-out: N wall clients on socket.io, then the same payloads at the
 *       same times over a plain `ws` server to N plain clients;
 *   (2) latency: client receive time − the event's publication time `at`;
 *   (3) reconnect storm: kill the server under N walls, start a new one on
 *       the same port, time until every wall holds a fresh answer for every stream.
 *
 * Windows and client counts are fixed, so that runs compare; the whole run takes about three minutes.
 */
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import type { AnyStreamEvent } from '@shared/realtime/events'
import { fmt, percentile, table } from './lib'
import type { Counters, ServerChild, WallClient } from './transport.clients'
import { closeWalls, connectRaw, connectWalls, HAS_TASKSET, pinSelf, startServerChild } from './transport.clients'
import type { Frame, ServerOptions } from './transport-server'

const FANOUT_CLIENTS = (process.env.BENCH_CLIENTS ?? '10,100,500,1000').split(',').map(Number)
const FANOUT_WINDOW_MS = 10_000
const LATENCY_CLIENTS = 20
const LATENCY_WINDOW_MS = 10_000
const STORM_CLIENTS = Number(process.env.BENCH_STORM_CLIENTS ?? 1000)
const STORM_LIMIT_MS = 60_000
/** Time for a fresh server to fill its live state before anything is measured. */
const WARMUP_MS = 3000
/**
 * The wall's load: the feeds at their default rounds (every 5 s), an hour of
 * city life per minute so that 12345 orders arrive every tick (≈ 4 msgs/s per wall).
 */
const REALISTIC: Omit<ServerOptions, 'port'> = { tickMs: 250, simSpeed: 60, intervalMs: 5000 }

/** Rows as they come, on stderr, so that a long run shows where it is. */
const progress = (row: readonly string[] | undefined): void => void process.stderr.write(`  … ${row?.join(' | ') ?? ''}\n`)
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000
const pct = (ms: number, windowMs: number): string => `${fmt((100 * ms) / windowMs, 1)} %`

function header(): void {
  const sioVersion = (JSON.parse(readFileSync(new URL('../node_modules/socket.io/package.json', import.meta.url), 'utf8')) as { version: string }).version
  const wsVersion = (JSON.parse(readFileSync(new URL('../node_modules/ws/package.json', import.meta.url), 'utf8')) as { version: string }).version
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB; Node ${process.version}; socket.io ${sioVersion} (ws engine, no deflate); ws ${wsVersion}`)
  console.log(`Pinning: ${HAS_TASKSET ? 'server child on CPU 0, clients (this process) on CPU 1 (taskset)' : 'none (no taskset)'}`)
  console.log(`Server: simulator at speed ${REALISTIC.simSpeed}, air/traffic/halls every ${REALISTIC.intervalMs} ms, tick ${REALISTIC.tickMs} ms, SQLite in a temp dir\n`)
}

/** Server and generator CPU over a window, as shares of one core. */
async function measure(server: ServerChild, windowMs: number | (() => Promise<void>)): Promise<{ serverMs: number, genMs: number, ms: number, rss: number }> {
  const before = await server.ask({ type: 'usage' }, 'usage')
  const gen = process.cpuUsage()
  const start = Date.now()
  await (typeof windowMs === 'number' ? sleep(windowMs) : windowMs())
  const ms = Date.now() - start
  const genMs = cpuMs(process.cpuUsage(gen))
  const after = await server.ask({ type: 'usage' }, 'usage')
  return { serverMs: cpuMs(after.cpu) - cpuMs(before.cpu), genMs, ms, rss: after.rss }
}

function fanoutRow(transport: string, n: number, counters: Counters, m: Awaited<ReturnType<typeof measure>>): string[] {
  const perClientSec = (x: number): number => x / n / (m.ms / 1000)
  return [transport, fmt(n), fmt(perClientSec(counters.messages), 2), fmt(perClientSec(counters.bytes) / 1024, 1), fmt((counters.messages / (m.ms / 1000))), pct(m.serverMs, m.ms), pct(m.genMs, m.ms), fmt(m.rss / 2 ** 20)]
}

async function fanout(): Promise<void> {
  console.log('(1) Fan-out: every wall subscribes to air, traffic, halls, incidents, feed-health, kpis')
  const server = await startServerChild({ port: 0, ...REALISTIC })
  const rows: string[][] = []
  try {
    await sleep(WARMUP_MS)
    const idle = await measure(server, FANOUT_WINDOW_MS / 2)
    rows.push(['(no clients)', '0', '', '', '', pct(idle.serverMs, idle.ms), pct(idle.genMs, idle.ms), fmt(idle.rss / 2 ** 20)])
    for (const n of FANOUT_CLIENTS) {
      const counters: Counters = { messages: 0, bytes: 0 }
      const frames: Frame[] = []
      const seen = new Set<string>()
      let recording = 0
      const walls = await connectWalls(`http://127.0.0.1:${server.port}`, n, {
        reconnection: false,
        counters,
        // Each event once (the first wall to receive it), for the raw ws replay.
        onEvent: (event, at) => {
          const key = `${event.stream}:${event.seq}`
          if (recording && at - recording <= FANOUT_WINDOW_MS && !seen.has(key)) {
            seen.add(key)
            frames.push({ t: at - recording, text: JSON.stringify(event) })
          }
        },
      })
      await sleep(1000)
      Object.assign(counters, { messages: 0, bytes: 0 })
      recording = Date.now()
      const onFirst = walls[0]?.socket.listeners('stream:published').length ?? 0
      const sio = await measure(server, FANOUT_WINDOW_MS)
      rows.push(fanoutRow('socket.io', n, counters, sio))
      progress(rows.at(-1))
      closeWalls(walls)
      if (onFirst !== 1)
        console.warn(`  ! a wall holds ${onFirst} stream listeners`)

      const raw: Counters = { messages: 0, bytes: 0 }
      const sockets = await connectRaw(`ws://127.0.0.1:${server.wsPort}`, n, raw)
      await sleep(500)
      const ws = await measure(server, () => server.ask({ type: 'replay', frames }, 'replayed').then(() => sleep(200)))
      rows.push(fanoutRow('raw ws', n, raw, ws))
      progress(rows.at(-1))
      for (const s of sockets)
        s.terminate()
      await sleep(500)
    }
  }
  finally {
    await server.kill()
  }
  console.log(table(['transport', 'clients', 'msg/s per client', 'KB/s per client', 'msg/s total', 'server CPU', 'generator CPU', 'server RSS MB'], rows))
  console.log(`Window ${FANOUT_WINDOW_MS / 1000} s per row (no-clients row: ${FANOUT_WINDOW_MS / 2000} s); CPU is a share of one core; bytes are the JSON of each event. The raw ws rows replay the socket.io window's payloads at the recorded times; the simulator and ingest run under both.`)
  console.log('Target (issue 4): 1,000 walls at 4 msgs/s within 60 % of one core.\n')
}

async function latencyRun(label: string, opts: Omit<ServerOptions, 'port'>): Promise<string[]> {
  const server = await startServerChild({ port: 0, ...opts })
  try {
    await sleep(WARMUP_MS)
    const samples: number[] = []
    const all: number[] = []
    let open = false
    const counters: Counters = { messages: 0, bytes: 0 }
    const record = (event: AnyStreamEvent, receivedAt: number): void => {
      if (!open)
        return
      const ms = receivedAt - Date.parse(event.at)
      all.push(ms)
      if (event.stream === 'traffic')
        samples.push(ms)
    }
    const walls = await connectWalls(`http://127.0.0.1:${server.port}`, LATENCY_CLIENTS, { reconnection: false, counters, onEvent: record })
    await sleep(500)
    open = true
    await sleep(LATENCY_WINDOW_MS)
    open = false
    closeWalls(walls)
    return [label, fmt(opts.tickMs), fmt(opts.intervalMs), fmt(samples.length), fmt(percentile(samples, 50)), fmt(percentile(samples, 99)), fmt(Math.max(...samples)), fmt(all.length), fmt(percentile(all, 50)), fmt(percentile(all, 99))]
  }
  finally {
    await server.kill()
  }
}

async function latency(): Promise<void> {
  console.log(`(2) Latency: client receive time − event.at (the server's publication time; same host), ${LATENCY_CLIENTS} walls, ${LATENCY_WINDOW_MS / 1000} s each`)
  const rows = [
    await latencyRun('default tick', REALISTIC),
    await latencyRun('no tick', { ...REALISTIC, tickMs: 0 }),
    await latencyRun('10× feed rate', { ...REALISTIC, intervalMs: 500 }),
    await latencyRun('10× feed rate, no tick', { ...REALISTIC, tickMs: 0, intervalMs: 500 }),
  ]
  console.log(table(['setting', 'tick ms', 'feed interval ms', 'traffic events', 'p50 ms', 'p99 ms', 'max ms', 'all events', 'all p50 ms', 'all p99 ms'], rows))
  console.log('`at` is stamped when the coalesced event leaves the tick, so this is publish → handler; the wait for the tick (≤ tick) comes on top.')
  console.log('Target (issue 4): p99 ≤ tick + 50 ms.\n')
}

async function waitAllSynced(walls: readonly WallClient[], limitMs: number): Promise<number | undefined> {
  const start = Date.now()
  while (Date.now() - start < limitMs) {
    if (walls.every(w => w.synced.size === 6 && w.socket.connected))
      return Date.now()
    await sleep(20)
  }
  return undefined
}

async function storm(): Promise<void> {
  console.log(`(3) Reconnect storm: ${fmt(STORM_CLIENTS)} walls (reconnectionDelay 2000, max 10000, randomizationFactor 0.5); SIGKILL the server, start a new one on the same port`)
  const first = await startServerChild({ port: 0, ...REALISTIC })
  const counters: Counters = { messages: 0, bytes: 0 }
  const walls = await connectWalls(`http://127.0.0.1:${first.port}`, STORM_CLIENTS, { reconnection: true, counters })
  await sleep(2000)
  const killedAt = Date.now()
  await first.kill('SIGKILL')
  await sleep(10)
  const second = await startServerChild({ port: first.port, ...REALISTIC })
  const listeningAt = Date.now()
  const done = await waitAllSynced(walls, STORM_LIMIT_MS)
  const rss = second.peakRss()
  const lagging = walls.filter(w => w.synced.size < 6 || !w.socket.connected).length
  closeWalls(walls)
  await second.kill()
  const rows = [[
    fmt(STORM_CLIENTS),
    fmt(listeningAt - killedAt),
    done ? fmt(done - killedAt) : `> ${fmt(STORM_LIMIT_MS)}`,
    done ? fmt(done - listeningAt) : '-',
    fmt(lagging),
    fmt(rss / 2 ** 20),
  ]]
  console.log(table(['walls', 'restart ms', 'all resynced ms (from kill)', 'from new server listening', 'not resynced', 'new server peak RSS MB'], rows))
  console.log('Resynced: connected again, with an answer (a snapshot, since the epoch changed) to the subscribe of all 6 streams.')
  console.log('Target (issue 4): all resynced ≤ 10 s.')
}

async function main(): Promise<void> {
  pinSelf(1)
  header()
  await fanout()
  await latency()
  await storm()
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err)
  process.exit(1)
})
