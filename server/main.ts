import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hostname } from 'node:os'
import { dirname, join } from 'node:path'
import { AlertService } from './alerts/alert-service'
import { AlertNotifier } from './alerts/notifier'
import { DispatchService } from './dispatch/dispatch-service'
import { DrillService } from './drills/drill-service'
import { loadSlaPolicy } from './dispatch/sla-policy'
import { SimOfficers } from './dispatch/sim-officers'
import { AdminService } from './auth/admin-service'
import { actorOf, AuthService } from './auth/auth-service'
import type { IssuedAccount } from './auth/first-run'
import { seedAccounts } from './auth/first-run'
import type { GuardDeps } from './auth/guard'
import { deriveKey, loadSecret } from './auth/secrets'
import type { RouteEntry } from './auth/route-inventory'
import { routeInventory } from './auth/route-inventory'
import { DomainBus } from './bus'
import { loadCity } from './city'
import { loadWorkingCalendar } from './city/calendar'
import type { LeaderLease } from './cluster/leader-lease'
import type { Config } from './config'
import { ConfigError } from './config'
import { createConnector } from './feeds'
import { createSimClock } from './feeds/sim-clock'
import type { SimClock } from './feeds/sim-clock'
import type { CitySimulator } from './feeds/simulator'
import { SIMULATOR_SOURCE } from './feeds/simulator/city-simulator'
import { createHttpApp } from './http/app'
import { DayFolder } from './review/day-folder'
import { ReportService } from './review/report-service'
import { ReviewService } from './review/review-service'
import type { ScenarioControl } from './http/scenarios.routes'
import type { LiveView } from './http/live.routes'
import { AirState } from './live/air-state'
import { FeedHealthMonitor } from './live/feed-health'
import { HallState } from './live/hall-state'
import { IncidentState } from './live/incident-state'
import { KpiHistory } from './live/kpis.history'
import { KpiPublisher } from './live/kpis.publisher'
import { TrafficState } from './live/traffic-state'
import { KPI_INTERVAL_MS, Publisher, restoreState } from './publisher'
import type { LiveStates } from './publisher'
import { createGateway } from './realtime/gateway'
import type { SnapshotSources } from './realtime/gateway'
import { localTransport } from './realtime/stream-transport'
import { townIndex } from './realtime/town-slice'
import { openSqliteStore } from './store/sqlite'
import { basemapOrigins } from '@shared/geo/basemap'
import type { CityModel } from '@shared/schemas/city'
import { seedDefaultWallLayout } from './store/wall-layout.repository'

/** How often (real time) the simulated officers look for orders whose next step is due. */
const SIM_OFFICERS_INTERVAL_MS = 2000
/** How often the leader looks for days to fold for the review (a day is at least 24 simulated minutes long at 60×). */
const REVIEW_FOLD_INTERVAL_MS = 30_000
/** Running drills are checked this often (real time) for their scenario's end. */
const DRILL_CHECK_MS = 2000

export interface RunningServer {
  url: string
  port: number
  /** This node's name (host:port). */
  nodeId: string
  /** Whether this node runs the feeds: always on one node, the lease holder's job with several. */
  isLeader: () => boolean
  /** Waits until every batch received so far is processed (tests). */
  drained: () => Promise<void>
  /** The simulator, while it runs on this node (tests drive scenarios through it). */
  readonly simulator: CitySimulator | undefined
  health: FeedHealthMonitor
  /** The domain events of this node (tests publish what no producer raises yet, e.g. alerts). */
  bus: DomainBus
  /** Sign-in and administration (the user CLI and tests issue accounts and display tokens through it). */
  auth: { service: AuthService, admin: AdminService }
  /** Accounts this start created (the first administrator; demo users): their passwords, to show once. */
  issuedAccounts: IssuedAccount[]
  /** Every REST route as express holds it, with the access its guard enforces (the policy test). */
  routes: () => RouteEntry[]
  /** The events this node's sockets listen to. */
  socketEvents: () => string[]
  close: () => Promise<void>
}

