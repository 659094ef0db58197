import { MIRROR_MAX_INCIDENTS } from '@shared/realtime/mirror'
import type { StreamSnapshot } from '@shared/realtime/streams'
import type { HallReading } from '@shared/schemas/halls'
import type { Incident, IncidentReportInput } from '@shared/schemas/incidents'
import type { ScenarioRequest } from '@shared/schemas/scenarios'
import type { SegmentReading } from '@shared/schemas/traffic'
import type { DomainBus } from './bus'
import type { CityModel } from '@shared/schemas/city'
import type { WorkingCalendar } from '@shared/calendar/working-days'
import type { Config } from './config'
import { createConnector } from './feeds'
import type { SimClock } from './feeds/sim-clock'
import { CitySimulator } from './feeds/simulator'
import type { BatchReceipt, FeedAdapter } from './feeds/types'
import type { ScenarioControl } from './http/scenarios.routes'
import { airApplier, hallApplier, incidentApplier, trafficApplier } from './ingest/appliers'
import { createIngest } from './ingest/ingest'
import type { Ingest } from './ingest/ingest'
import type { AirState } from './live/air-state'
import { TREND_WINDOW_MS } from './live/air-state'
import type { FeedHealthMonitor } from './live/feed-health'
import type { HallState } from './live/hall-state'
import type { IncidentState } from './live/incident-state'
import { CLOSED_KEPT_MS } from './live/incident-state'
import type { KpiPublisher } from './live/kpis.publisher'
import type { TrafficState } from './live/traffic-state'
import type { Store } from './store/repositories'
import type { SlaPolicy } from '@shared/dispatch/sla'

const DAY_MS = 24 * 3_600_000
/** City AQI points are kept this long in the store (minute and hour rollups: config.historyMinuteDays, historyHourDays)… */
const CITY_TREND_RETENTION_MS = DAY_MS
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
/** The feed id of the work orders the center makes itself (from alerts): stamped with the server's (simulated) clock. */
export const IOC_SOURCE = 'ioc'
/** The city KPIs are recomputed and published this often (real time). */
export const KPI_INTERVAL_MS = 5000

export interface LiveStates {
  air: AirState
  traffic: TrafficState
  halls: HallState
  incidents: IncidentState
}

/** Loads the live states from the store: what an earlier run, or the previous leader, saved. */
export async function restoreState(store: Store, s: LiveStates, now: number): Promise<void> {
  const airLatest = await store.air.latest()
  const trendSince = new Date(Math.max(...airLatest.map(r => Date.parse(r.observedAt)), 0) - TREND_WINDOW_MS).toISOString()
  s.air.restore(airLatest, await store.air.cityTrend(trendSince))
  s.traffic.restore((await store.telemetry.latest('traffic')).map(r => r.reading as SegmentReading))
  s.halls.restore((await store.telemetry.latest('hall')).map(r => r.reading as HallReading))
  s.incidents.restore(await store.incidents.current({ closedSince: new Date(now - CLOSED_KEPT_MS).toISOString(), limit: RESTORE_MAX_INCIDENTS }))
}

/** Other work only the leader does (the alert rules, their notifications), started after the feeds and stopped before them. */
export interface LeaderWork {
  start: () => Promise<void>
  stop: () => Promise<void>
}

export interface PublisherDeps {
  config: Config
  city: CityModel
  calendar: WorkingCalendar
  /** The work orders' deadlines, for the order each new incident gets. */
  sla: SlaPolicy
  store: Store
  clock: SimClock
  states: LiveStates
  bus: DomainBus
  health: FeedHealthMonitor
  kpis: KpiPublisher
  kpiIntervalMs: number
  /** The incidents the published events have built (the gateway's mirror), for the reconciliation at takeover. */
  publishedIncidents: () => StreamSnapshot<'incidents'>
  leaderWork?: readonly LeaderWork[]
  /** Reports that closed their request upstream (the dispatch service closes or finishes their orders). */
  closedUpstream?: (reports: Incident[]) => void
}

/**
 * The work that one node does for the whole system: run the feeds, ingest,
 * publish feed health and KPIs, prune the store. On one node it runs from
 * start to stop; with several it runs on the holder of the leader lease and
 * moves when the lease does.
 */
