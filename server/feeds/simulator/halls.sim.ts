import type { ServiceHall } from '@shared/schemas/city'
import type { RatingLevel } from '@shared/schemas/halls'
import { deriveSeed, Random } from '../random'
import type { DayKind, WorkCalendar } from './china-time'
import { bump, DayKinds, isoSecond, localTime, MINUTE_MS } from './china-time'
import type { CityIndex } from './city-index'
import type { FaultShape } from './faults'
import { corrupt } from './faults'
import type { Ticket } from './hall-queue'
import { HallQueue } from './hall-queue'
import type { ScenarioBook } from './scenarios'
import { scenarioLevel } from './scenarios'

/** Tickets on a working day: the city hall, and a town hall from its smallest to its largest town. */
const CITY_HALL_TICKETS = 1000
const TOWN_HALL_TICKETS = { min: 150, max: 600 }
/** No hall issues more than this many tickets per window a day. */
const MAX_TICKETS_PER_WINDOW = 40
const DAY_FACTOR: Readonly<Record<DayKind, number>> = { workday: 1, saturday: 0.45, sunday: 0.3, holiday: 0 }
/** 全预约制: most visitors come at their booked slot, spread evenly; walk-ins follow the day's peaks. */
const APPOINTMENT_SHARE = 0.6
/**
 * Rosters follow the day's mean load and only partly its peaks (staff are
 * scheduled, not summoned), so queues build at the peaks; more windows open
 * when the queue per window passes the limit (跨窗通办).
 */
const TARGET_UTILISATION = 1.1
const PEAK_FOLLOWING = 0.25
const QUEUE_PER_WINDOW_LIMIT = 4
const REPLAN_MIN = 30
/** Those still waiting are served this long after closing; then the rest are sent home. */
const CLOSING_GRACE_MIN = 30
/** Share of finished tickets rated (一次一评), and how waiting turns ratings bad. */
const RATED_SHARE = 0.55
const BAD_BASE = 0.006
const BAD_PER_MIN_OVER_10 = 0.006
const BAD_OUTAGE = 0.25
const BAD_MAX = 0.6
const RAIN_ARRIVAL_CUT = 0.6
const DEFAULT_SERVICE_MIN = 10
/** A gap longer than this is not replayed minute by minute; the halls start the later day afresh. */
const MAX_REPLAY_MS = 2 * 86_400_000

/** Mean service minutes by business type (matched by keyword), and how often each type is asked for. */
const SERVICE_TYPES: readonly { match: RegExp, minutes: number, weight: number }[] = [
  { match: /社保|社会保险|养老/, minutes: 7, weight: 3 },
  { match: /医保|医疗保障/, minutes: 6, weight: 2.5 },
  { match: /不动产|房产|房屋/, minutes: 18, weight: 2 },
  { match: /公积金/, minutes: 9, weight: 1.5 },
  { match: /户籍|户政|居住证|身份证/, minutes: 9, weight: 2 },
  { match: /出入境|护照|港澳/, minutes: 8, weight: 1.5 },
  { match: /税/, minutes: 14, weight: 2 },
  { match: /商事|企业|市场主体|营业执照|开办/, minutes: 20, weight: 1.5 },
  { match: /婚姻|婚/, minutes: 15, weight: 0.6 },
  { match: /车|驾|交通/, minutes: 11, weight: 1 },
  { match: /人才|人力|就业|劳动/, minutes: 10, weight: 1 },
  { match: /民政|残|救助|优抚/, minutes: 12, weight: 0.8 },
  { match: /水|电|气|燃/, minutes: 6, weight: 0.8 },
]

