import type { IncidentNature } from '@shared/schemas/incidents'
import { INCIDENT_NATURES } from '@shared/schemas/incidents'
import { deriveSeed, Random } from '../random'
import type { DayKind, WorkCalendar } from './china-time'
import { bump, DAY_MS, DayKinds, localTime, MINUTE_MS } from './china-time'
import type { CityIndex, Point, TownInfo } from './city-index'
import { offsetKm } from './city-index'
import { DueQueue } from '@server/due-queue'
import type { FaultShape } from './faults'
import { corrupt } from './faults'
import type { SimReport } from './incident-calls'
import { CallWriter } from './incident-calls'
import type { ClosurePlan } from './incident-closures'
import { closedVersion, planClosure } from './incident-closures'
import type { IncidentTemplate } from './incident-templates'
import { NATURE_MIX, template, TEMPLATES } from './incident-templates'
import type { ScenarioBook } from './scenarios'
import { scenarioCalls } from './incident-scenarios'
import { WorkingHours } from './working-hours'

const STEP_MS = MINUTE_MS
/** A gap longer than this is not replayed: the hotline's backlog of a lost day is not invented. */
const MAX_REPLAY_MS = DAY_MS
/** Working days call more than weekends and holidays; over a week the mean is `incidentsPerDay`. */
const DAY_FACTOR: Readonly<Record<DayKind, number>> = { workday: 1.06, saturday: 0.85, sunday: 0.85, holiday: 0.85 }
/** Share of calls that come in bursts (one cause, many callers): the base stream leaves room for them. */
const BURSTS_PER_DAY_AT_6000 = 3
const BURST_CALLS = { min: 20, max: 60 }
const BURST_MIN = { min: 30, max: 60 }
const BURST_SPREAD_KM = 0.3
const BURST_TEMPLATES = [['water-outage', 4], ['traffic-light', 2.5], ['noise', 2], ['power-cut', 1.5]] as const
/** Callers live around the town centre. */
const TOWN_SPREAD_KM = 1.2
/** Upstream re-sends some records unchanged; ingest must drop them. */
const RESEND_SHARE = 0.01
const DEFAULT_URGENT = 0.02

/** A record waiting in the outbox: a version of an order as filed, or its closure. */
interface Outgoing { report: SimReport, close?: ClosurePlan }

interface Burst { template: IncidentTemplate, town: TownInfo, point: Point, start: number, end: number, perMs: number }

export interface IncidentSimulatorOptions {
  index: CityIndex
  calendar: WorkCalendar
  seed: number
  faultRate: number
  incidentsPerDay: number
  /** Part of every ticket number, so that runs do not collide; default from the seed and the start time. */
  runId?: string
  scenarios?: ScenarioBook
}

/** The hotline's daily rhythm: quiet at night, peaks in the late morning and the afternoon. */
function rhythm(kind: DayKind, h: number): number {
  const day = Math.max(0, Math.min(1, (h - 6.5) / 2)) * (1 - Math.max(0, Math.min(1, (h - 21.5) / 2)))
  return kind === 'workday'
    ? 0.08 + 0.3 * day + 1.0 * bump(h, 10, 1.2) + 0.9 * bump(h, 15.5, 1.4) + 0.35 * bump(h, 20, 1.5)
    : 0.08 + 0.4 * day + 0.6 * bump(h, 10.5, 1.5) + 0.55 * bump(h, 15.5, 1.8) + 0.4 * bump(h, 20.5, 1.5)
}

/** Per-minute shares of a day's calls (they sum to 1), by day kind. */
function rhythmShares(kind: DayKind): Float64Array {
  const raw = Float64Array.from({ length: 1440 }, (_, m) => rhythm(kind, (m + 0.5) / 60))
  const total = raw.reduce((a, b) => a + b, 0)
  return raw.map(x => x / total)
}

/**
 * The 12345 hotline, simulated: Poisson calls over the day's rhythm from
 * towns by their size, in the target mix of natures and topics; bursts of
 * many calls about one cause; one closure per order as a new version
 * (直接答复 within minutes, departments within their working-day limits, a
 * few late); some re-sends; scenario calls for drills.
 *
 * The outbox is bounded by construction: every order this run files is
 * closed within its limit plus at most LATE.maxWd working days, so at a
 * steady rate it holds about as many orders as the platform has open.
 */
