import { describe, expect, it } from 'vitest'
import type { IncidentNature, IncidentReport } from '@shared/schemas/incidents'
import { IncidentReport as IncidentReportSchema, INCIDENT_NATURES } from '@shared/schemas/incidents'
import { localTime, WEEKDAY_CALENDAR } from './china-time'
import { CityIndex, distanceKm } from './city-index'
import { fixtureCity, MONDAY_MIDNIGHT } from './city.fixture'
import { NATURE_MIX } from './incident-templates'
import { IncidentSimulator } from './incidents.sim'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const PER_DAY = 6000
const city = fixtureCity()
const index = new CityIndex(city)

function simulator(seed = 9, runId?: string): IncidentSimulator {
  return new IncidentSimulator({ index, calendar: WEEKDAY_CALENDAR, seed, faultRate: 0, incidentsPerDay: PER_DAY, ...(runId ? { runId } : {}) })
}

/** Every record from `from` to `to`, ticking each simulated minute as the server's 1 s tick does at speed 60. */
function collect(sim: IncidentSimulator, from: number, to: number, stepMs = MIN): IncidentReport[] {
  const out: IncidentReport[] = []
  for (let t = from; t <= to; t += stepMs)
    out.push(...sim.tick(t).map(r => IncidentReportSchema.parse(r)))
  return out
}

/** First versions only: one per ticket. */
function firstVersions(records: readonly IncidentReport[]): IncidentReport[] {
  const seen = new Set<string>()
  return records.filter((r) => {
    if (seen.has(r.ticketNo))
      return false
    seen.add(r.ticketNo)
    return true
  })
}

