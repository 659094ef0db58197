import { describe, expect, it } from 'vitest'
import type { ReviewPeriod } from '@shared/schemas/review'
import { loadCity } from '@server/city'
import { airReview } from './air-review'
import type { DayRow } from './day-fold'
import { DAY_KINDS } from './day-fold'
import { hallReview } from './hall-review'
import { memoryRows } from './period-rows'
import { trafficReview } from './traffic-review'

const city = loadCity('dongguan')
const period = (from: string, to: string, days: number): ReviewPeriod =>
  ({ from, to, fromAt: new Date(Date.parse(`${from}T00:00:00+08:00`)).toISOString(), toAt: new Date(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000).toISOString(), days, partial: false })
const CURRENT = period('2026-11-30', '2026-12-02', 3)
const PREVIOUS = period('2026-11-27', '2026-11-29', 3)
/** CURRENT and the week after it. */
const WIDE = period('2026-11-30', '2026-12-07', 8)
const row = (kind: string, entityId: string, metric: string, day: string, n: number, sum: number, max = sum / n): DayRow => ({ kind, entityId, metric, day, n, sum, min: 0, max })

/** A day of an area's air: 24 hours of each mean, and the O3 maxima. */
function airDay(day: string, pm25: number, hours = 24): DayRow[] {
  const area = (metric: string, mean: number, max = mean, n = 24) => row(DAY_KINDS.airArea, 'city', metric, day, n, n * mean, max)
  return [area('so2', 8), area('no2', 30), area('co', 0.7), area('pm10', 40), area('o3', 60, 120), area('o3_8h', 55, 90), area('pm25', pm25, pm25, hours)]
}

