import { isWorkday as packageIsWorkday } from 'chinese-days'
import packageDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' }
import shippedOverrides from '@server/city/data/calendar-overrides.json' with { type: 'json' }
import { describe, expect, it } from 'vitest'
import { CalendarOverridesSchema, WorkingCalendar, localDate, localMidnight } from './working-days'

const PACKAGE = packageDays as { holidays: Record<string, string>, workdays: Record<string, string> }

/**
 * The 2026 schedule as the State Council published it (国办发明电〔2025〕7号),
 * written out by hand: days off, and the weekend days worked in exchange.
 */
const HOLIDAYS_2026: Record<string, { off: [string, string], worked: string[] }> = {
  'New Year (元旦)': { off: ['2026-01-01', '2026-01-03'], worked: ['2026-01-04'] },
  'Spring Festival (春节)': { off: ['2026-02-15', '2026-02-23'], worked: ['2026-02-14', '2026-02-28'] },
  'Qingming (清明)': { off: ['2026-04-04', '2026-04-06'], worked: [] },
  'Labour Day (劳动节)': { off: ['2026-05-01', '2026-05-05'], worked: ['2026-05-09'] },
  'Dragon Boat (端午)': { off: ['2026-06-19', '2026-06-21'], worked: [] },
  'Mid-Autumn (中秋)': { off: ['2026-09-25', '2026-09-27'], worked: [] },
  'National Day (国庆)': { off: ['2026-10-01', '2026-10-07'], worked: ['2026-09-20', '2026-10-10'] },
}

function* datesFrom(first: string, last: string): Generator<string> {
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000)
    yield new Date(t).toISOString().slice(0, 10)
}

const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay()

const calendar = new WorkingCalendar()

describe('WorkingCalendar: the 2026 holidays', () => {
  for (const [name, { off: [first, last], worked }] of Object.entries(HOLIDAYS_2026)) {
    it(`${name}: ${first} to ${last} off, ${worked.join(', ') || 'no day'} worked`, () => {
      for (const d of datesFrom(first, last)) {
        expect(PACKAGE.holidays[d], `package lists ${d} as a holiday`).toBeDefined()
        expect(calendar.isHoliday(d), d).toBe(true)
        expect(calendar.isWorkingDay(d), d).toBe(false)
      }
      for (const d of worked) {
        expect([0, 6], `${d} is a weekend day`).toContain(weekday(d))
        expect(PACKAGE.workdays[d], `package lists ${d} as a workday`).toBeDefined()
        expect(calendar.isWorkingDay(d), d).toBe(true)
        expect(calendar.isHoliday(d), d).toBe(false)
      }
    })
  }

  it('has no other 2026 holidays or make-up days in the package', () => {
    const off = Object.values(HOLIDAYS_2026).flatMap(h => [...datesFrom(...h.off)])
    const worked = Object.values(HOLIDAYS_2026).flatMap(h => h.worked)
    expect(Object.keys(PACKAGE.holidays).filter(d => d.startsWith('2026')).sort()).toEqual(off.sort())
    expect(Object.keys(PACKAGE.workdays).filter(d => d.startsWith('2026')).sort()).toEqual(worked.sort())
  })

  it('counts 248 working days in 2026 (261 weekdays − 19 on holidays + 6 make-up days)', () => {
    expect(calendar.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(248)
  })

  it('treats plain weekends as days off but not as holidays', () => {
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false) // Saturday
    expect(calendar.isHoliday('2026-03-07')).toBe(false)
    expect(calendar.isWorkingDay('2026-03-09')).toBe(true) // Monday
  })

  it('agrees with the package on every day it knows, 2004 to 2026', () => {
    for (const d of datesFrom('2004-01-01', '2026-12-31'))
      expect(calendar.isWorkingDay(d), d).toBe(packageIsWorkday(d))
  })

  it('knows through 2026 and follows Monday to Friday beyond', () => {
    expect(calendar.knownThroughYear).toBe(2026)
    expect(calendar.isWorkingDay('2027-01-01')).toBe(true) // a Friday, New Year not yet published
    expect(calendar.isWorkingDay('2027-01-02')).toBe(false)
    expect(calendar.isWorkingDay('2003-01-01')).toBe(true)
  })
})