export class IncidentSimulator {
  private readonly rng: Random
  private readonly scenarioRng: Random
  private readonly faultRng: Random
  /** Closures draw from their own stream: the calls do not shift when the handling model changes. */
  private readonly closeRng: Random
  private readonly hours: WorkingHours
  private readonly days: DayKinds
  private readonly shares = new Map<DayKind, Float64Array>()
  private readonly townWeights: number[]
  private readonly natureTemplates: Map<IncidentNature, { list: IncidentTemplate[], weights: number[] }>
  private readonly outbox = new DueQueue<Outgoing>()
  private readonly faultShape: FaultShape
  private writer: CallWriter | undefined
  private bursts: Burst[] = []
  private lastT: number | undefined

  constructor(private readonly options: IncidentSimulatorOptions) {
    this.rng = new Random(deriveSeed(options.seed, 'incidents'))
    this.scenarioRng = new Random(deriveSeed(options.seed, 'incidents:scenarios'))
    this.faultRng = new Random(deriveSeed(options.seed, 'incidents:faults'))
    this.closeRng = new Random(deriveSeed(options.seed, 'incidents:closures'))
    this.hours = new WorkingHours(options.calendar)
    this.days = new DayKinds(options.calendar)
    for (const kind of ['workday', 'saturday', 'sunday', 'holiday'] as const)
      this.shares.set(kind, rhythmShares(kind))
    this.townWeights = options.index.towns.map(t => t.weight)
    this.natureTemplates = new Map(INCIDENT_NATURES.map((nature) => {
      const list = TEMPLATES.filter(t => (t.natures[nature] ?? 0) > 0)
      return [nature, { list, weights: list.map(t => t.natures[nature] ?? 0) }]
    }))
    this.faultShape = {
      idKey: 'townCode',
      unknownId: rng => `441900${rng.int(900, 999)}`,
      timeKey: 'reportedAt',
      numbers: ['location.lng', 'location.lat'],
      required: ['ticketNo', 'version', 'reportedAt', 'nature', 'topic', 'title'],
    }
  }

  /** Starts a burst: `count` calls about one cause from around one point in a town, over `durationMin`. */
  addBurst(input: { templateKey: string, townCode: string, startsAt: number, count: number, durationMin: number }): void {
    const town = this.options.index.town(input.townCode)
    if (!town)
      throw new RangeError(`unknown town ${input.townCode}`)
    const duration = input.durationMin * MINUTE_MS
    this.bursts.push({ template: template(input.templateKey), town, point: this.near(this.rng, town, TOWN_SPREAD_KM), start: input.startsAt, end: input.startsAt + duration, perMs: input.count / duration })
  }

  /**
   * Takes over orders an earlier run filed and left open (the store keeps
   * them across a restart): each gets its closure, planned as for a new
   * order and sent no earlier than `now`, so no ticket stays open for ever.
   */
  adopt(reports: readonly SimReport[], now: number): void {
    for (const report of reports) {
      if (report.status !== 'open')
        continue
      const filedAt = Date.parse(report.version)
      const close = planClosure({ nature: report.nature, urgent: report.urgency === 'urgent', reportedAt: Date.parse(report.reportedAt), filedAt }, this.hours, this.closeRng)
      this.outbox.push(Math.max(close.at, now), { report, close: { ...close, at: Math.max(close.at, now) } })
    }
  }

  /** Records waiting to be sent: one closure per order still open, plus orders and re-sends due within minutes. */
  get pending(): number {
    return this.outbox.size
  }

  /** The work-order records due by time t: new orders, closures and re-sends. */
  tick(t: number): unknown[] {
    this.writer ??= new CallWriter(this.options.index, this.options.runId ?? defaultRunId(this.options.seed, t))
    if (this.lastT !== undefined && t > this.lastT && this.options.index.towns.length > 0) {
      for (let a = Math.max(this.lastT, t - MAX_REPLAY_MS); a < t; a += STEP_MS)
        this.step(a, Math.min(t, a + STEP_MS))
    }
    this.lastT = Math.max(this.lastT ?? t, t)
    return this.outbox.popDue(t).map(({ report, close }) => {
      const r = close ? closedVersion(report, close) : structuredClone(report)
      return this.faultRng.chance(this.options.faultRate) ? corrupt(r, this.faultShape, this.faultRng).record : r
    })
  }

