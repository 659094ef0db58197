import { describe, expect, it } from 'vitest'
import { WorkingCalendar } from '@shared/calendar/working-days'
import { handlingDeadline } from '@shared/incidents/deadline'
import type { IncidentNature, IncidentReport } from '@shared/schemas/incidents'
import { createManualClock } from '../sim-clock'
import { WEEKDAY_CALENDAR } from './china-time'
import { CityIndex } from './city-index'
import { fixtureCity, MONDAY_MIDNIGHT } from './city.fixture'
import { CitySimulator } from './city-simulator'
import { IncidentSimulator } from './incidents.sim'
import { inOfficeHours, OFFICE_DAY_MS, officeMsBetween } from './office-hours.fixture'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const calendar = new WorkingCalendar()

/** One order's life as the ingest side sees it: the first version, its closure if one came, the open count per day. */
interface Ticket { open: IncidentReport, closed?: IncidentReport, closures: number }
interface Run { tickets: Map<string, Ticket>, openAtMidnight: number[], pendingAtEnd: number, openAtEnd: number, end: number }

/**
 * A simulated stretch of the 12345 platform through the CitySimulator the
 * server runs, its manual clock stepped `stepMs` at a time, on China's
 * calendar. Records are not validated here (the simulator's other tests do).
 */
