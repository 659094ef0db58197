/** Test support for the review suites: a city, a clock, and a store seeded with a few days of hours and calls. */
import { newWorkOrder } from '@shared/dispatch/machine'
import { DEFAULT_SLA_POLICY } from '@shared/dispatch/sla'
import type { Incident, IncidentReport } from '@shared/schemas/incidents'
import { loadCity } from '@server/city'
import { loadWorkingCalendar } from '@server/city/calendar'
import type { RollupSample, Store } from '@server/store/repositories'

export const city = loadCity('dongguan')
export const calendar = loadWorkingCalendar()
// Friday 2026-12-04, 10:30 in Dongguan.
export const NOW = Date.parse('2026-12-04T02:30:00Z')
const HOUR_MS = 3_600_000
/** An instant of a local date and hour (minutes past it: 10). */
export const local = (day: string, hour: number, minute = 10): string => new Date(Date.parse(`${day}T00:00:00+08:00`) + hour * HOUR_MS + minute * 60_000).toISOString()
const stations = city.airStations.slice(0, 3)
const hall = city.halls[0]!
export const town = stations[0]!.townCode

/** A day's hourly samples: every pollutant of three stations, the city's TPI and a hall's day counter. */
function daySamples(day: string, o: { pm25: number, airHours?: number, tpi: number, visitors: number }): RollupSample[] {
  const samples: RollupSample[] = []
  for (let h = 0; h < 24; h++) {
    const observedAt = local(day, h)
    for (const s of stations) {
      const values = { so2: 8, no2: 30, co: 0.7, pm10: 40, o3: 60, o3_8h: 55, pm25: o.pm25 }
      for (const [metric, value] of Object.entries(values)) {
        if (metric !== 'pm25' || h < (o.airHours ?? 24))
          samples.push({ kind: 'air', entityId: s.id, metric, observedAt, value })
      }
    }
    samples.push({ kind: 'traffic', entityId: 'city', metric: 'tpi', observedAt, value: o.tpi })
    samples.push({ kind: 'hall', entityId: hall.id, metric: 'ticketsToday', observedAt, value: Math.round(o.visitors * (h + 1) / 24) })
  }
  return samples
}

function call(n: number, reportedAt: string, drillId?: string): { incident: Incident, report: IncidentReport } {
  const order = newWorkOrder({ id: `hotline:R${n}`, nature: 'complaint', topic: 'environment', townCode: town, acceptedAt: reportedAt, departmentId: 'dg-eco-env', priority: 'normal' }, DEFAULT_SLA_POLICY, calendar, reportedAt)
  const report: IncidentReport = {
    ticketNo: `R${n}`, version: reportedAt, reportedAt, nature: 'complaint', topic: 'environment', urgency: 'normal', status: 'open',
    title: '夜间施工噪声', description: '', townCode: town, location: { lng: 113.7512, lat: 23.0205 },
  }
  const incident: Incident = {
    ...report, id: `hotline:R${n}`, source: 'hotline', receivedAt: reportedAt, updatedAt: reportedAt, townCode: town, departmentId: 'dg-eco-env',
    dueAt: order.handleDueAt, handling: drillId ? { ...order, drillId } : order, ...(drillId ? { drillId } : {}),
  }
  return { incident, report }
}

export async function seed(store: Store): Promise<void> {
  await store.history.add([
    ...daySamples('2026-11-25', { pm25: 50, tpi: 2, visitors: 100 }),
    ...daySamples('2026-12-01', { pm25: 20, tpi: 3, visitors: 200 }),
    ...daySamples('2026-12-02', { pm25: 80, tpi: 5, visitors: 300 }),
    ...daySamples('2026-12-03', { pm25: 20, airHours: 12, tpi: 4, visitors: 100 }),
  ])
  const calls = [call(1, local('2026-11-25', 9)), call(2, local('2026-12-01', 9)), call(3, local('2026-12-01', 15)), call(4, local('2026-12-02', 9), 'drill-1'),
    call(5, local('2026-12-03', 9)), call(6, local('2026-12-03', 14)), call(7, local('2026-12-04', 8))]
  await store.incidents.save(calls)
}

