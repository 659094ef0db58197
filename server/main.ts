import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { HallReading } from '@shared/schemas/halls'
import type { SegmentReading } from '@shared/schemas/traffic'
import { DomainBus } from './bus'
import { loadCity } from './city'
import { loadWorkingCalendar } from './city/calendar'
import type { Config } from './config'
import { ConfigError } from './config'
import { createConnector } from './feeds'
import { createSimClock } from './feeds/sim-clock'
import type { SimClock } from './feeds/sim-clock'
import { CitySimulator } from './feeds/simulator'
import type { FeedAdapter } from './feeds/types'
import { createHttpApp } from './http/app'
import { airApplier, hallApplier, incidentApplier, trafficApplier } from './ingest/appliers'
import { createIngest } from './ingest/ingest'
import { AirState, TREND_WINDOW_MS } from './live/air-state'
import { FeedHealthMonitor } from './live/feed-health'
import { HallState } from './live/hall-state'
import { CLOSED_KEPT_MS, IncidentState } from './live/incident-state'
import { KpiHistory } from './live/kpis.history'
import { KpiPublisher } from './live/kpis.publisher'
import { TrafficState } from './live/traffic-state'
import { createGateway } from './realtime/gateway'
import type { Store } from './store/repositories'
import { openPostgresStore } from './store/postgres'
import { openSqliteStore } from './store/sqlite'

const DAY_MS = 24 * 3_600_000
/** City AQI points are kept this long in the store… */
const CITY_TREND_RETENTION_MS = DAY_MS
/** …hourly rollups this long… */
const HISTORY_RETENTION_MS = 400 * DAY_MS
/** …and dead-letter rows this long. */
const REJECT_RETENTION_MS = 30 * DAY_MS
const PRUNE_INTERVAL_MS = 10 * 60_000
/** Feed health is re-judged this often; it is published when a status changes… */
const HEALTH_CHECK_MS = 1000
/** …and at least this often, for the rates. */
const HEALTH_PUBLISH_MS = 5000
/** The simulator counts as stale after this many of its slowest rounds without a record. */
const SIM_STALE_ROUNDS = 3
/** Incidents restored into the live view at start. */
const RESTORE_MAX_INCIDENTS = 50_000
/** The city KPIs are recomputed and published this often (real time). */
const KPI_INTERVAL_MS = 5000

export interface RunningServer {
  url: string
  port: number
  /** Waits until every batch received so far is processed (tests). */
  drained: () => Promise<void>
  /** The simulator, when it runs (tests drive scenarios through it). */
  simulator: CitySimulator | undefined
  health: FeedHealthMonitor
  close: () => Promise<void>
}

export interface StartOptions {
  clientDir?: string
  /** Simulated time; defaults to now, sped up by config.simSpeed. */
  clock?: SimClock
  version?: string
  /** How often the KPIs are published; KPI_INTERVAL_MS by default (tests shorten it). */
  kpiIntervalMs?: number
}

async function restoreState(store: Store, s: { air: AirState, traffic: TrafficState, halls: HallState, incidents: IncidentState }, now: number): Promise<void> {
  const airLatest = await store.air.latest()
  const trendSince = new Date(Math.max(...airLatest.map(r => Date.parse(r.observedAt)), 0) - TREND_WINDOW_MS).toISOString()
  s.air.restore(airLatest, await store.air.cityTrend(trendSince))
  s.traffic.restore((await store.telemetry.latest('traffic')).map(r => r.reading as SegmentReading))
  s.halls.restore((await store.telemetry.latest('hall')).map(r => r.reading as HallReading))
  s.incidents.restore(await store.incidents.current({ closedSince: new Date(now - CLOSED_KEPT_MS).toISOString(), limit: RESTORE_MAX_INCIDENTS }))
}