interface HallRuntime {
  hall: ServiceHall
  /** Each hall draws from its own streams: an outage in one leaves the others' numbers alone. */
  rng: Random
  scenarioRng: Random
  queue: HallQueue
  /** Expected tickets on a working day. */
  dailyTickets: number
  serviceMeans: number[]
  serviceWeights: number[]
  meanServiceMin: number
  /** Expected arrivals per minute of the local day, by day kind. */
  rates: Map<DayKind, Float64Array>
  /** Mean arrivals per open minute, by day kind. */
  meanRates: Map<DayKind, number>
  lastPlan: number
}

export interface HallSimulatorOptions {
  halls: readonly ServiceHall[]
  index: CityIndex
  calendar: WorkCalendar
  seed: number
  faultRate: number
  scenarios?: ScenarioBook
}

function hoursFor(hall: ServiceHall, kind: DayKind): readonly (readonly [number, number])[] {
  switch (kind) {
    case 'workday': return hall.hours.workday
    case 'saturday': return hall.hours.saturday
    case 'sunday': return hall.hours.sunday
    case 'holiday': return []
  }
}

/**
 * Arrivals per minute over a day: the day's expected tickets, spread over the
 * opening hours with a morning peak around 10–11, a rush before the midday
 * break and an afternoon peak; appointments flatten it.
 */
function arrivalRates(hours: readonly (readonly [number, number])[], tickets: number): Float64Array {
  const rates = new Float64Array(1440)
  const firstEnd = hours[0]?.[1] ?? 720
  const lunchPeak = (firstEnd < 13 * 60 ? firstEnd - 30 : 11.5 * 60) / 60
  let total = 0
  for (const [a, b] of hours) {
    for (let m = a; m < b; m++) {
      const h = (m + 0.5) / 60
      const walkIn = 0.35 + bump(h, 10.5, 0.8) + 0.8 * bump(h, lunchPeak, 0.35) + 0.85 * bump(h, 15.2, 1)
      rates[m] = APPOINTMENT_SHARE + (1 - APPOINTMENT_SHARE) * walkIn
      total += rates[m] ?? 0
    }
  }
  return total > 0 ? rates.map(r => (r * tickets) / total) : rates
}

/**
 * The government service halls, simulated minute by minute: appointments and
 * walk-ins arrive over the opening hours of the day's kind, windows are
 * staffed for the expected load, tickets wait and are served, and a share of
 * visitors rate the service, worse the longer they waited.
 */
export class HallSimulator {
  private readonly faultRng: Random
  private readonly days: DayKinds
  private readonly halls: HallRuntime[]
  private readonly faultShape: FaultShape
  private lastT: number | undefined

  constructor(private readonly options: HallSimulatorOptions) {
    this.faultRng = new Random(deriveSeed(options.seed, 'halls:faults'))
    this.days = new DayKinds(options.calendar)
    this.halls = options.halls.map(hall => this.runtime(hall))
    this.faultShape = {
      idKey: 'hallId',
      unknownId: rng => `HALL-UNKNOWN-${rng.int(10, 99)}`,
      timeKey: 'observedAt',
      numbers: ['waiting', 'windowsOpen', 'ticketsToday', 'avgWaitMin'],
      required: ['hallId', 'observedAt', 'waiting', 'windowsOpen', 'ticketsToday', 'ratingsToday'],
    }
  }

  /** One observation per hall at time t. The first call replays the day from local midnight. */
  tick(t: number): unknown[] {
    const from = Math.max(this.lastT ?? localTime(t).midnight, t - MAX_REPLAY_MS)
    for (let m = from; m < t; m += MINUTE_MS)
      this.minute(m, Math.min(t, m + MINUTE_MS))
    this.lastT = Math.max(this.lastT ?? t, t)
    const observedAt = isoSecond(t)
    const today = localTime(t).date
    return this.halls.map((h) => {
      // At midnight itself no minute of the new day has run yet; the counters restart all the same.
      if (h.queue.day !== today)
        h.queue.startDay(today)
      const record = this.observe(h, t, observedAt)
      return this.faultRng.chance(this.options.faultRate) ? corrupt(record, this.faultShape, this.faultRng).record : record
    })
  }