export interface StartOptions {
  clientDir?: string
  /** Simulated time; defaults to now, sped up by config.simSpeed. */
  clock?: SimClock
  version?: string
  /** How often the KPIs are published; KPI_INTERVAL_MS by default (tests shorten it). */
  kpiIntervalMs?: number
  /** How often stream digests go to clients; 30 s by default (tests shorten it). */
  checksumIntervalMs?: number
  /** socket.io's wire encoding (the transport benchmark compares msgpack with the default JSON). */
  socketParser?: object
  /** How often sockets' sessions are checked (tests shorten it). */
  sessionSweepMs?: number
  /** A city model instead of config.city's (the wall benchmark's denser road network). */
  city?: CityModel
}

/** Each stream's state as this node's live states hold it. */
function stateSources(states: LiveStates, health: FeedHealthMonitor, kpis: KpiPublisher, alerts: AlertService): SnapshotSources {
  return {
    'air': () => states.air.snapshot(),
    'traffic': () => states.traffic.snapshot(),
    'halls': () => states.halls.snapshot(),
    'incidents': () => ({ incidents: states.incidents.list(), summary: states.incidents.summary() }),
    'alerts': () => alerts.snapshot(),
    'feed-health': () => ({ feeds: health.snapshot() }),
    'kpis': () => kpis.current(),
  }
}