describe('the review\'s measures from day rows', () => {
  it('air: valid days by level, the share of 优良 days, means of valid days and primary pollutants', async () => {
    const rows = [
      ...airDay('2026-11-30', 20), // AQI 45, 优
      ...airDay('2026-12-01', 80), // PM2.5 80 → IAQI 107, 轻度污染, PM2.5 primary
      ...airDay('2026-12-02', 150, 10), // too few PM2.5 hours: invalid
      ...airDay('2026-11-28', 50), // previous period: PM2.5 50 → 50 / 40 × 15 + 50 = 68.75 → 69, 良
    ]
    const air = await airReview(memoryRows(CURRENT, rows), memoryRows(PREVIOUS, rows), 'city', city.airStations.map(s => s.id))
    expect(air?.days.map(d => [d.day, d.aqi, d.level, d.valid])).toEqual([['2026-11-30', 45, 1, true], ['2026-12-01', 107, 3, true], ['2026-12-02', 200, 4, false]])
    expect(air?.validDays).toEqual({ value: 2, previous: 1 })
    expect(air?.daysByLevel.filter(l => l.days > 0)).toEqual([{ level: 1, days: 1 }, { level: 3, days: 1 }])
    expect(air?.goodShare).toEqual({ value: 0.5, previous: 1 })
    expect(air?.aqiMean).toEqual({ value: 76, previous: 69 })
    expect(air?.pm25).toEqual({ value: 50, previous: 50 })
    expect(air?.o3_8h).toEqual({ value: 90, previous: 90 })
    expect(air?.primaryDays).toEqual([{ pollutant: 'pm25', days: 1 }])
    expect(await airReview(memoryRows(CURRENT, rows), memoryRows(PREVIOUS, rows), 'city', [])).toBeNull()
  })

  it('traffic: TPI by weekday and hour, peaks, congested roads, towns and kilometres by grade', async () => {
    const [expressway] = city.roads.filter(r => r.roadClass === 'expressway')
    const [arterial] = city.roads.filter(r => r.roadClass === 'arterial' && r.name !== expressway!.name)
    const town = city.towns[0]!.code
    const rows = [
      // Monday 08:00 over two Mondays (three readings of 6, one of 8), Tuesday 18:00 once.
      row(DAY_KINDS.trafficHour, 'city', '0:8', '2026-11-30', 3, 18),
      row(DAY_KINDS.trafficHour, 'city', '0:8', '2026-12-07', 1, 8),
      row(DAY_KINDS.trafficHour, 'city', '1:18', '2026-12-01', 1, 7.5),
      row('traffic', 'city', 'tpi', '2026-11-30', 10, 40),
      row('traffic', 'city', 'tpi', '2026-11-28', 10, 30),
      row('traffic', town, 'tpi', '2026-11-30', 2, 9),
      row(DAY_KINDS.trafficPeak, 'city', 'tpi', '2026-11-30', 4, 24),
      row(DAY_KINDS.road, expressway!.name, 'kmHours', '2026-11-30', 24, 100),
      row(DAY_KINDS.road, expressway!.name, 'congestedKmHours', '2026-11-30', 24, 25),
      row(DAY_KINDS.road, arterial!.name, 'kmHours', '2026-11-30', 24, 50),
      row(DAY_KINDS.road, arterial!.name, 'congestedKmHours', '2026-11-30', 24, 20),
      row(DAY_KINDS.road, arterial!.name, 'kmHours', '2026-11-28', 24, 50),
      row(DAY_KINDS.road, arterial!.name, 'congestedKmHours', '2026-11-28', 24, 5),
      row(DAY_KINDS.trafficGrade, 'city', 'hours', '2026-11-30', 10, 10),
      row(DAY_KINDS.trafficGrade, 'city', 'kmHours.free', '2026-11-30', 10, 9000),
      row(DAY_KINDS.trafficGrade, 'city', 'kmHours.severe', '2026-11-30', 10, 500),
    ]
    const traffic = await trafficReview(memoryRows(WIDE, rows), memoryRows(PREVIOUS, rows), city, 'city')
    expect(traffic?.tpiByWeekdayHour[0]?.[8]).toBe(6.5)
    expect(traffic?.tpiByWeekdayHour[1]?.[18]).toBe(7.5)
    expect(traffic?.tpiByWeekdayHour[2]?.[8]).toBeNull()
    expect(traffic?.tpiMean).toEqual({ value: 4, previous: 3 })
    expect(traffic?.peakTpi).toEqual({ value: 6, previous: null })
    // 20 / 50 = 40 % before 25 / 100 = 25 %.
    expect(traffic?.corridors.map(c => [c.name, c.congestedShare, c.previousShare])).toEqual([[arterial!.name, 0.4, 0.1], [expressway!.name, 0.25, null]])
    expect(traffic?.towns).toEqual([{ townCode: town, tpi: 4.5, peakTpi: null, previous: null }])
    expect(traffic?.kmByGrade.find(g => g.grade === 'free')).toEqual({ grade: 'free', km: 900, previous: null })
    expect(traffic?.kmByGrade.find(g => g.grade === 'severe')?.km).toBe(50)
  })

  it('halls: visitors, the wait weighted by visitors, bands, 好评率 and the halls ranked', async () => {
    const [h1, h2] = [city.halls[0]!, city.halls[1]!]
    const hall = (id: string, day: string, visitors: number, wait: number, bad: number, good: number): DayRow[] => [
      row(DAY_KINDS.hallDay, id, 'visitors', day, visitors, visitors),
      row(DAY_KINDS.hallDay, id, 'waitMinVisitors', day, visitors, wait * visitors),
      row(DAY_KINDS.hallDay, id, `waitBand.${wait < 10 ? '5-10' : '20-30'}`, day, visitors, visitors),
      row(DAY_KINDS.hallDay, id, 'ratings.dissatisfied', day, bad, bad),
      row(DAY_KINDS.hallDay, id, 'ratings.satisfied', day, good, good),
    ]
    const rows = [
      ...hall(h1.id, '2026-11-30', 300, 8, 2, 98),
      ...hall(h2.id, '2026-11-30', 100, 24, 10, 40),
      ...hall(h1.id, '2026-11-28', 200, 10, 0, 10),
      row(DAY_KINDS.hallArea, 'city', 'visitors', '2026-11-30', 400, 400),
      row(DAY_KINDS.hallArea, 'city', 'visitors', '2026-11-28', 200, 200),
    ]
    const halls = await hallReview(memoryRows(CURRENT, rows), memoryRows(PREVIOUS, rows), 'city', [h1.id, h2.id])
    expect(halls?.visitors).toEqual({ value: 400, previous: 200 })
    // (300 × 8 + 100 × 24) / 400 = 12.
    expect(halls?.waitMin).toEqual({ value: 12, previous: 10 })
    expect(halls?.waitBands.filter(b => b.visitors > 0)).toEqual([{ band: '5-10', visitors: 300 }, { band: '20-30', visitors: 100 }])
    // 12 差评 of 150 ratings: 92 % good.
    expect(halls?.goodRate).toEqual({ value: 1 - 12 / 150, previous: 1 })
    expect(halls?.badRatings).toEqual({ value: 12, previous: 0 })
    expect(halls?.busiest.map(h => [h.hallId, h.visitors, h.waitMin])).toEqual([[h1.id, 300, 8], [h2.id, 100, 24]])
    expect(halls?.badByHall.map(h => [h.hallId, h.bad, h.ratings])).toEqual([[h2.id, 10, 50], [h1.id, 2, 100]])
    expect(halls?.days).toEqual([{ day: '2026-11-30', visitors: 400 }])
    // Before the history began there is nothing to compare with: no previous figure rather than zero.
    const first = await hallReview(memoryRows(CURRENT, rows), memoryRows(PREVIOUS, []), 'city', [h1.id, h2.id])
    expect([first?.visitors.previous, first?.badRatings.previous, first?.goodRate.previous]).toEqual([null, null, null])
  })
})
