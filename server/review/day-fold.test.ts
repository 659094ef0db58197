import { describe, expect, it } from 'vitest'
import { loadCity } from '@server/city'
import type { RollupRow } from '@server/store/repositories'
import type { AirStation } from '@shared/schemas/air'
import type { DayRow } from './day-fold'
import { DAY_KINDS, foldTelemetryDay, localHourOf, waitBand } from './day-fold'

const city = loadCity('dongguan')
const DAY = '2026-12-02' // a Wednesday: a working day
/** The UTC instant of a local hour of DAY (local midnight is 16:00 UTC the day before). */
const at = (localHour: number): string => new Date(Date.parse('2026-12-01T16:00:00Z') + localHour * 3_600_000).toISOString()
const hour = (kind: RollupRow['kind'], entityId: string, metric: string, localHour: number, mean: number, max = mean): RollupRow =>
  ({ kind, entityId, metric, start: at(localHour), n: 1, mean, min: mean, max })
const find = (rows: readonly DayRow[], kind: string, entityId: string, metric: string): DayRow | undefined =>
  rows.find(r => r.kind === kind && r.entityId === entityId && r.metric === metric)

// Three stations in three towns (Dongguan has one station per town).
const [a1, a2, b1] = city.airStations as [AirStation, AirStation, AirStation]
const [townA, townB] = [a1.townCode, b1.townCode]
const segment = city.roads.find(r => r.roadClass === 'arterial')!
const hall = city.halls[0]!

describe('folding a day of hourly rollups', () => {
  it('knows the local hour of an hour bucket', () => {
    expect(localHourOf(at(0))).toBe(0)
    expect(localHourOf(at(17))).toBe(17)
  })

  it('means an area\'s stations hour by hour, then folds the area-hours into the day', () => {
    const rows = foldTelemetryDay(DAY, [
      hour('air', a1.id, 'pm25', 8, 30),
      hour('air', a2.id, 'pm25', 8, 50),
      hour('air', b1.id, 'pm25', 8, 70),
      hour('air', a1.id, 'pm25', 9, 10),
    ], city, true)
    // City: (30 + 50 + 70) / 3 = 50 at 08:00 and 10 at 09:00. Station a1's town: 30, then 10. b1's town: 70.
    expect(find(rows, DAY_KINDS.airArea, 'city', 'pm25')).toMatchObject({ n: 2, sum: 60, min: 10, max: 50 })
    expect(find(rows, DAY_KINDS.airArea, townA, 'pm25')).toMatchObject({ n: 2, sum: 40, max: 30 })
    expect(find(rows, DAY_KINDS.airArea, townB, 'pm25')).toMatchObject({ n: 1, sum: 70 })
    // Each station's own series is kept per day too.
    expect(find(rows, 'air', a1.id, 'pm25')).toMatchObject({ n: 2, sum: 40, min: 10, max: 30, day: DAY })
  })

  it('grades each segment-hour from its mean speed and counts length-hours by road and grade', () => {
    const free = segment.freeFlowKmh
    const rows = foldTelemetryDay(DAY, [
      // 25 % of free flow: 严重拥堵; 90 %: 畅通.
      hour('traffic', segment.id, 'speedKmh', 8, free * 0.25),
      hour('traffic', segment.id, 'speedKmh', 12, free * 0.9),
      hour('traffic', 'city', 'tpi', 8, 6),
      hour('traffic', 'city', 'tpi', 12, 3),
    ], city, true)
    const km = segment.lengthKm
    expect(find(rows, DAY_KINDS.road, segment.name, 'kmHours')?.sum).toBeCloseTo(2 * km)
    expect(find(rows, DAY_KINDS.road, segment.name, 'congestedKmHours')?.sum).toBeCloseTo(km)
    expect(find(rows, DAY_KINDS.road, `${segment.townCode}|${segment.name}`, 'congestedKmHours')?.sum).toBeCloseTo(km)
    expect(find(rows, DAY_KINDS.trafficGrade, 'city', 'kmHours.severe')?.sum).toBeCloseTo(km)
    expect(find(rows, DAY_KINDS.trafficGrade, 'city', 'kmHours.free')?.sum).toBeCloseTo(km)
    expect(find(rows, DAY_KINDS.trafficGrade, segment.townCode, 'hours')?.sum).toBe(2)
    // 08:00 is a peak hour of a working day, 12:00 is not.
    expect(find(rows, DAY_KINDS.trafficPeak, 'city', 'tpi')).toMatchObject({ n: 1, sum: 6 })
    expect(find(rows, 'traffic', 'city', 'tpi')).toMatchObject({ n: 2, sum: 9 })
    // The weekday × hour cells: Wednesday (2) at 08:00 and 12:00.
    expect(rows.filter(r => r.kind === DAY_KINDS.trafficHour).map(r => [r.entityId, r.metric, r.sum])).toEqual([['city', '2:8', 6], ['city', '2:12', 3]])
    // Segment speeds are not kept per day.
    expect(find(rows, 'traffic', segment.id, 'speedKmh')).toBeUndefined()
    // A weekend has no working-day peak.
    expect(find(foldTelemetryDay('2026-12-05', [hour('traffic', 'city', 'tpi', 8, 6)], city, false), DAY_KINDS.trafficPeak, 'city', 'tpi')).toBeUndefined()
  })

  it('takes a hall\'s day totals from its day counters and its mean wait as last reported', () => {
    const rows = foldTelemetryDay(DAY, [
      hour('hall', hall.id, 'ticketsToday', 10, 100, 120),
      hour('hall', hall.id, 'ticketsToday', 17, 290, 300),
      hour('hall', hall.id, 'avgWaitMin', 10, 8),
      hour('hall', hall.id, 'avgWaitMin', 17, 12.5),
      hour('hall', hall.id, 'ratings.dissatisfied', 17, 2, 3),
      hour('hall', hall.id, 'ratings.satisfied', 17, 40, 41),
    ], city, true)
    expect(find(rows, DAY_KINDS.hallDay, hall.id, 'visitors')?.sum).toBe(300)
    // …and toward its town's and the city's visitors.
    expect(find(rows, DAY_KINDS.hallArea, 'city', 'visitors')?.sum).toBe(300)
    expect(find(rows, DAY_KINDS.hallArea, hall.townCode, 'visitors')?.sum).toBe(300)
    expect(find(rows, DAY_KINDS.hallDay, hall.id, 'ratings.dissatisfied')?.sum).toBe(3)
    expect(find(rows, DAY_KINDS.hallDay, hall.id, 'ratings.satisfied')?.sum).toBe(41)
    expect(find(rows, DAY_KINDS.hallDay, hall.id, 'ratings.veryDissatisfied')?.sum).toBe(0)
    expect(find(rows, DAY_KINDS.hallDay, hall.id, 'waitMinVisitors')).toMatchObject({ n: 300, sum: 12.5 * 300 })
    expect(find(rows, DAY_KINDS.hallDay, hall.id, 'waitBand.10-15')?.sum).toBe(300)
    expect([waitBand(4.9), waitBand(5), waitBand(19.9), waitBand(20), waitBand(45)]).toEqual(['0-5', '5-10', '15-20', '20-30', '30+'])
  })
})