describe('IncidentSimulator', () => {
  // One simulated week, shared by the statistics below (Monday 00:00 to the next Monday 00:00).
  const week = collect(simulator(), MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + 7 * DAY, 5 * MIN)
  const tickets = firstVersions(week)
  const reportedDay = (r: IncidentReport): number => Math.floor((Date.parse(r.reportedAt) - MONDAY_MIDNIGHT) / DAY)

  it('files about incidentsPerDay calls a day: within 5 % over a week, 12 % on a working day', () => {
    const inWeek = tickets.filter(r => reportedDay(r) >= 0 && reportedDay(r) < 7)
    expect(Math.abs(inWeek.length - 7 * PER_DAY)).toBeLessThan(0.05 * 7 * PER_DAY)
    const tuesday = tickets.filter(r => reportedDay(r) === 1).length
    expect(Math.abs(tuesday - PER_DAY * 1.06)).toBeLessThan(0.12 * PER_DAY)
    const sunday = tickets.filter(r => reportedDay(r) === 6).length
    expect(sunday).toBeLessThan(tuesday)
  })

  it('keeps the nature mix near the target (±3 points)', () => {
    const counts = new Map<IncidentNature, number>()
    for (const r of tickets) counts.set(r.nature, (counts.get(r.nature) ?? 0) + 1)
    for (const nature of INCIDENT_NATURES)
      expect(Math.abs((counts.get(nature) ?? 0) / tickets.length - NATURE_MIX[nature])).toBeLessThan(0.03)
  })

  it('follows the daily rhythm and the towns\' sizes', () => {
    const byHour = Array.from({ length: 24 }, () => 0)
    for (const r of tickets) byHour[Math.floor(localTime(Date.parse(r.reportedAt)).minute / 60)]! += 1
    expect(byHour[10]).toBeGreaterThan(5 * (byHour[3] ?? 0))
    expect(byHour[15]).toBeGreaterThan(5 * (byHour[3] ?? 0))
    const byTown = (code: string): number => tickets.filter(r => r.townCode === code).length
    // 长安 is about four times 沙田's size.
    expect(byTown('441900119')).toBeGreaterThan(2.5 * byTown('441900123'))
  })

  it('writes realistic work orders: Chinese titles and descriptions, a location near the town, unique ticket numbers', () => {
    expect(new Set(tickets.map(r => r.ticketNo)).size).toBe(tickets.length)
    for (const r of tickets.slice(0, 500)) {
      expect(r.ticketNo).toMatch(/^GD12345-\d{8}-[0-9A-Z]+-\d{6}$/)
      expect(r.title).toMatch(/[\u4E00-\u9FFF]/)
      expect(r.description).toMatch(/^市民来电(?:咨询|求助|投诉|举报|建议)：/)
      const town = index.town(r.townCode ?? '')
      expect(town).toBeDefined()
      expect(distanceKm(r.location ?? { lng: 0, lat: 0 }, town ?? { lng: 0, lat: 0 })).toBeLessThan(5)
      expect(Date.parse(r.version)).toBeGreaterThanOrEqual(Date.parse(r.reportedAt))
    }
    expect(tickets.filter(r => r.urgency === 'urgent').length / tickets.length).toBeLessThan(0.1)
  })

  it('sends upstream updates: most 咨询 closed directly minutes later as a newer version, and some exact re-sends', () => {
    const consults = tickets.filter(r => r.nature === 'consult')
    const closedSoon = new Set(week
      .filter(r => r.status === 'closed' && r.description.includes('直接答复'))
      .map(r => r.ticketNo))
    const share = consults.filter(r => closedSoon.has(r.ticketNo)).length / consults.length
    expect(share).toBeGreaterThan(0.5)
    expect(share).toBeLessThan(0.7)
    const first = new Map(tickets.map(r => [r.ticketNo, r]))
    for (const r of week.filter(x => x.status === 'closed').slice(0, 200)) {
      expect(Date.parse(r.version)).toBeGreaterThan(Date.parse(first.get(r.ticketNo)?.version ?? ''))
      expect(r.reportedAt).toBe(first.get(r.ticketNo)?.reportedAt)
    }
    const keys = week.map(r => JSON.stringify(r))
    const resent = keys.length - new Set(keys).size
    expect(resent / tickets.length).toBeGreaterThan(0.004)
    expect(resent / tickets.length).toBeLessThan(0.02)
  })

  it('has bursts on its own: many calls about one cause from one town within an hour', () => {
    const cells = new Map<string, number>()
    for (const r of tickets) {
      const hour = Math.floor(Date.parse(r.reportedAt) / HOUR)
      const key = `${r.townCode}|${r.title}|${hour}`
      cells.set(key, (cells.get(key) ?? 0) + 1)
    }
    const busy = [...cells.values()].filter(n => n >= 15)
    expect(busy.length).toBeGreaterThanOrEqual(3)
  })

  it('plays a burst: one cause, one town, nearby locations, within the hour', () => {
    const control = simulator(4)
    const drill = simulator(4)
    const start = MONDAY_MIDNIGHT + 10 * HOUR
    drill.addBurst({ templateKey: 'water-outage', townCode: '441900123', startsAt: start, count: 40, durationMin: 45 })
    const outage = (records: IncidentReport[]): IncidentReport[] => firstVersions(records)
      .filter(r => r.townCode === '441900123' && r.title.includes('停水') && Date.parse(r.reportedAt) < start + HOUR)
    const base = outage(collect(control, start - MIN, start + HOUR + 10 * MIN))
    const burst = outage(collect(drill, start - MIN, start + HOUR + 10 * MIN))
    expect(burst.length - base.length).toBeGreaterThan(25)
    const extra = burst.filter(r => !base.some(b => b.title === r.title && b.reportedAt === r.reportedAt))
    const centre = { lng: extra.reduce((s, r) => s + (r.location?.lng ?? 0), 0) / extra.length, lat: extra.reduce((s, r) => s + (r.location?.lat ?? 0), 0) / extra.length }
    const spread = extra.map(r => distanceKm(r.location ?? centre, centre)).sort((a, b) => a - b)
    expect(spread[Math.floor(spread.length * 0.9)]).toBeLessThan(1)
  })

  it('never reuses a ticket number across runs', () => {
    const a = firstVersions(collect(simulator(1, 'RUNA'), MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + 2 * HOUR))
    const b = firstVersions(collect(simulator(1, 'RUNB'), MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + 2 * HOUR))
    expect(a.length).toBeGreaterThan(0)
    const numbers = new Set(a.map(r => r.ticketNo))
    expect(b.some(r => numbers.has(r.ticketNo))).toBe(false)
    // Without a run id, a restart later in simulated time gets its own tag.
    const restarted = firstVersions(collect(simulator(1), MONDAY_MIDNIGHT + 10 * MIN, MONDAY_MIDNIGHT + 2 * HOUR))
    const first = new Set(firstVersions(collect(simulator(1), MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + 2 * HOUR)).map(r => r.ticketNo))
    expect(restarted.some(r => first.has(r.ticketNo))).toBe(false)
  })
})
