import { describe, expect, it } from 'vitest'
import { WorkingCalendar } from '../calendar/working-days'
import { INCIDENT_NATURES } from '../schemas/incidents'
import { HANDLING_LIMIT_WORKING_DAYS, handlingDeadline, isOverdue, warnAt } from './deadline'

const calendar = new WorkingCalendar()

describe('HANDLING_LIMIT_WORKING_DAYS (Guangdong 12345 rules)', () => {
  it('gives 2 / 10 / 15 working days', () => {
    expect(HANDLING_LIMIT_WORKING_DAYS).toEqual({ consult: 2, help: 10, suggestion: 10, complaint: 15, report: 15 })
    expect(Object.keys(HANDLING_LIMIT_WORKING_DAYS).sort()).toEqual([...INCIDENT_NATURES].sort())
  })
})

describe('handlingDeadline (by hand, 2026 holiday tables)', () => {
  it('a consult on Wed 30 Sep 23:00 local, before National Day, is due at the end of Fri 9 Oct', () => {
    // 1–7 Oct off; Thu 8 Oct is day 1, Fri 9 Oct day 2; 24:00 local = 16:00Z
    expect(handlingDeadline('2026-09-30T23:00:00+08:00', 'consult', calendar)).toBe('2026-10-09T16:00:00.000Z')
    expect(handlingDeadline(new Date('2026-09-30T15:00:00Z'), 'consult', calendar)).toBe('2026-10-09T16:00:00.000Z')
  })

  it('counts from the local date, not the UTC one', () => {
    // 17:00Z on Fri 9 Oct is 01:00 on Sat 10 Oct locally, a make-up working day:
    // day 1 is Mon 12 Oct, day 2 Tue 13 Oct.
    expect(handlingDeadline('2026-10-09T17:00:00Z', 'consult', calendar)).toBe('2026-10-13T16:00:00.000Z')
    expect(handlingDeadline('2026-10-09T15:59:59Z', 'consult', calendar)).toBe('2026-10-12T16:00:00.000Z')
  })

  it('a complaint on Fri 13 Feb, before the Spring Festival, is due at the end of Thu 12 Mar', () => {
    // Sat 14 Feb (worked) 1; 15–23 Feb off; 24–27 Feb 2–5; Sat 28 Feb (worked) 6;
    // 2–6 Mar 7–11; 9–12 Mar 12–15.
    expect(handlingDeadline('2026-02-13T10:00:00+08:00', 'complaint', calendar)).toBe('2026-03-12T16:00:00.000Z')
    expect(handlingDeadline('2026-02-13T10:00:00+08:00', 'report', calendar)).toBe('2026-03-12T16:00:00.000Z')
  })

  it('a help request on Sunday 26 Apr counts from Monday, like one received on Friday', () => {
    // 27–30 Apr 1–4; 1–5 May off; 6–8 May 5–7; Sat 9 May (worked) 8; 11–12 May 9–10.
    const due = '2026-05-12T16:00:00.000Z'
    expect(handlingDeadline('2026-04-26T09:30:00+08:00', 'help', calendar)).toBe(due)
    expect(handlingDeadline('2026-04-24T16:00:00+08:00', 'suggestion', calendar)).toBe(due)
    expect(handlingDeadline('2026-04-27T09:00:00+08:00', 'help', calendar)).toBe('2026-05-13T16:00:00.000Z')
  })

  it('uses the calendar it is given', () => {
    const c = new WorkingCalendar({ holidays: ['2026-10-09'], workdays: [] })
    expect(handlingDeadline('2026-09-30T23:00:00+08:00', 'consult', c)).toBe('2026-10-10T16:00:00.000Z')
  })

  it('rejects an instant without an offset', () => {
    expect(() => handlingDeadline('2026-09-30T23:00:00', 'consult', calendar)).toThrow(RangeError)
  })
})

describe('isOverdue', () => {
  it('turns overdue at the deadline instant', () => {
    const due = '2026-10-09T16:00:00.000Z'
    expect(isOverdue(due, Date.parse(due) - 1)).toBe(false)
    expect(isOverdue(due, Date.parse(due))).toBe(true)
    expect(isOverdue('2026-10-10T00:00:00+08:00', Date.parse(due))).toBe(true)
  })
})

describe('warnAt', () => {
  it('is 80 % of the way from receipt to the deadline', () => {
    // 30 Sep 15:00Z → 9 Oct 16:00Z is 217 h; 80 % is 173 h 36 min.
    expect(warnAt('2026-09-30T15:00:00Z', '2026-10-09T16:00:00.000Z')).toBe('2026-10-07T20:36:00.000Z')
    expect(warnAt(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T10:00:00Z'))).toBe('2026-01-01T08:00:00.000Z')
  })
})
