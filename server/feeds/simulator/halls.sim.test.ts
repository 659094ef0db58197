import { describe, expect, it } from 'vitest'
import { HallObservation } from '@shared/schemas/halls'
import type { WorkCalendar } from './china-time'
import { WEEKDAY_CALENDAR } from './china-time'
import { CityIndex } from './city-index'
import { fixtureCity, MONDAY_MIDNIGHT } from './city.fixture'
import { HallSimulator } from './halls.sim'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const city = fixtureCity()
const windowsOf = new Map(city.halls.map(h => [h.id, h.windows]))

/** National Day week 2026: 1–7 October off (1 October is a Thursday), Saturday 10 October a make-up working day. */
const OCTOBER: WorkCalendar = {
  isWorkingDay: (date) => {
    if (date === '2026-10-10')
      return true
    if (date >= '2026-10-01' && date <= '2026-10-07')
      return false
    return WEEKDAY_CALENDAR.isWorkingDay(date)
  },
}

/** 00:00 China time of a local date. */
const midnight = (date: string): number => Date.parse(`${date}T00:00:00+08:00`)

function simulator(calendar: WorkCalendar = WEEKDAY_CALENDAR, seed = 3): HallSimulator {
  return new HallSimulator({ halls: city.halls, index: new CityIndex(city), calendar, seed, faultRate: 0 })
}

function byHall(records: unknown[]): Map<string, HallObservation> {
  return new Map(records.map((r) => {
    const o = HallObservation.parse(r)
    return [o.hallId, o]
  }))
}

describe('HallSimulator', () => {
  it('is closed at night: nobody waits, no window is open', () => {
    const obs = byHall(simulator().tick(MONDAY_MIDNIGHT + 3 * HOUR))
    expect(obs.size).toBe(city.halls.length)
    for (const o of obs.values())
      expect([o.waiting, o.windowsOpen, o.windowsBusy, o.ticketsToday]).toEqual([0, 0, 0, 0])
  })

  it('stays closed on a public holiday and opens on a make-up working Saturday with working-day hours', () => {
    const holiday = byHall(simulator(OCTOBER).tick(midnight('2026-10-01') + 10.5 * HOUR))
    for (const o of holiday.values())
      expect([o.waiting, o.windowsOpen, o.ticketsToday]).toEqual([0, 0, 0])

    // 15:30: a town hall's Saturday hours end at 16:00 but its working-day hours at 17:30, so both are open then; 16:45 tells them apart.
    const makeUp = simulator(OCTOBER)
    const late = byHall(makeUp.tick(midnight('2026-10-10') + 16.75 * HOUR))
    const plainSaturday = byHall(simulator(OCTOBER).tick(midnight('2026-10-17') + 16.75 * HOUR))
    for (const id of ['H-HUMEN', 'H-CHANGAN', 'H-DONGCHENG']) {
      expect(late.get(id)?.windowsOpen).toBeGreaterThan(0)
      expect(late.get(id)?.ticketsToday).toBeGreaterThan(100)
      expect(plainSaturday.get(id)?.windowsOpen).toBe(0)
      expect(plainSaturday.get(id)?.ticketsToday).toBeGreaterThan(0)
    }
  })

  it('opens the city hall on Sunday and keeps the town halls shut', () => {
    const sunday = byHall(simulator().tick(MONDAY_MIDNIGHT - DAY + 10.5 * HOUR))
    expect(sunday.get('H-CITY')?.windowsOpen).toBeGreaterThan(0)
    expect(sunday.get('H-HUMEN')?.windowsOpen).toBe(0)
    expect(sunday.get('H-HUMEN')?.ticketsToday).toBe(0)
  })

  it('resets the day counters at local midnight', () => {
    const sim = simulator()
    const evening = byHall(sim.tick(MONDAY_MIDNIGHT + DAY - 5 * MIN)).get('H-CITY')
    expect(evening?.ticketsToday).toBeGreaterThan(0)
    expect(evening?.ratingsToday.verySatisfied).toBeGreaterThan(0)
    const next = byHall(sim.tick(MONDAY_MIDNIGHT + DAY)).get('H-CITY')
    expect(next).toMatchObject({ ticketsToday: 0, servedToday: 0, avgWaitMin: 0, maxWaitMin: 0 })
    expect(Object.values(next?.ratingsToday ?? { x: 1 })).toEqual([0, 0, 0, 0, 0])
  })

  it('serves a plausible day: hundreds of tickets, windows staffed by load, consistent counters and ratings', { timeout: 30_000 }, () => {
    const sim = simulator()
    const opened = new Map<string, Set<number>>()
    let last = new Map<string, HallObservation>()
    for (let t = MONDAY_MIDNIGHT; t < MONDAY_MIDNIGHT + DAY; t += 10 * MIN) {
      last = byHall(sim.tick(t))
      for (const o of last.values()) {
        expect(o.windowsOpen).toBeLessThanOrEqual(windowsOf.get(o.hallId) ?? 0)
        expect(o.servedToday).toBeLessThanOrEqual(o.ticketsToday)
        expect(Object.values(o.ratingsToday).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(o.servedToday)
        const set = opened.get(o.hallId) ?? new Set()
        set.add(o.windowsOpen)
        opened.set(o.hallId, set)
      }
    }
    const city = last.get('H-CITY')
    expect(city?.ticketsToday).toBeGreaterThan(600)
    expect(city?.ticketsToday).toBeLessThan(1400)
    for (const id of ['H-NANCHENG', 'H-DONGCHENG', 'H-SHATIAN', 'H-HUMEN', 'H-CHANGAN']) {
      expect(last.get(id)?.ticketsToday).toBeGreaterThan(100)
      expect(last.get(id)?.ticketsToday).toBeLessThan(700)
    }
    // Not all windows all day: the open count changes, and the city hall never needs all 40.
    expect(opened.get('H-CITY')?.size).toBeGreaterThan(3)
    expect(Math.max(...(opened.get('H-CITY') ?? [40]))).toBeLessThan(40)
    expect(city?.avgWaitMin).toBeGreaterThan(0)
    expect(city?.avgServiceMin).toBeGreaterThanOrEqual(5)
    expect(city?.avgServiceMin).toBeLessThanOrEqual(20)
  })

  it('has a morning peak: more tickets between 10 and 11 than in the first hour', { timeout: 30_000 }, () => {
    const sim = simulator()
    let first = 0
    let peak = 0
    for (let day = 0; day < 5; day++) {
      const d0 = MONDAY_MIDNIGHT + day * DAY
      const at = (h: number): number => [...byHall(sim.tick(d0 + h * HOUR)).values()].reduce((s, o) => s + o.ticketsToday, 0)
      const t9 = at(9)
      const t10 = at(10)
      const t11 = at(11)
      first += t10 - t9
      peak += t11 - t10
    }
    expect(peak).toBeGreaterThan(first * 1.1)
  })
})