function run(perDay: number, days: number, stepMs = 30 * MIN, seed = 42): Run {
  const clock = createManualClock(MONDAY_MIDNIGHT)
  const sim = new CitySimulator({
    city: fixtureCity(), clock, seed, airIntervalMs: 1000, trafficIntervalMs: 1000, hallIntervalMs: 1000, incidentsPerDay: perDay, faultRate: 0,
    isWorkingDay: d => calendar.isWorkingDay(d), isPublicHoliday: d => calendar.isHoliday(d),
  })
  const tickets = new Map<string, Ticket>()
  const openAtMidnight: number[] = []
  let open = 0
  const end = MONDAY_MIDNIGHT + days * DAY
  for (let t = MONDAY_MIDNIGHT; t <= end; t += stepMs) {
    clock.set(t)
    for (const r of sim.tick('incident').records as IncidentReport[]) {
      const ticket = tickets.get(r.ticketNo)
      if (!ticket) {
        tickets.set(r.ticketNo, { open: r, closures: 0 })
        open++
      }
      else if (r.status === 'closed') {
        ticket.closed ??= r
        ticket.closures++
        open -= ticket.closures === 1 ? 1 : 0
      }
    }
    if ((t - MONDAY_MIDNIGHT) % DAY === 0)
      openAtMidnight.push(open)
  }
  return { tickets, openAtMidnight, pendingAtEnd: sim.incidents.pending, openAtEnd: open, end }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
const reported = (t: Ticket): number => Date.parse(t.open.reportedAt)
const closedAt = (t: Ticket): number => (t.closed ? Date.parse(t.closed.version) : Infinity)
const isDirect = (t: Ticket): boolean => t.closed?.description.includes('直接答复') ?? false

describe('the simulated 12345 platform closes its orders', () => {
  // A month at the default rate, stepped half an hour at a time: shared by the statistics below.
  const month = run(6000, 30)
  const all = [...month.tickets.values()]
  /** Orders of the first ten days: a month later all but the latest-running are closed, so medians are fair. */
  const early = all.filter(t => reported(t) < MONDAY_MIDNIGHT + 10 * DAY)

  it('closes each order once, as a newer version with the same fields, the reply appended', { timeout: 30_000 }, () => {
    expect(all.length).toBeGreaterThan(150_000)
    expect(all.every(t => t.open.status === 'open' && t.closures <= 1)).toBe(true)
    const closed = all.filter(x => x.closed)
    expect(closed.length).toBeGreaterThan(0.8 * all.length)
    // Everything but version, status and description as the open version had it (key order included).
    const unchanged = (t: Ticket): boolean => JSON.stringify({ ...t.closed, version: t.open.version, status: 'open', description: t.open.description }) === JSON.stringify(t.open)
    const wrong = closed.filter((t) => {
      const c = t.closed as IncidentReport
      return c.status !== 'closed' || !(Date.parse(c.version) > Date.parse(t.open.version)) || !unchanged(t)
        || !c.description.startsWith(t.open.description) || c.description.length <= t.open.description.length
    })
    expect(wrong).toEqual([])
  })

  it('closes 3–8 % of orders after their handling limit (the server\'s deadline)', { timeout: 30_000 }, () => {
    const withDeadline = all.map(t => ({ t, deadline: Date.parse(handlingDeadline(t.open.reportedAt, t.open.nature, calendar)) }))
    const due = withDeadline.filter(x => x.deadline < month.end)
    const late = due.filter(x => closedAt(x.t) >= x.deadline)
    expect(due.length).toBeGreaterThan(100_000)
    expect(late.length / due.length).toBeGreaterThan(0.03)
    expect(late.length / due.length).toBeLessThan(0.08)
  })

  it('takes realistic handling times: 咨询 hours, 求助 1–6 working days, 投诉/举报 2–12, urgent ones faster', { timeout: 30_000 }, () => {
    const officeDays = (t: Ticket): number => (t.closed ? officeMsBetween(reported(t), closedAt(t), calendar) / OFFICE_DAY_MS : Infinity)
    const of = (nature: IncidentNature, urgent = false): Ticket[] => early.filter(t => t.open.nature === nature && (t.open.urgency === 'urgent') === urgent)
    const consults = of('consult')
    expect(median(consults.map(t => closedAt(t) - reported(t)))).toBeLessThan(HOUR)
    expect(median(consults.filter(t => !isDirect(t)).map(officeDays))).toBeLessThan(1)
    expect(median(consults.filter(t => !isDirect(t)).map(officeDays))).toBeGreaterThan(0.1)
    for (const [nature, lo, hi] of [['help', 1, 6], ['suggestion', 1, 10], ['complaint', 2, 12], ['report', 2, 12]] as const) {
      const normal = median(of(nature).map(officeDays))
      expect(normal).toBeGreaterThan(lo)
      expect(normal).toBeLessThan(hi)
    }
    const urgentHelp = of('help', true)
    expect(urgentHelp.length).toBeGreaterThan(100)
    expect(median(urgentHelp.map(t => closedAt(t) - reported(t)))).toBeLessThan(0.3 * median(of('help').map(t => closedAt(t) - reported(t))))
  })

  it('closes in office hours (08:30–18:00 on working days), but for answers on the call and urgent orders', { timeout: 30_000 }, () => {
    const closed = all.filter(t => t.closed)
    const departmental = closed.filter(t => !isDirect(t) && t.open.urgency === 'normal')
    expect(departmental.length).toBeGreaterThan(50_000)
    expect(departmental.every(t => inOfficeHours(closedAt(t), calendar))).toBe(true)
    expect(closed.filter(t => inOfficeHours(closedAt(t), calendar)).length / closed.length).toBeGreaterThan(0.7)
  })

  it('levels off the open count, and holds no more pending records than open orders and a few just filed', { timeout: 30_000 }, () => {
    const open = month.openAtMidnight
    // Same weekday a week apart: the first week fills up, the fourth barely moves.
    const firstWeek = (open[7] ?? 0) - (open[0] ?? 0)
    const fourthWeek = (open[28] ?? 0) - (open[21] ?? 0)
    expect(firstWeek).toBeGreaterThan(10_000)
    expect(Math.abs(fourthWeek)).toBeLessThan(0.06 * (open[21] ?? 0))
    expect(Math.max(...open)).toBeLessThan(6 * 6000)
    expect(month.pendingAtEnd).toBeGreaterThanOrEqual(month.openAtEnd)
    expect(month.pendingAtEnd).toBeLessThan(month.openAtEnd + 200)
  })

  it('closes every order of a month given time: only orders opened near the end are still open', { timeout: 30_000 }, () => {
    const months = run(600, 60, 2 * HOUR)
    const firstMonth = [...months.tickets.values()].filter(t => reported(t) < MONDAY_MIDNIGHT + 30 * DAY)
    expect(firstMonth.length).toBeGreaterThan(15_000)
    expect(firstMonth.filter(t => !t.closed)).toEqual([])
    // The run's last weeks still have orders in hand: closing is not instant.
    expect([...months.tickets.values()].filter(t => !t.closed).length).toBeGreaterThan(1000)
  })
})

describe('closures are deterministic', () => {
  const index = new CityIndex(fixtureCity())
  const simulator = (seed: number): IncidentSimulator =>
    new IncidentSimulator({ index, calendar: WEEKDAY_CALENDAR, seed, faultRate: 0, incidentsPerDay: 2000, runId: 'D' })
  const records = (sim: IncidentSimulator, stepMs: number): unknown[] => {
    const out: unknown[] = []
    for (let t = MONDAY_MIDNIGHT; t <= MONDAY_MIDNIGHT + 5 * DAY; t += stepMs)
      out.push(...sim.tick(t))
    return out
  }

  it('sends the same records, closures included, for a seed however the clock is stepped, and others for another seed', { timeout: 30_000 }, () => {
    const fine = records(simulator(7), 5 * MIN)
    const departmental = (rs: unknown[]): IncidentReport[] =>
      (rs as IncidentReport[]).filter(r => r.status === 'closed' && !r.description.includes('直接答复'))
    expect(departmental(fine).length).toBeGreaterThan(1000)
    expect(records(simulator(7), HOUR)).toEqual(fine)
    expect(departmental(records(simulator(8), HOUR))).not.toEqual(departmental(fine))
  })
})