  private runtime(hall: ServiceHall): HallRuntime {
    const types = hall.businessTypes.map(name => SERVICE_TYPES.find(s => s.match.test(name)))
    const serviceMeans = types.map(s => s?.minutes ?? DEFAULT_SERVICE_MIN)
    const serviceWeights = types.map(s => s?.weight ?? 1)
    const weightSum = serviceWeights.reduce((a, b) => a + b, 0)
    const meanServiceMin = serviceMeans.reduce((sum, m, i) => sum + m * (serviceWeights[i] ?? 0), 0) / weightSum
    const townWeight = this.options.index.town(hall.townCode)?.weight ?? 0.3
    const base = hall.level === 'city' ? CITY_HALL_TICKETS : TOWN_HALL_TICKETS.min + (TOWN_HALL_TICKETS.max - TOWN_HALL_TICKETS.min) * townWeight
    const dailyTickets = Math.min(base, hall.windows * MAX_TICKETS_PER_WINDOW)
    const rates = new Map<DayKind, Float64Array>()
    const meanRates = new Map<DayKind, number>()
    for (const kind of ['workday', 'saturday', 'sunday', 'holiday'] as const) {
      const hours = hoursFor(hall, kind)
      const openMinutes = hours.reduce((sum, [a, b]) => sum + Math.max(0, b - a), 0)
      rates.set(kind, arrivalRates(hours, dailyTickets * DAY_FACTOR[kind]))
      meanRates.set(kind, openMinutes > 0 ? (dailyTickets * DAY_FACTOR[kind]) / openMinutes : 0)
    }
    const rng = new Random(deriveSeed(this.options.seed, `hall:${hall.id}`))
    const scenarioRng = new Random(deriveSeed(this.options.seed, `hall:${hall.id}:scenarios`))
    return { hall, rng, scenarioRng, queue: new HallQueue(hall.windows), dailyTickets, serviceMeans, serviceWeights, meanServiceMin, rates, meanRates, lastPlan: -Infinity }
  }

  /** One simulated minute [m, end) of every hall. */
  private minute(m: number, end: number): void {
    const local = localTime(m)
    const kind = this.days.of(local)
    const minuteOfDay = Math.floor(local.minute)
    const active = this.options.scenarios?.at(m) ?? []
    for (const h of this.halls) {
      if (h.queue.day !== local.date)
        h.queue.startDay(local.date)
      const hours = hoursFor(h.hall, kind)
      const open = hours.some(([a, b]) => minuteOfDay >= a && minuteOfDay < b)
      const inGrace = !open && hours.some(([, b]) => minuteOfDay >= b && minuteOfDay < b + CLOSING_GRACE_MIN)
      let arrivalFactor = 1
      let outage = false
      for (const s of active) {
        if (s.kind === 'heavy-rain' && s.towns.has(h.hall.townCode))
          arrivalFactor *= 1 - RAIN_ARRIVAL_CUT * scenarioLevel(s, m)
        if (s.kind === 'hall-outage' && s.hallIds.has(h.hall.id))
          outage = true
      }
      const rate = h.rates.get(kind)?.[minuteOfDay] ?? 0
      if (open) {
        this.arrive(h, m, end, rate * ((end - m) / MINUTE_MS), arrivalFactor)
        this.plan(h, kind, minuteOfDay, m)
      }
      else if (!inGrace) {
        h.queue.clearQueue()
        h.queue.closeAll()
      }
      if (outage)
        h.queue.markWaitingHit()
      h.queue.serve(m, end, !outage, ticket => this.rate(h, ticket))
    }
  }

