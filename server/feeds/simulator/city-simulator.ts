import type { CityModel } from '@shared/schemas/city'
import type { RecordKind } from '@shared/schemas/feeds'
import type { ActiveScenario } from '@shared/schemas/scenarios'
import type { FeedAdapter, FeedContext, RawBatch } from '../types'
import type { SimClock } from '../sim-clock'
import { AirSimulator } from './air.sim'
import type { WorkCalendar } from './china-time'
import { CityIndex } from './city-index'
import { HallSimulator } from './halls.sim'
import type { SimReport } from './incident-calls'
import { IncidentSimulator } from './incidents.sim'
import { ScenarioBook } from './scenarios'
import { TrafficSimulator } from './traffic.sim'
import { RoadNetwork } from './traffic-network'

/** Real time between two rounds of 12345 records: calls arrive all the time, not in rounds. */
const DEFAULT_INCIDENT_INTERVAL_MS = 1000

export interface CitySimulatorOptions {
  city: CityModel
  clock: SimClock
  seed: number
  /** Real time between rounds, per domain (independent of the clock's speed). */
  airIntervalMs: number
  trafficIntervalMs: number
  hallIntervalMs: number
  incidentIntervalMs?: number
  /** 12345 calls per simulated day, over a week's mean (working days more, weekends less). */
  incidentsPerDay: number
  /** Share of records sent malformed, per record. */
  faultRate: number
  /** Whether a local date ('YYYY-MM-DD', China time) is a working day, make-up days included. */
  isWorkingDay: (localDate: string) => boolean
  /** Optional: public holidays, so that a holiday falling on a weekend closes the halls too. */
  isPublicHoliday?: (localDate: string) => boolean
  /** Part of every 12345 ticket number; give each server start its own (e.g. the real start time). */
  runId?: string
  /** The feed id records carry as `source`. */
  id?: string
}

/**
 * The built-in city: air, traffic, service halls and the 12345 hotline,
 * simulated together and driven by one simulated clock, with drill
 * scenarios that play out across all of them. Seeded: the same seed and the
 * same clock readings give the same records.
 */
/** The feed id of the built-in simulator's records, unless told otherwise. */
export const SIMULATOR_SOURCE = 'simulator'

export class CitySimulator implements FeedAdapter {
  readonly id: string
  readonly adapter = 'simulator'
  /** The simulator pushes; nothing is delivered to it over HTTP. */
  readonly receive?: FeedAdapter['receive']
  readonly air: AirSimulator
  readonly traffic: TrafficSimulator
  readonly halls: HallSimulator
  readonly incidents: IncidentSimulator
  readonly network: RoadNetwork
  private readonly book: ScenarioBook

  constructor(private readonly options: CitySimulatorOptions) {
    this.id = options.id ?? SIMULATOR_SOURCE
    const { city, seed, faultRate } = options
    const index = new CityIndex(city)
    const calendar: WorkCalendar = {
      isWorkingDay: options.isWorkingDay,
      ...(options.isPublicHoliday ? { isPublicHoliday: options.isPublicHoliday } : {}),
    }
    this.network = new RoadNetwork(city.roads)
    this.book = new ScenarioBook({ index, network: this.network, halls: city.halls, seed })
    const scenarios = this.book
    this.air = new AirSimulator({ stations: city.airStations, clock: options.clock, seed, intervalMs: options.airIntervalMs, faultRate, scenarios })
    this.traffic = new TrafficSimulator({ network: this.network, index, calendar, seed, faultRate, scenarios })
    this.halls = new HallSimulator({ halls: city.halls, index, calendar, seed, faultRate, scenarios })
    this.incidents = new IncidentSimulator({
      index,
      calendar,
      seed,
      faultRate,
      incidentsPerDay: options.incidentsPerDay,
      scenarios,
      ...(options.runId ? { runId: options.runId } : {}),
    })
  }

  /** One round of one kind of record at time t (the clock's time by default): what a timer would push. */
  /** Open 12345 orders of an earlier run, restored from the store: this run closes them in time. */
  adoptOpenIncidents(reports: readonly SimReport[]): void {
    this.incidents.adopt(reports, this.options.clock.now())
  }

  tick(kind: RecordKind, t: number = this.options.clock.now()): RawBatch {
    if (this.book.silenced(kind, t))
      return { source: this.id, kind, records: [] }
    const records = kind === 'air'
      ? this.air.tick(t)
      : kind === 'traffic' ? this.traffic.tick(t) : kind === 'hall' ? this.halls.tick(t) : this.incidents.tick(t)
    return { source: this.id, kind, records }
  }

  /** Starts a scenario now (simulated time), as a named drill when given its id. Throws a ZodError or a ScenarioError for a bad request. */
  injectScenario(request: unknown, drillId?: string): ActiveScenario {
    return this.book.inject(request, this.options.clock.now(), drillId)
  }

  /** The scenarios under way. */
  scenarios(): ActiveScenario[] {
    return this.book.list(this.options.clock.now())
  }

  cancelScenario(id: string): boolean {
    return this.book.cancel(id, this.options.clock.now())
  }

  /**
   * Pushes each kind on its own real-time interval. A kind whose previous
   * batch is still being taken is skipped for a round: the next round covers
   * the elapsed simulated time, so nothing is lost and ingest is not flooded.
   */
  start(ctx: FeedContext): void {
    ctx.setConnection('connected')
    const intervals: [RecordKind, number][] = [
      ['air', this.options.airIntervalMs],
      ['traffic', this.options.trafficIntervalMs],
      ['hall', this.options.hallIntervalMs],
      ['incident', this.options.incidentIntervalMs ?? DEFAULT_INCIDENT_INTERVAL_MS],
    ]
    const timers = intervals.map(([kind, ms]) => {
      let busy = false
      const round = (): void => {
        if (busy || ctx.signal.aborted)
          return
        const batch = this.tick(kind)
        if (batch.records.length === 0)
          return
        busy = true
        void ctx.sink.push(batch)
          .catch((err: unknown) => ctx.log(`[simulator] ${kind} batch failed: ${err instanceof Error ? err.message : String(err)}`))
          .finally(() => { busy = false })
      }
      round()
      return setInterval(round, ms)
    })
    ctx.signal.addEventListener('abort', () => timers.forEach(clearInterval), { once: true })
  }
}