export class Publisher {
  private feeds: AbortController | undefined
  private ingest: Ingest | undefined
  private sim: CitySimulator | undefined
  private adapters: FeedAdapter[] = []
  private timers: NodeJS.Timeout[] = []
  /** Leading, with the feeds not yet built: a taking-over node restores the live states first. */
  private startingUp = false

  constructor(private readonly deps: PublisherDeps) {}

  get running(): boolean {
    return this.feeds !== undefined
  }

  /** The simulator while it runs here. */
  get simulator(): CitySimulator | undefined {
    return this.sim
  }

  /** Drills go to the simulator of the moment (it is rebuilt when leadership moves). */
  readonly scenarios: ScenarioControl = {
    scenarios: () => this.sim?.scenarios() ?? [],
    injectScenario: (request: ScenarioRequest, drillId?: string) => {
      if (!this.sim)
        throw new Error('the simulator is not running on this node')
      return this.sim.injectScenario(request, drillId)
    },
    cancelScenario: id => this.sim?.cancelScenario(id) ?? false,
  }

  /** True between taking the lead and having the feeds running: pushes are answered 503, to be retried. */
  get starting(): boolean {
    return this.startingUp
  }

  /** A push feed that takes requests here, by id. */
  pushFeed(id: string): FeedAdapter | undefined {
    return this.adapters.find(a => a.id === id && a.receive)
  }

  /** `restore`: reload the live states from the store first (a node taking over from another). */
  async start(options: { restore: boolean }): Promise<void> {
    if (this.running)
      return
    const { config, city, calendar, store, clock, states, bus, health } = this.deps
    this.feeds = new AbortController()
    this.startingUp = true
    try {
      if (options.restore) {
        await restoreState(store, states, clock.now())
        this.reconcileIncidents()
      }
    }
    finally {
      this.startingUp = false
    }
    this.sim = config.simulator ? this.createSimulator() : undefined
    const connectors = config.feeds.filter(f => f.enabled).map(f => createConnector(f))
    this.adapters = [...(this.sim ? [this.sim] : []), ...connectors]
    const slowestSimRoundMs = Math.max(config.simIntervalMs, config.simTrafficIntervalMs, config.simHallIntervalMs)
    for (const adapter of this.adapters) {
      if (health.get(adapter.id))
        continue
      const configured = config.feeds.find(f => f.id === adapter.id)
      health.register({ id: adapter.id, adapter: adapter.adapter, staleAfterMs: configured?.staleAfterMs ?? slowestSimRoundMs * SIM_STALE_ROUNDS + 1000 })
    }
    const sim = this.sim
    const ingest = createIngest({
      known: {
        air: new Set(city.airStations.map(s => s.id)),
        traffic: new Set(city.roads.map(r => r.id)),
        hall: new Set(city.halls.map(h => h.id)),
      },
      clockFor: source => ((sim && source === sim.id) || source === IOC_SOURCE ? clock.now() : Date.now()),
      rejects: store.rejects,
      telemetry: {
        air: airApplier({ state: states.air, store, bus }),
        traffic: trafficApplier({ state: states.traffic, store, bus }),
        hall: hallApplier({ state: states.halls, store, bus }),
      },
      heldTime: {
        air: id => states.air.heldTime(id),
        traffic: id => states.traffic.heldTime(id),
        hall: id => states.halls.heldTime(id),
      },
      incidents: incidentApplier({ state: states.incidents, store, bus, derive: { city, calendar, sla: this.deps.sla }, ...(this.deps.closedUpstream ? { closedUpstream: this.deps.closedUpstream } : {}) }),
      observer: health,
      onError: err => console.error('[ingest] apply failed', err),
    })
    this.ingest = ingest
    const signal = this.feeds.signal
    for (const adapter of this.adapters) {
      const started = adapter.start({
        sink: ingest,
        signal,
        setConnection: (state, detail) => health.setConnection(adapter.id, state, detail),
        log: line => console.log(`[feed ${adapter.id}] ${line}`),
      })
      void Promise.resolve(started).catch((err: unknown) => health.setConnection(adapter.id, 'failed', err instanceof Error ? err.message : String(err)))
    }
    this.timers.push(this.publishHealth(), this.prune())
    this.deps.kpis.start(this.deps.kpiIntervalMs)
    for (const work of this.deps.leaderWork ?? [])
      await work.start()
  }