/** Wires the capabilities together and starts listening. The only composition root. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const city = options.city ?? loadCity(config.city)
  const calendar = loadWorkingCalendar(config.calendarFile)
  const sla = loadSlaPolicy(config.slaFile)
  // Real connectors are checked first: a bad feed config stops the start before anything is opened.
  for (const feed of config.feeds.filter(f => f.enabled)) {
    try {
      createConnector(feed)
    }
    catch (err) {
      throw new ConfigError(`Invalid configuration:\n  feed ${feed.id}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    }
  }
  // The PostgreSQL and Redis clients load only when configured: ≈ 0.2 s of every start otherwise (a restart's wall storm waits on it).
  // Without IOC_SECRET (one machine, not production) a secret is made once and kept beside the data.
  const secret = loadSecret(config.secret, join(dirname(config.dbFile), 'ioc.secret'))
  const storeOptions = { auditKey: deriveKey(secret, 'audit') }
  const store = config.databaseUrl
    ? await (await import('./store/postgres')).openPostgresStore(config.databaseUrl, { ...storeOptions, ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) })
    : await openSqliteStore(config.dbFile, storeOptions)
  await store.air.saveStations(city.airStations)
  await store.auth.seedDepartments(city.departments.map(d => ({ id: d.id, name: d.name, nameEn: d.nameEn, townCode: d.townCode ?? null, active: true })))
  const auth = new AuthService({ auth: store.auth, audit: store.audit, ticketKey: deriveKey(secret, 'socket-ticket') })
  const admin = new AdminService(store.auth)
  const issuedAccounts = await seedAccounts(admin, store.auth, { demo: config.demo, demoDepartment: city.routing.environment ?? null })
  await seedDefaultWallLayout(store.wallLayouts, new Date().toISOString())
  const guard: GuardDeps = { auth, audit: store.audit, allowedOrigins: config.allowedOrigins }
  const authTimer = setInterval(() => {
    auth.sweepLimiters()
    store.auth.pruneSessions(new Date().toISOString()).catch((err: unknown) => console.error('[auth] pruning sessions failed', err))
  }, 10 * 60_000)
  authTimer.unref()

  const clock = options.clock ?? createSimClock(config.simSpeed)
  const states: LiveStates = {
    air: new AirState(city.airStations.length),
    traffic: new TrafficState(city.roads),
    halls: new HallState(city.halls.length),
    incidents: new IncidentState(() => clock.now()),
  }
  await restoreState(store, states, clock.now())

  const bus = new DomainBus()
  const health = new FeedHealthMonitor()
  const kpis = new KpiPublisher({
    states,
    history: new KpiHistory(store.history),
    now: () => clock.now(),
    publish: set => bus.emit('kpis.updated', set),
    onError: err => console.error('[kpis] update failed', err),
  })
  // Named drills: their scenario runs on the simulator of the node that leads.
  const drills: DrillService | undefined = config.simulator
    ? new DrillService({ store, control: (): ScenarioControl => publisher.scenarios, incidents: states.incidents, simulatorFeed: SIMULATOR_SOURCE, now: () => clock.now(), checkIntervalMs: DRILL_CHECK_MS, onError: err => console.error('[drills] checking drills failed', err) })
    : undefined
  const alerts = new AlertService({
    store,
    city,
    states,
    health,
    bus,
    now: () => clock.now(),
    simSpeed: config.simSpeed,
    evalIntervalMs: config.alertEvalMs,
    submitWorkOrder: async (report) => {
      await publisher.submitIncident(report)
    },
    ...(drills ? { drillOf: alert => drills.drillOf(alert) } : {}),
    onError: err => console.error('[alerts] evaluation failed', err),
  })
  const notifier = new AlertNotifier({
    store,
    city,
    rules: () => alerts.currentRules(),
    ...(config.alertWebhookUrl ? { webhook: { url: config.alertWebhookUrl, ...(config.alertWebhookSecret ? { secret: config.alertWebhookSecret } : {}) } } : {}),
    groupWaitMs: config.alertGroupWaitMs,
    intervalMs: Math.min(5000, Math.max(500, config.alertGroupWaitMs)),
    log: line => console.log(line),
    onError: err => console.error('[alerts] notifying failed', err),
  })
  // The simulated city's officers work its own orders through the same commands (off: people do it all).
  const simOfficers = config.simulator && config.simDispatch
    ? new SimOfficers({ dispatch: { command: (...args) => dispatch.command(...args) }, incidents: states.incidents, city, source: SIMULATOR_SOURCE, now: () => clock.now(), intervalMs: SIM_OFFICERS_INTERVAL_MS, onError: err => console.error('[dispatch] simulated officers failed', err) })
    : undefined
  const dispatch: DispatchService = new DispatchService({
    store,
    incidents: states.incidents,
    bus,
    city,
    calendar,
    policy: sla,
    now: () => clock.now(),
    scanIntervalMs: config.dispatchScanMs,
    onError: err => console.error('[dispatch] deadline check failed', err),
    ...(simOfficers ? { finishClosed: incident => simOfficers.finishClosed(incident) } : {}),
  })
  // The leaders' review: each day folded once it is over (on the leader), pages answered on any node.
  const dayFolder = new DayFolder({ review: store.review, city, calendar, now: () => clock.now(), intervalMs: REVIEW_FOLD_INTERVAL_MS, onError: err => console.error('[review] folding days failed', err) })
  const review = new ReviewService({ review: store.review, city, folder: dayFolder, now: () => clock.now() })
  const reports = new ReportService({ review, repo: store.review, city, now: () => clock.now(), intervalMs: REVIEW_FOLD_INTERVAL_MS, onError: err => console.error('[review] making reports failed', err) })
  await alerts.loadRules()
  await alerts.restoreActive()
  const sources = stateSources(states, health, kpis, alerts)
  const publisher = new Publisher({
    config,
    city,
    calendar,
    sla,
    store,
    clock,
    states,
    bus,
    health,
    kpis,
    kpiIntervalMs: options.kpiIntervalMs ?? KPI_INTERVAL_MS,
    // The gateway exists by the time a publisher takes over (it starts after listening).
    publishedIncidents: () => gateway.snapshot('incidents'),
    closedUpstream: reports => dispatch.closedUpstream(reports),
    leaderWork: [
      dispatch,
      dayFolder,
      reports,
      ...(simOfficers ? [simOfficers] : []),
      ...(drills ? [drills] : []),
      ...(config.alerts ? [alerts, { start: () => Promise.resolve(notifier.start()), stop: () => notifier.stop() }] : []),
    ],
  })

  let lease: LeaderLease | undefined
  let nodeId = `${hostname()}:${config.port}`
  // The leader answers from its own state (fresher by up to a tick); other nodes from what was published.
  const live: LiveView = { snapshot: stream => (publisher.running ? sources[stream]() : gateway.snapshot(stream)) }
  const app = createHttpApp({
    city,
    live,
    review,
    reports,
    store,
    guard,
    auth,
    admin,
    tls: config.tls,
    tileOrigins: basemapOrigins(config.basemap),
    trustProxy: config.trustProxy,
    historyRetentionDays: { minute: config.historyMinuteDays, hour: config.historyHourDays },
    alerts,
    alertsNow: () => clock.now(),
    dispatch,
    sla,
    dispatchNow: () => clock.now(),
    pushFeeds: { get: id => publisher.pushFeed(id), starting: () => publisher.starting },
    ...(config.simulator ? { scenarios: publisher.scenarios } : {}),
    ...(drills ? { drills } : {}),
    ...(config.redisUrl
      ? {
          cluster: {
            get nodeId() {
              return nodeId
            },
            isLeader: () => publisher.running,
            leaderUrl: async () => (await lease?.holder())?.url ?? null,
          },
        }
      : {}),
    meta: {
      version: options.version ?? '0.0.0',
      city: city.id,
      simulator: config.simulator,
      simSpeed: config.simSpeed,
      airIntervalMs: config.simIntervalMs,
      trafficIntervalMs: config.simTrafficIntervalMs,
      hallIntervalMs: config.simHallIntervalMs,
      kpiIntervalMs: options.kpiIntervalMs ?? KPI_INTERVAL_MS,
      calendarKnownThroughYear: calendar.knownThroughYear,
      // The wall's map draws it (client/components/map); null: no tile is ever fetched.
      basemap: config.basemap ?? null,
    },
    ...(options.clientDir ? { clientDir: options.clientDir } : {}),
  })
  const httpServer = createServer(app)
  const gateway = await createGateway(httpServer, {
    bus,
    // Several nodes share one numbered log per stream in Redis, per city.
    transport: config.redisUrl ? (await import('./cluster/redis-transport')).redisTransport({ url: config.redisUrl, prefix: `${config.redisPrefix}:${city.id}` }) : localTransport(),
    initial: sources,
    towns: townIndex(city),
    tickMs: config.tickMs,
    ...(options.checksumIntervalMs !== undefined ? { checksumIntervalMs: options.checksumIntervalMs } : {}),
    ...(options.socketParser ? { parser: options.socketParser } : {}),
    authenticate: async (ticket) => {
      const who = await auth.redeemTicket(ticket)
      return who && { sessionId: who.session.id, principal: who.principal }
    },
    liveSessions: ids => store.auth.liveSessions(ids, new Date().toISOString()),
    allowedOrigins: config.allowedOrigins,
    denied: (principal, what, clientIp) => {
      store.audit.append({ at: new Date().toISOString(), actor: actorOf(principal), clientIp, action: 'access.denied', targetType: 'socket', targetId: what, outcome: 'denied' })
        .catch((err: unknown) => console.error('[auth] could not audit a denial', err))
    },
    ...(options.sessionSweepMs !== undefined ? { sessionSweepMs: options.sessionSweepMs } : {}),
  })

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(config.port, config.host, () => resolve())
  })
  const { port } = httpServer.address() as AddressInfo
  nodeId = `${hostname()}:${port}`

  if (config.redisUrl) {
    // Leadership changes are applied one at a time, in the order they happen.
    let transition = Promise.resolve()
    const { LeaderLease } = await import('./cluster/leader-lease')
    lease = new LeaderLease({
      url: config.redisUrl,
      key: `${config.redisPrefix}:${city.id}:leader`,
      holder: { nodeId, url: config.nodeUrl ?? `http://127.0.0.1:${port}` },
      onChange: (leader) => {
        transition = transition
          .then(() => (leader ? publisher.start({ restore: true }) : publisher.stop()))
          .catch(err => console.error('[cluster] changing role failed', err))
      },
    })
    lease.start()
  }
  else {
    await publisher.start({ restore: false })
  }

  let closing: Promise<void> | undefined
  return {
    url: `http://localhost:${port}`,
    port,
    get nodeId() {
      return nodeId
    },
    isLeader: () => publisher.running,
    drained: () => publisher.drained(),
    get simulator() {
      return publisher.simulator
    },
    health,
    bus,
    auth: { service: auth, admin },
    issuedAccounts,
    routes: () => routeInventory(app),
    socketEvents: () => gateway.listenedEvents(),
    close: () => {
      closing ??= (async () => {
        clearInterval(authTimer)
        await lease?.stop()
        await publisher.stop()
        await gateway.close()
        httpServer.closeAllConnections()
        await new Promise<void>(resolve => httpServer.close(() => resolve()))
        await store.close()
      })()
      return closing
    },
  }
}