  private step(a: number, b: number): void {
    const local = localTime(a)
    const kind = this.days.of(local)
    const perDay = this.options.incidentsPerDay
    const burstsPerDay = BURSTS_PER_DAY_AT_6000 * (perDay / 6000)
    const burstShare = Math.min(0.5, (burstsPerDay * (BURST_CALLS.min + BURST_CALLS.max)) / 2 / Math.max(1, perDay))
    const share = this.shares.get(kind)?.[Math.floor(local.minute)] ?? 0
    const base = this.rng.poisson(perDay * (1 - burstShare) * DAY_FACTOR[kind] * share * ((b - a) / STEP_MS))
    for (let k = 0; k < base; k++)
      this.baseCall(a + this.rng.next() * (b - a))
    if (this.rng.chance(1 - Math.exp(-burstsPerDay * DAY_FACTOR[kind] * ((b - a) / DAY_MS))))
      this.spawnBurst(a)
    this.playBursts(a, b)
    for (const call of scenarioCalls(this.options.scenarios?.at(a) ?? [], a, b, perDay, this.options.index, this.scenarioRng))
      this.file(this.scenarioRng, call.template, call.nature ?? this.natureOf(this.scenarioRng, call.template), call.town, call.location, call.at, call.drillId)
  }

  private baseCall(at: number): void {
    const nature = INCIDENT_NATURES[this.rng.weightedIndex(INCIDENT_NATURES.map(n => NATURE_MIX[n]))] as IncidentNature
    const options = this.natureTemplates.get(nature)
    if (!options || options.list.length === 0)
      return
    const tpl = options.list[this.rng.weightedIndex(options.weights)] as IncidentTemplate
    const town = this.options.index.towns[this.rng.weightedIndex(this.townWeights)] as TownInfo
    this.file(this.rng, tpl, nature, town, this.near(this.rng, town, TOWN_SPREAD_KM), at)
  }

  private spawnBurst(at: number): void {
    const key = BURST_TEMPLATES[this.rng.weightedIndex(BURST_TEMPLATES.map(([, w]) => w))]?.[0] ?? 'water-outage'
    const town = this.options.index.towns[this.rng.weightedIndex(this.townWeights)] as TownInfo
    const scale = Math.min(1, this.options.incidentsPerDay / 6000)
    const count = Math.max(1, Math.round(this.rng.int(BURST_CALLS.min, BURST_CALLS.max) * scale))
    this.addBurst({ templateKey: key, townCode: town.code, startsAt: at, count, durationMin: this.rng.between(BURST_MIN.min, BURST_MIN.max) })
  }

  private playBursts(a: number, b: number): void {
    for (const burst of this.bursts) {
      const overlap = Math.min(b, burst.end) - Math.max(a, burst.start)
      if (overlap <= 0)
        continue
      const count = this.rng.poisson(burst.perMs * overlap)
      for (let k = 0; k < count; k++) {
        const at = Math.max(a, burst.start) + this.rng.next() * overlap
        this.file(this.rng, burst.template, this.natureOf(this.rng, burst.template), burst.town, this.near(this.rng, burst.point, BURST_SPREAD_KM), at)
      }
    }
    this.bursts = this.bursts.filter(burst => burst.end > b)
  }

  private natureOf(rng: Random, tpl: IncidentTemplate): IncidentNature {
    const natures = INCIDENT_NATURES.filter(n => (tpl.natures[n] ?? 0) > 0)
    return natures[rng.weightedIndex(natures.map(n => tpl.natures[n] ?? 0))] ?? 'help'
  }

  /** Writes one call and queues its versions: the new order, maybe a re-send, and its closure. */
  private file(rng: Random, tpl: IncidentTemplate, nature: IncidentNature, town: TownInfo, location: Point, at: number, drillId?: string): void {
    const writer = this.writer
    if (!writer)
      return
    const urgent = rng.chance(tpl.urgent ?? DEFAULT_URGENT)
    const written = writer.write({ template: tpl, nature, town, location, reportedAt: at, urgent }, rng)
    // A drill's call says so in every version (its closure too): the mark travels with the ticket.
    const report = drillId === undefined ? written : { ...written, drillId }
    const filed = Date.parse(report.version)
    this.outbox.push(filed, { report })
    if (rng.chance(RESEND_SHARE))
      this.outbox.push(filed + rng.between(10_000, 180_000), { report })
    const close = planClosure({ nature, urgent, reportedAt: Date.parse(report.reportedAt), filedAt: filed }, this.hours, this.closeRng)
    this.outbox.push(close.at, { report, close })
  }

  private near(rng: Random, p: Point, spreadKm: number): Point {
    const clamp = (x: number): number => Math.max(-2.5 * spreadKm, Math.min(2.5 * spreadKm, x))
    return offsetKm(p, clamp(rng.normal() * spreadKm), clamp(rng.normal() * spreadKm))
  }
}

/** A run's tag: the simulated start second and the seed, in base 36. */
export function defaultRunId(seed: number, start: number): string {
  return `${Math.floor(start / 1000).toString(36)}${(seed % 1296).toString(36)}`.toUpperCase()
}
