import { describe, expect, it } from 'vitest'
import { WorkingCalendar } from '@shared/calendar/working-days'
import type { IncidentReport } from '@shared/schemas/incidents'
import { createManualClock } from '../sim-clock'
import { fixtureCity, MONDAY_MIDNIGHT } from './city.fixture'
import { CitySimulator } from './city-simulator'
import type { SimReport } from './incident-calls'

const DAY_MS = 24 * 3_600_000
const calendar = new WorkingCalendar()

/** An order an earlier run filed on the Friday before and left open. */
const leftOpen = (ticketNo: string, nature: SimReport['nature']): SimReport => ({
  ticketNo,
  version: '2026-11-20T02:00:00.000Z',
  reportedAt: '2026-11-20T02:00:00.000Z',
  nature,
  topic: 'utilities',
  urgency: 'normal',
  status: 'open',
  title: '小区停水',
  description: '南城某小区停水',
  townCode: '441900004',
})

describe('a restarted simulator', () => {
  it('closes the orders an earlier run left open, after now, each once', () => {
    const clock = createManualClock(MONDAY_MIDNIGHT)
    const sim = new CitySimulator({
      city: fixtureCity(), clock, seed: 7, airIntervalMs: 1000, trafficIntervalMs: 1000, hallIntervalMs: 1000, incidentsPerDay: 0, faultRate: 0,
      isWorkingDay: d => calendar.isWorkingDay(d), isPublicHoliday: d => calendar.isHoliday(d),
    })
    const old = [leftOpen('OLD-1', 'consult'), leftOpen('OLD-2', 'complaint'), { ...leftOpen('OLD-3', 'help'), status: 'closed' as const }]
    sim.adoptOpenIncidents(old)
    const closed: IncidentReport[] = []
    for (let t = MONDAY_MIDNIGHT; t <= MONDAY_MIDNIGHT + 40 * DAY_MS; t += 3_600_000) {
      clock.set(t)
      closed.push(...(sim.tick('incident').records as IncidentReport[]))
    }
    expect(closed.map(r => r.ticketNo).sort()).toEqual(['OLD-1', 'OLD-2'])
    for (const r of closed) {
      expect(r.status).toBe('closed')
      expect(Date.parse(r.version)).toBeGreaterThanOrEqual(MONDAY_MIDNIGHT)
      expect(r.title).toBe('小区停水')
    }
  })
})
