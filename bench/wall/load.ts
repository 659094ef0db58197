/**
 * The reference load on the real server (server/main.ts startServer, as the
 * browser tests start it): a denser Dongguan, the built-in simulator for air,
 * halls and the 12345 hotline (with a few simulated hours of history played
 * in fast before the walls connect, so that the wall holds its 500 newest
 * incidents and its trends have a past), and road traffic pushed through a
 * signed webhook feed at a fixed rate. The walls reach the server through a
 * relay the benchmark can cut.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { CityModel } from '@shared/schemas/city'
import { Config } from '@server/config'
import type { SimClock } from '@server/feeds/sim-clock'
import { startServer } from '@server/main'
import type { RunningServer } from '@server/main'
import { denseCity } from './dense-city'
import { seedKpiHistory } from './history-seed'
import { startRelay } from './proxy'
import type { Relay } from './proxy'
import { TrafficFeed } from './traffic-feed'

export interface LoadOptions {
  clientDir: string
  segments: number
  stations: number
  /** Traffic records per second, each a change a wall shows. */
  changesPerSecond: number
  /** Simulated seconds per real second once the history is played. */
  simSpeed: number
  /** Simulated hours played before the walls connect, and how fast. */
  historyHours: number
  historySpeed: number
  seed: number
}

export interface RunningLoad {
  server: RunningServer
  relay: Relay
  feed: TrafficFeed
  city: CityModel
  clock: HistoryClock
  /** Entities the server has published as changed, per stream, since the start: the load offered to every wall. */
  published: Record<string, number>
  close: () => Promise<void>
}

export interface HistoryClock extends SimClock {
  /** Real epoch ms when simulated time reaches the real time of the start and slows to `speed`. */
  readonly presentAt: number
}

/**
 * Simulated time that starts `historyMs` in the past, runs `historySpeed`
 * times faster than real time until it reaches the present, then runs at
 * `speed`: a server that has been up for a while, without the wait.
 */
export function historyClock(historyMs: number, historySpeed: number, speed: number, realNow: () => number = Date.now): HistoryClock {
  const realStart = realNow()
  const catchUpMs = historySpeed > 1 ? historyMs / (historySpeed - 1) : 0
  const presentSim = realStart + catchUpMs
  return {
    presentAt: realStart + catchUpMs,
    now: () => {
      const elapsed = realNow() - realStart
      return elapsed < catchUpMs
        ? realStart - historyMs + elapsed * historySpeed
        : presentSim + (elapsed - catchUpMs) * speed
    },
  }
}

const FEED_ID = 'bench-traffic'
/** The simulator's own traffic comes once, at start (its rounds are hourly); the webhook feed carries the rest. */
const SIM_TRAFFIC_ROUND_MS = 3_600_000
const PUSHES_PER_SECOND = 4

export async function startLoad(options: LoadOptions): Promise<RunningLoad> {
  const city = denseCity({ segments: options.segments, stations: options.stations })
  const dir = mkdtempSync(join(tmpdir(), 'ioc-bench-wall-'))
  const secret = randomBytes(24).toString('hex')
  const config = Config.parse({
    port: 0,
    host: '127.0.0.1',
    dbFile: join(dir, 'ioc.db'),
    buildClient: false,
    production: false,
    simSpeed: options.simSpeed,
    simSeed: options.seed,
    simIntervalMs: 5000,
    simHallIntervalMs: 5000,
    simTrafficIntervalMs: SIM_TRAFFIC_ROUND_MS,
    simFaultRate: 0,
    feeds: [{ id: FEED_ID, adapter: 'webhook', secret: { value: secret }, staleAfterMs: 60_000 }],
  })
  const historyMs = options.historyHours * 3_600_000
  // A week of KPI history up to now: trends and comparisons as a server that has run for a while holds them. The
  // played history adds the simulator's own KPIs to its last hours, one sample per real KPI round (sparse at that speed).
  await seedKpiHistory(config.dbFile, Date.now())
  const clock = historyClock(historyMs, options.historySpeed, options.simSpeed)
  const server = await startServer(config, { clientDir: options.clientDir, clock, city })
  const published: Record<string, number> = {}
  const count = (stream: string, n: number): void => {
    published[stream] = (published[stream] ?? 0) + n
  }
  server.bus.on('traffic.updated', d => count('traffic', d.segments.length))
  server.bus.on('air.updated', d => count('air', d.readings.length))
  server.bus.on('halls.updated', d => count('halls', d.halls.length))
  server.bus.on('incidents.updated', d => count('incidents', d.incidents.length))
  const relay = await startRelay(server.port)
  const feed = new TrafficFeed({
    url: server.url,
    feedId: FEED_ID,
    secret,
    roads: city.roads,
    changesPerSecond: options.changesPerSecond,
    pushesPerSecond: PUSHES_PER_SECOND,
    seed: options.seed,
  })
  return {
    server,
    relay,
    feed,
    city,
    clock,
    published,
    close: async () => {
      await feed.stop()
      await relay.close()
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Waits until the simulated history has been played and the server has taken it all. */
export async function untilPresent(load: RunningLoad): Promise<void> {
  const wait = load.clock.presentAt - Date.now()
  if (wait > 0)
    await new Promise(resolve => setTimeout(resolve, wait))
  await load.server.drained()
}
