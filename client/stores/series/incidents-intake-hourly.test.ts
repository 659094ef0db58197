// The stores under test use Vite's `import.meta.hot`; this file is also checked by tsconfig.server.json.
/// <reference types="vite/client" />
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { effectScope, nextTick } from 'vue'
import { StreamMirror } from '@shared/realtime/mirror'
import { kpiSet } from '@shared/realtime/mirror.support'
import type { IncidentIntake } from '@shared/schemas/incidents'
import type { KpiSet } from '@shared/schemas/kpis'
import { useLiveStore } from '@client/stores/live'
import { DAY_MS, HOUR_MS, MINUTE_MS } from './halls-incidents-day'
import { hourlyIntake, intakeCount, useIncidentsIntakeHourly } from './incidents-intake-hourly'

/** 2026-11-23 00:00 in Dongguan. */
const MIDNIGHT = Date.parse('2026-11-22T16:00:00.000Z')
const YESTERDAY = MIDNIGHT - DAY_MS
const at = (hours: number, minutes = 0): number => MIDNIGHT + hours * HOUR_MS + minutes * MINUTE_MS
const iso = (t: number): string => new Date(t).toISOString()

/** The server's answer: `perHour(start)` orders in each hour from yesterday's midnight up to `to` (0: left out, as the server does). */
function answer(to: number, perHour: (start: number) => number): IncidentIntake {
  const hours: IncidentIntake['hours'] = []
  for (let t = YESTERDAY; t < to; t += HOUR_MS) {
    const count = perHour(t)
    if (count > 0)
      hours.push({ t: iso(t), count })
  }
  return { from: iso(YESTERDAY), to: iso(to), hours }
}

/** 10 orders an hour, but none at 03:00–04:00 of either day. */
const tenAnHour = (start: number): number => ((start - MIDNIGHT) / HOUR_MS) % 24 === 3 || ((start - YESTERDAY) / HOUR_MS) === 3 ? 0 : 10

describe(hourlyIntake.name, () => {
  it('gives every ended hour the server\'s count (0 when it had none), the hour in progress the live intake less the earlier hours', () => {
    const now = at(9, 30)
    const result = hourlyIntake(intakeCount(answer(now + HOUR_MS, tenAnHour), now), now, 97)
    expect(result.dayStart).toBe(MIDNIGHT)
    expect(result.currentHour).toBe(9)
    expect(result.today.slice(0, 9)).toEqual([10, 10, 10, 0, 10, 10, 10, 10, 10])
    // 97 today, 80 of them before 09:00.
    expect(result.today[9]).toBe(17)
    expect(result.today.slice(10)).toEqual(Array.from({ length: 14 }, () => null))
    expect(result.yesterday).toEqual(Array.from({ length: 24 }, (_, h) => (h === 3 ? 0 : 10)))
  })

  it('leaves out what the read does not cover: hours ended after it, hours before it began, and the live hour without the live intake', () => {
    // Read at 08:50; it is now 10:10 and the next read has not come back yet.
    const read = intakeCount(answer(at(9, 50), tenAnHour), at(8, 50))
    const result = hourlyIntake(read, at(10, 10), 120)
    expect(result.today.slice(7, 11)).toEqual([10, null, null, null])
    const late = hourlyIntake({ ...read, from: at(2) }, at(8, 55), null)
    expect(late.today.slice(0, 3)).toEqual([null, null, 10])
    expect(late.today[8]).toBeNull()
    expect(hourlyIntake(null, at(1), 5).today[1]).toBeNull()
  })

  it('never shows a negative live hour when the live intake lags the server\'s count', () => {
    const now = at(2, 5)
    expect(hourlyIntake(intakeCount(answer(now, () => 10), now), now, 18).today[2]).toBe(0)
  })
})

describe(useIncidentsIntakeHourly.name, () => {
  let mirror: StreamMirror<'kpis'> | undefined
  const asks: [from: number, to: number][] = []
  let real = 0
  let failing = false
  /** The kpis stream as the realtime module plays it: the mirror seen at the next UI tick. */
  const deliver = async (time: number, intake: number): Promise<void> => {
    const set: KpiSet = { ...kpiSet(0, 40), at: iso(time) }
    set.incidents = { ...set.incidents, intakeToday: { value: intake, dayAgo: null, weekAgo: null } }
    if (mirror)
      mirror.apply(set)
    else
      mirror = new StreamMirror('kpis', set)
    const live = useLiveStore()
    live.applied('kpis')
    live.flush()
    await nextTick()
    await new Promise(resolve => setTimeout(resolve, 0))
  }
  const load = (from: number, to: number): Promise<IncidentIntake> => {
    asks.push([from, to])
    return failing ? Promise.reject(new Error('503 Service Unavailable')) : Promise.resolve(answer(Math.min(to, at(2, 20)), tenAnHour))
  }

  beforeEach(() => {
    setActivePinia(createPinia())
    mirror = undefined
    asks.length = 0
    real = 0
    failing = false
    useLiveStore().attach('kpis', () => mirror?.view())
  })

  it('reads yesterday and today from the server, again at each new hour, and grows the live hour with each KPI set', async () => {
    const scope = effectScope()
    const intake = scope.run(() => useIncidentsIntakeHourly(load, () => real))!
    expect(intake.hourly.value).toBeNull()
    await deliver(at(2, 10), 27)
    expect(asks).toEqual([[YESTERDAY, at(3, 10)]])
    expect(intake.hourly.value?.today.slice(0, 3)).toEqual([10, 10, 7])
    // Within the same 5 minutes of the server's clock: no new read, the live hour follows the intake.
    real += 60_000
    await deliver(at(2, 12), 29)
    expect(asks).toHaveLength(1)
    expect(intake.hourly.value?.today[2]).toBe(9)
    // A new hour: read at once.
    await deliver(at(3, 0), 31)
    expect(asks).toHaveLength(2)
    expect(intake.historyError.value).toBeNull()
    scope.stop()
  })

  it('keeps the last count and says the server could not be read', async () => {
    const scope = effectScope()
    const intake = scope.run(() => useIncidentsIntakeHourly(load, () => real))!
    await deliver(at(2, 10), 27)
    failing = true
    await deliver(at(3, 0), 31)
    expect(intake.historyError.value).toBe('503 Service Unavailable')
    expect(intake.hourly.value?.today.slice(0, 2)).toEqual([10, 10])
    scope.stop()
  })
})