describe('addWorkingDays and workingDaysBetween', () => {
  it('crosses the Spring Festival 2026 (by hand)', () => {
    // Fri 13 Feb → Sat 14 (make-up) is day 1; 15–23 off; Tue 24 is day 2; Sat 28 (make-up) day 6.
    expect(calendar.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14')
    expect(calendar.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24')
    expect(calendar.addWorkingDays('2026-02-13', 6)).toBe('2026-02-28')
    expect(calendar.addWorkingDays('2026-02-13', 7)).toBe('2026-03-02')
    expect(calendar.addWorkingDays('2026-02-15', 1)).toBe('2026-02-24')
    expect(calendar.workingDaysBetween('2026-02-13', '2026-03-02')).toBe(7)
  })

  it('crosses the Mid-Autumn and National Day 2026 (by hand)', () => {
    expect(calendar.addWorkingDays('2026-09-18', 1)).toBe('2026-09-20') // Sun 20 Sep is worked
    expect(calendar.addWorkingDays('2026-09-24', 1)).toBe('2026-09-28') // Fri 25 Sep off
    expect(calendar.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08')
    expect(calendar.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10') // Sat 10 Oct is worked
    expect(calendar.addWorkingDays('2026-09-30', 4)).toBe('2026-10-12')
    expect(calendar.workingDaysBetween('2026-09-30', '2026-10-12')).toBe(4)
  })

  it('counts back with a negative n, and returns the date itself for 0', () => {
    expect(calendar.addWorkingDays('2026-10-08', -1)).toBe('2026-09-30')
    expect(calendar.addWorkingDays('2026-10-08', 0)).toBe('2026-10-08')
    expect(calendar.workingDaysBetween('2026-10-12', '2026-09-30')).toBe(-4)
    expect(calendar.workingDaysBetween('2026-10-12', '2026-10-12')).toBe(0)
  })

  it('inverts: between(d, add(d, n)) = n', () => {
    for (const d of ['2026-01-01', '2026-02-13', '2026-04-30', '2026-09-19', '2026-12-25']) {
      for (const n of [1, 2, 10, 15, 40])
        expect(calendar.workingDaysBetween(d, calendar.addWorkingDays(d, n))).toBe(n)
    }
  })

  it('rejects bad input', () => {
    expect(() => calendar.addWorkingDays('2026-02-30', 1)).toThrow(/not a calendar date/)
    expect(() => calendar.addWorkingDays('2026-2-3', 1)).toThrow(/not a calendar date/)
    expect(() => calendar.addWorkingDays('2026-02-03', 1.5)).toThrow(RangeError)
    expect(() => calendar.isWorkingDay('')).toThrow(RangeError)
  })
})

describe('localDate and localMidnight (UTC+8)', () => {
  it('turns the date at 16:00 UTC', () => {
    expect(localDate('2026-09-30T15:59:59Z')).toBe('2026-09-30')
    expect(localDate('2026-09-30T16:00:00Z')).toBe('2026-10-01')
    expect(localDate(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01')
    expect(localDate(Date.UTC(2026, 8, 30, 15, 59, 59, 999))).toBe('2026-09-30')
    expect(localDate('2026-10-01T00:00:00+08:00')).toBe('2026-10-01')
    expect(localDate('2026-09-30T23:59:59-05:00')).toBe('2026-10-01')
  })
  it('refuses a text instant without an offset, or no instant at all', () => {
    expect(() => localDate('2026-09-30T12:00:00')).toThrow(/offset/)
    expect(() => localDate('garbageZ')).toThrow(RangeError)
    expect(() => localDate(Number.NaN)).toThrow(RangeError)
  })
  it('gives the instant a local day begins', () => {
    expect(new Date(localMidnight('2026-10-01')).toISOString()).toBe('2026-09-30T16:00:00.000Z')
  })
})

describe('overrides', () => {
  // A made-up 2027 schedule: Mon 8 Feb off, Sat 20 Feb worked.
  const overridden = new WorkingCalendar({ holidays: ['2027-02-08'], workdays: ['2027-02-20'] })

  it('add days the package does not know, and extend knownThroughYear', () => {
    expect(calendar.isWorkingDay('2027-02-08')).toBe(true)
    expect(calendar.isWorkingDay('2027-02-20')).toBe(false)
    expect(overridden.isWorkingDay('2027-02-08')).toBe(false)
    expect(overridden.isHoliday('2027-02-08')).toBe(true)
    expect(overridden.isWorkingDay('2027-02-20')).toBe(true)
    expect(overridden.knownThroughYear).toBe(2027)
    // Fri 5 Feb + 1 skips the weekend and the holiday Monday
    expect(overridden.addWorkingDays('2027-02-05', 1)).toBe('2027-02-09')
    expect(overridden.workingDaysBetween('2027-02-19', '2027-02-22')).toBe(2)
  })

  it('win over the package', () => {
    const c = new WorkingCalendar({ holidays: ['2026-10-10'], workdays: ['2026-10-07'] })
    expect(c.isWorkingDay('2026-10-10')).toBe(false)
    expect(c.isHoliday('2026-10-10')).toBe(true)
    expect(c.isWorkingDay('2026-10-07')).toBe(true)
    expect(c.isHoliday('2026-10-07')).toBe(false)
    expect(c.knownThroughYear).toBe(2026)
  })

  it('are validated with a clear error', () => {
    expect(() => new WorkingCalendar({ holidays: ['2027-02-30'], workdays: [] })).toThrow(/2027-02-30/)
    expect(() => new WorkingCalendar({ holidays: ['27-2-8'], workdays: [] })).toThrow(/not a calendar date/)
    expect(() => new WorkingCalendar({ holidays: ['2027-02-08'], workdays: ['2027-02-08'] }))
      .toThrow(/both as a holiday and as a workday/)
    expect(CalendarOverridesSchema.safeParse({ holiday: [], workdays: [] }).success).toBe(false)
  })

  it('the shipped overrides file parses and builds a calendar', () => {
    const parsed = CalendarOverridesSchema.parse(shippedOverrides)
    expect(() => new WorkingCalendar(parsed)).not.toThrow()
  })
})