/** Wires the capabilities together and starts listening. The only composition root. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const city = loadCity(config.city)
  const calendar = loadWorkingCalendar(config.calendarFile)
  // Real connectors are built first: a bad feed config stops the start before anything is opened.
  const connectors: FeedAdapter[] = config.feeds.filter(f => f.enabled).map((f) => {
    try {
      return createConnector(f)
    }
    catch (err) {
      throw new ConfigError(`Invalid configuration:\n  feed ${f.id}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    }
  })
  const store = config.databaseUrl
    ? await openPostgresStore(config.databaseUrl, config.databaseSchema ? { schema: config.databaseSchema } : {})
    : await openSqliteStore(config.dbFile)
  await store.air.saveStations(city.airStations)

  const clock = options.clock ?? createSimClock(config.simSpeed)
  const air = new AirState(city.airStations.length)
  const traffic = new TrafficState(city.roads)
  const halls = new HallState(city.halls.length)
  const incidents = new IncidentState(() => clock.now())
  await restoreState(store, { air, traffic, halls, incidents }, clock.now())

  const bus = new DomainBus()
  const health = new FeedHealthMonitor()
  const kpis = new KpiPublisher({
    states: { air, traffic, halls, incidents },
    history: new KpiHistory(store.history),
    now: () => clock.now(),
    publish: set => bus.emit('kpis.updated', set),
    onError: err => console.error('[kpis] update failed', err),
  })
  const simulator = config.simulator
    ? new CitySimulator({
        city,
        clock,
        seed: config.simSeed,
        airIntervalMs: config.simIntervalMs,
        trafficIntervalMs: config.simTrafficIntervalMs,
        hallIntervalMs: config.simHallIntervalMs,
        incidentsPerDay: config.simIncidentsPerDay,
        faultRate: config.simFaultRate,
        isWorkingDay: date => calendar.isWorkingDay(date),
        isPublicHoliday: date => calendar.isHoliday(date),
        // Ticket numbers carry the run: a restart never reissues a number already stored.
        runId: Date.now().toString(36),
      })
    : undefined
  // The simulated platform closes what an earlier run of it left open.
  simulator?.adoptOpenIncidents(incidents.list(Number.POSITIVE_INFINITY)
    .filter(i => i.source === simulator.id && i.status === 'open')
    .map(({ id: _id, source: _source, townCode, departmentId: _d, dueAt: _due, receivedAt: _r, updatedAt: _u, ...report }) => ({ ...report, ...(townCode ? { townCode } : {}) })))
  const adapters = [...(simulator ? [simulator] : []), ...connectors]
  const slowestSimRoundMs = Math.max(config.simIntervalMs, config.simTrafficIntervalMs, config.simHallIntervalMs)
  for (const adapter of adapters) {
    const configured = config.feeds.find(f => f.id === adapter.id)
    health.register({ id: adapter.id, adapter: adapter.adapter, staleAfterMs: configured?.staleAfterMs ?? slowestSimRoundMs * SIM_STALE_ROUNDS + 1000 })
  }

  const ingest = createIngest({
    known: {
      air: new Set(city.airStations.map(s => s.id)),
      traffic: new Set(city.roads.map(r => r.id)),
      hall: new Set(city.halls.map(h => h.id)),
    },
    clockFor: source => (simulator && source === simulator.id ? clock.now() : Date.now()),
    rejects: store.rejects,
    telemetry: {
      air: airApplier({ state: air, store, bus }),
      traffic: trafficApplier({ state: traffic, store, bus }),
      hall: hallApplier({ state: halls, store, bus }),
    },
    heldTime: {
      air: id => air.heldTime(id),
      traffic: id => traffic.heldTime(id),
      hall: id => halls.heldTime(id),
    },
    incidents: incidentApplier({ state: incidents, store, bus, derive: { city, calendar } }),
    observer: health,
    onError: err => console.error('[ingest] apply failed', err),
  })

  const app = createHttpApp({
    city,
    air,
    traffic,
    halls,
    incidents,
    store,
    health,
    kpis: () => kpis.current(),
    pushFeeds: new Map(adapters.filter(a => a.receive).map(a => [a.id, a])),
    ...(simulator ? { scenarios: simulator } : {}),
    meta: {
      version: options.version ?? '0.0.0',
      city: city.id,
      simulator: config.simulator,
      simSpeed: config.simSpeed,
      airIntervalMs: config.simIntervalMs,
      trafficIntervalMs: config.simTrafficIntervalMs,
      hallIntervalMs: config.simHallIntervalMs,
      calendarKnownThroughYear: calendar.knownThroughYear,
    },
    ...(options.clientDir ? { clientDir: options.clientDir } : {}),
  })
  const httpServer = createServer(app)
  const gateway = createGateway(httpServer, {
    bus,
    tickMs: config.tickMs,
    snapshots: {
      'air': () => air.snapshot(),
      'traffic': () => traffic.snapshot(),
      'halls': () => halls.snapshot(),
      'incidents': () => ({ incidents: incidents.list(), summary: incidents.summary() }),
      'feed-health': () => ({ feeds: health.snapshot() }),
      'kpis': () => kpis.current(),
    },
  })

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(config.port, config.host, () => resolve())
  })
  const { port } = httpServer.address() as AddressInfo

  const feeds = new AbortController()
  for (const adapter of adapters) {
    const started = adapter.start({
      sink: ingest,
      signal: feeds.signal,
      setConnection: (state, detail) => health.setConnection(adapter.id, state, detail),
      log: line => console.log(`[feed ${adapter.id}] ${line}`),
    })
    void Promise.resolve(started).catch((err: unknown) => health.setConnection(adapter.id, 'failed', err instanceof Error ? err.message : String(err)))
  }

  let lastStatuses = ''
  let lastPublished = 0
  const healthTimer = setInterval(() => {
    const feedsNow = health.snapshot()
    const statuses = feedsNow.map(f => `${f.id}=${f.status}`).join(',')
    if (statuses !== lastStatuses || Date.now() - lastPublished >= HEALTH_PUBLISH_MS) {
      lastStatuses = statuses
      lastPublished = Date.now()
      bus.emit('feeds.health', { feeds: feedsNow })
    }
  }, HEALTH_CHECK_MS)

  kpis.start(options.kpiIntervalMs ?? KPI_INTERVAL_MS)

  const prune = (): void => {
    const now = clock.now()
    void Promise.all([
      store.air.pruneCityTrend(new Date(now - CITY_TREND_RETENTION_MS).toISOString()),
      store.history.prune(new Date(now - HISTORY_RETENTION_MS).toISOString()),
      store.rejects.prune(new Date(Date.now() - REJECT_RETENTION_MS).toISOString()),
    ]).catch(err => console.error('[store] prune failed', err))
  }
  prune()
  const pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS)

  let closing: Promise<void> | undefined
  return {
    url: `http://localhost:${port}`,
    port,
    drained: ingest.drained,
    simulator,
    health,
    close: () => {
      closing ??= (async () => {
        feeds.abort()
        clearInterval(pruneTimer)
        clearInterval(healthTimer)
        await kpis.stop()
        await gateway.close()
        httpServer.closeAllConnections()
        await new Promise<void>(resolve => httpServer.close(() => resolve()))
        await ingest.drained()
        await store.close()
      })()
      return closing
    },
  }
}