  async stop(): Promise<void> {
    if (!this.feeds)
      return
    for (const work of [...this.deps.leaderWork ?? []].reverse())
      await work.stop()
    this.feeds.abort()
    this.feeds = undefined
    for (const timer of this.timers)
      clearInterval(timer)
    this.timers = []
    await this.deps.kpis.stop()
    await this.ingest?.drained()
    this.sim = undefined
    this.adapters = []
  }

  /** A work order the center makes itself enters like any feed's, and is stored and published once this resolves. */
  async submitIncident(report: IncidentReportInput): Promise<BatchReceipt> {
    if (!this.ingest || !this.feeds)
      throw new Error('the feeds are not running on this node')
    const receipt = await this.ingest.push({ source: IOC_SOURCE, kind: 'incident', records: [report] })
    await this.ingest.drained()
    return receipt
  }

  /** Resolves when every batch received so far is processed. */
  async drained(): Promise<void> {
    await this.ingest?.drained()
  }

  private createSimulator(): CitySimulator {
    const { config, city, calendar, clock, states } = this.deps
    const sim = new CitySimulator({
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
    // The simulated platform closes what an earlier run of it left open.
    sim.adoptOpenIncidents(states.incidents.list(Number.POSITIVE_INFINITY)
      // Replied to and waiting for the revisit: the platform has closed it already.
      .filter(i => i.source === sim.id && i.status === 'open' && i.handling?.state !== 'pending_revisit')
      .map(({ id: _id, source: _source, townCode, departmentId: _d, dueAt: _due, receivedAt: _r, updatedAt: _u, handling: _h, ...report }) => ({ ...report, ...(townCode ? { townCode } : {}) })))
    return sim
  }

  /**
   * A node that dies between storing an incident and publishing it leaves a
   * change no screen was told of. The node taking over compares what the
   * store holds with what was published and publishes the difference, so
   * no incident change is ever missed.
   */
  private reconcileIncidents(): void {
    const published = this.deps.publishedIncidents()
    const held = new Map(published.incidents.map(i => [i.id, i.version]))
    const oldestHeld = published.incidents.length >= MIRROR_MAX_INCIDENTS ? published.incidents.at(-1)?.reportedAt : undefined
    const missed = this.deps.states.incidents.list(MIRROR_MAX_INCIDENTS).filter((i) => {
      const version = held.get(i.id)
      return (version === undefined || version < i.version) && (oldestHeld === undefined || i.reportedAt >= oldestHeld)
    })
    const summary = this.deps.states.incidents.summary()
    if (missed.length > 0 || JSON.stringify(summary) !== JSON.stringify(published.summary)) {
      console.log(`[cluster] publishing ${missed.length} incident change(s) the previous leader stored but did not publish`)
      this.deps.bus.emit('incidents.updated', { incidents: missed, summary })
    }
  }

  private publishHealth(): NodeJS.Timeout {
    let lastStatuses = ''
    let lastPublished = 0
    return setInterval(() => {
      const feedsNow = this.deps.health.snapshot()
      const statuses = feedsNow.map(f => `${f.id}=${f.status}`).join(',')
      if (statuses !== lastStatuses || Date.now() - lastPublished >= HEALTH_PUBLISH_MS) {
        lastStatuses = statuses
        lastPublished = Date.now()
        this.deps.bus.emit('feeds.health', { feeds: feedsNow })
      }
    }, HEALTH_CHECK_MS)
  }

  /** Retention: only the node that writes prunes, once for the whole system. */
  private prune(): NodeJS.Timeout {
    const { store, clock, config } = this.deps
    const prune = (): void => {
      const now = clock.now()
      void Promise.all([
        store.air.pruneCityTrend(new Date(now - CITY_TREND_RETENTION_MS).toISOString()),
        store.history.prune({
          minute: new Date(now - config.historyMinuteDays * DAY_MS).toISOString(),
          hour: new Date(now - config.historyHourDays * DAY_MS).toISOString(),
        }),
        store.rejects.prune(new Date(Date.now() - REJECT_RETENTION_MS).toISOString()),
      ]).catch(err => console.error('[store] prune failed', err))
    }
    prune()
    return setInterval(prune, PRUNE_INTERVAL_MS)
  }
}
