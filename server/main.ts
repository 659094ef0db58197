import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DomainBus } from './bus'
import { loadCity } from './city'
import type { Config } from './config'
import { AirSimulator } from './feeds/air-simulator.feed'
import { createSimClock } from './feeds/sim-clock'
import type { SimClock } from './feeds/sim-clock'
import { createHttpApp } from './http/app'
import { createAirPipeline } from './ingest/air.pipeline'
import { AirState, TREND_WINDOW_MS } from './live/air-state'
import { createGateway } from './realtime/gateway'
import { openSqliteStore } from './store/sqlite'

/** City AQI points are kept this long in the store. */
const CITY_TREND_RETENTION_MS = 24 * 3_600_000
const PRUNE_INTERVAL_MS = 10 * 60_000

export interface RunningServer {
  url: string
  port: number
  /** Waits until every batch received so far is processed (tests). */
  drained: () => Promise<void>
  close: () => Promise<void>
}

export interface StartOptions {
  clientDir?: string
  /** Simulated time; defaults to now, sped up by config.simSpeed. */
  clock?: SimClock
  version?: string
}

/** Wires the capabilities together and starts listening. The only composition root. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const city = loadCity(config.city)
  const store = await openSqliteStore(config.dbFile)
  await store.air.saveStations(city.airStations)

  const clock = options.clock ?? createSimClock(config.simSpeed)
  const air = new AirState(city.airStations.length)
  const restoredLatest = await store.air.latest()
  const trendSince = new Date(Math.max(...restoredLatest.map(r => Date.parse(r.observedAt)), 0) - TREND_WINDOW_MS).toISOString()
  air.restore(restoredLatest, await store.air.cityTrend(trendSince))

  const bus = new DomainBus()
  const pipeline = createAirPipeline({
    knownStations: new Set(city.airStations.map(s => s.id)),
    state: air,
    store,
    bus,
    onError: err => console.error('[ingest] batch failed', err),
  })

  const app = createHttpApp({
    city,
    air,
    store,
    counters: pipeline.counters,
    meta: { version: options.version ?? '0.0.0', simSpeed: config.simSpeed, airIntervalMs: config.simIntervalMs },
    ...(options.clientDir ? { clientDir: options.clientDir } : {}),
  })
  const httpServer = createServer(app)
  const gateway = createGateway(httpServer, { bus, snapshots: { air: () => air.snapshot() } })

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(config.port, config.host, () => resolve())
  })
  const { port } = httpServer.address() as AddressInfo

  const feeds = new AbortController()
  new AirSimulator({
    stations: city.airStations,
    clock,
    seed: config.simSeed,
    intervalMs: config.simIntervalMs,
    faultRate: config.simFaultRate,
  }).start({
    sink: {
      push: (batch) => {
        pipeline.push(batch)
        return Promise.resolve({ accepted: batch.records.length, rejected: 0, duplicates: 0, late: 0 })
      },
      reject: () => Promise.resolve(),
    },
    signal: feeds.signal,
    setConnection: () => {},
    log: line => console.log(line),
  })

  const prune = (): void => {
    void store.air.pruneCityTrend(new Date(clock.now() - CITY_TREND_RETENTION_MS).toISOString())
      .catch(err => console.error('[store] prune failed', err))
  }
  prune()
  const pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS)

  let closing: Promise<void> | undefined
  return {
    url: `http://localhost:${port}`,
    port,
    drained: pipeline.drained,
    close: () => {
      closing ??= (async () => {
        feeds.abort()
        clearInterval(pruneTimer)
        await gateway.close()
        httpServer.closeAllConnections()
        await new Promise<void>(resolve => httpServer.close(() => resolve()))
        await pipeline.drained()
        await store.close()
      })()
      return closing
    },
  }
}
