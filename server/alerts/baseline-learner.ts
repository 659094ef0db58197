import type { CityModel } from '@shared/schemas/city'
import type { Store } from '@server/store/repositories'
import type { BaselineSample, BaselineSet } from './baseline'
import { learnBaseline, seriesKey } from './baseline'

const HOUR_MS = 3_600_000
/** Four of each weekday-hour: what anomaly rules' minSamples usually asks for. */
export const BASELINE_WEEKS = 4

/**
 * Learns the anomaly rules' baselines from the history: each town's TPI and
 * each hall's average wait (hour rollups, issue 4), and each town's 12345
 * intake per hour (the stored orders; an hour without any counts as 0 once
 * the town's first order is on record).
 */
export async function learnCityBaselines(store: Store, city: CityModel, now: number): Promise<BaselineSet> {
  const to = new Date(Math.floor(now / HOUR_MS) * HOUR_MS).toISOString()
  const from = new Date(Date.parse(to) - BASELINE_WEEKS * 7 * 24 * HOUR_MS).toISOString()
  const samples: BaselineSample[] = []
  const series = [
    ...city.towns.map(t => ({ kind: 'traffic' as const, entityId: t.code, metric: 'tpi' })),
    ...city.halls.map(h => ({ kind: 'hall' as const, entityId: h.id, metric: 'avgWaitMin' })),
  ]
  for (const s of series) {
    const rows = await store.history.query({ resolution: 'hour', kind: s.kind, entityId: s.entityId, metric: s.metric, from, to })
    for (const r of rows)
      samples.push({ key: seriesKey(s.metric, s.entityId), t: Date.parse(r.start), value: r.mean })
  }
  const intake = await store.incidents.intakeByTownHour({ from, to })
  const counts = new Map<string, Map<number, number>>()
  for (const row of intake) {
    const byHour = counts.get(row.townCode) ?? new Map<number, number>()
    byHour.set(Date.parse(row.t), row.count)
    counts.set(row.townCode, byHour)
  }
  for (const [townCode, byHour] of counts) {
    const first = Math.min(...byHour.keys())
    for (let t = first; t < Date.parse(to); t += HOUR_MS)
      samples.push({ key: seriesKey('intake1h', townCode), t, value: byHour.get(t) ?? 0 })
  }
  return learnBaseline(samples)
}