  private arrive(h: HallRuntime, m: number, end: number, expected: number, keepShare: number): void {
    const count = h.rng.poisson(expected)
    const arrivals: Ticket[] = []
    for (let k = 0; k < count; k++) {
      const type = h.rng.weightedIndex(h.serviceWeights)
      const serviceMin = Math.min(60, Math.max(1, h.rng.lognormal(h.serviceMeans[type] ?? DEFAULT_SERVICE_MIN, 0.5)))
      arrivals.push({ issuedAt: m + h.rng.next() * (end - m), serviceMin })
    }
    arrivals.sort((a, b) => a.issuedAt - b.issuedAt)
    for (const ticket of arrivals) {
      // Weather keeps some visitors home; drawn from the scenario stream so the base hall is unchanged.
      if (keepShare >= 1 || h.scenarioRng.chance(keepShare))
        h.queue.issue(ticket)
    }
  }

  /** Staff for the load expected over the next half hour; open more at once when the queue gets long. */
  private plan(h: HallRuntime, kind: DayKind, minuteOfDay: number, m: number): void {
    const open = h.queue.windowsOpen
    const pressure = h.queue.waiting > QUEUE_PER_WINDOW_LIMIT * Math.max(1, open)
    if (m - h.lastPlan < REPLAN_MIN * MINUTE_MS && !pressure && open > 0)
      return
    const rates = h.rates.get(kind)
    let expected = 0
    for (let k = 0; k < REPLAN_MIN; k++)
      expected += rates?.[minuteOfDay + k] ?? 0
    const mean = h.meanRates.get(kind) ?? 0
    const rate = (1 - PEAK_FOLLOWING) * mean + PEAK_FOLLOWING * (expected / REPLAN_MIN)
    const needed = Math.ceil((rate * h.meanServiceMin) / TARGET_UTILISATION)
    const backlog = pressure ? Math.ceil(h.queue.waiting / QUEUE_PER_WINDOW_LIMIT) : 0
    const minimum = Math.min(h.hall.windows, h.hall.level === 'city' ? 4 : 2)
    const target = Math.min(h.hall.windows, Math.max(minimum, needed, pressure ? Math.max(open + 1, backlog) : 0))
    h.queue.staff(target, m)
    h.lastPlan = m
  }

  /** 好差评: a share of visitors rate, and a long wait (or an outage) makes a 差评 likelier. */
  private rate(h: HallRuntime, ticket: Ticket): void {
    if (!h.rng.chance(RATED_SHARE))
      return
    const wait = ticket.waitMin ?? 0
    const bad = Math.min(BAD_MAX, BAD_BASE + BAD_PER_MIN_OVER_10 * Math.max(0, wait - 10) + (ticket.hitByOutage ? BAD_OUTAGE : 0))
    const x = h.rng.next()
    let level: RatingLevel
    if (x < bad)
      level = x < bad * 0.7 ? 'dissatisfied' : 'veryDissatisfied'
    else {
      const basic = Math.min(0.3, 0.04 + 0.005 * wait)
      const y = (x - bad) / (1 - bad)
      level = y < basic ? 'basic' : y < basic + 0.18 ? 'satisfied' : 'verySatisfied'
    }
    h.queue.addRating(level)
  }

  private observe(h: HallRuntime, t: number, observedAt: string): Record<string, unknown> {
    const q = h.queue
    const c = q.counters
    const round1 = (x: number): number => Math.round(Math.min(1440, x) * 10) / 10
    const waiting = q.waiting
    const windowsOpen = q.windowsOpen
    return {
      hallId: h.hall.id,
      observedAt,
      waiting,
      windowsOpen,
      windowsBusy: Math.min(windowsOpen, q.busyAt(t)),
      ticketsToday: c.tickets,
      servedToday: c.served,
      avgWaitMin: round1(c.called > 0 ? c.waitSumMin / c.called : 0),
      maxWaitMin: round1(waiting > 0 ? q.longestWaitingMin(t) : c.maxCalledWaitMin),
      ...(c.served > 0 ? { avgServiceMin: round1(c.serviceSumMin / c.served) } : {}),
      ratingsToday: { ...c.ratings },
    }
  }
}
