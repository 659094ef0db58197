/**
 * Work-order deadlines on China's 2026 calendar. Every expected instant below
 * was counted by hand on the State Council's 2026 schedule (国办发明电〔2025〕7号)
 * as the chinese-days package ships it (its dist/chinese-days.json, 2026 keys),
 * which the first block re-checks so that a changed calendar fails here with
 * the day it moved rather than with a puzzling date:
 *   春节 Sun 02-15 … Mon 02-23 off, Sat 02-14 and Sat 02-28 worked;
 *   中秋 Fri 09-25 … Sun 09-27 off; 国庆 Thu 10-01 … Wed 10-07 off, Sun 09-20 and Sat 10-10 worked.
 * A deadline is the end (24:00 local) of its due date: 16:00Z of that date.
 */
import { loadWorkingCalendar } from '@server/city/calendar'
import { describe, expect, it } from 'vitest'
import type { IncidentNature } from '@shared/schemas/incident-kinds'
import type { WorkOrder } from '@shared/schemas/work-orders'
import { localDate } from '@shared/calendar/working-days'
import { newWorkOrder } from './machine'
import { DEFAULT_SLA_POLICY, SlaPolicy, dueMarks, dueStatus, endOfWorkingDay, extendedDueAt, handleDueAt, runningDeadline, signDueAt, warningAt } from './sla'

const calendar = loadWorkingCalendar()
const policy = DEFAULT_SLA_POLICY
const MINUTE_MS = 60_000
const ms = (instant: string): number => Date.parse(instant)
const iso = (epochMs: number): string => new Date(epochMs).toISOString()

describe('the 2026 calendar the expectations below were counted on', () => {
  it.each([
    ['2026-02-14', true, 'Sat, 春节 make-up day'],
    ['2026-02-15', false, 'Sun, first day of 春节'],
    ['2026-02-23', false, 'Mon, last day of 春节'],
    ['2026-02-24', true, 'Tue, first day back'],
    ['2026-02-28', true, 'Sat, 春节 make-up day'],
    ['2026-09-20', true, 'Sun, 国庆 make-up day'],
    ['2026-09-25', false, 'Fri, 中秋'],
    ['2026-10-07', false, 'Wed, last day of 国庆'],
    ['2026-10-08', true, 'Thu, first day back'],
    ['2026-10-10', true, 'Sat, 国庆 make-up day'],
    ['2026-03-14', false, 'a plain Saturday'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(calendar.isWorkingDay(date)).toBe(working)
  })
})

describe(handleDueAt.name, () => {
  const due = (acceptedAt: string, nature: IncidentNature): string => handleDueAt(acceptedAt, nature, 'normal', policy, calendar)

  it('counts from Friday 02-13, just before 春节, with make-up Saturdays 02-14 and 02-28 as working days', () => {
    // 咨询 2: Sat 02-14, Tue 02-24.
    expect(due('2026-02-13T17:30:00+08:00', 'consult')).toBe('2026-02-24T16:00:00.000Z')
    // 求助/建议 10: 02-14, 24, 25, 26, 27, Sat 28, 03-02, 03, 04, 05.
    expect(due('2026-02-13T17:30:00+08:00', 'help')).toBe('2026-03-05T16:00:00.000Z')
    expect(due('2026-02-13T17:30:00+08:00', 'suggestion')).toBe('2026-03-05T16:00:00.000Z')
    // 投诉/举报 15: … 03-05, then 06, 09, 10, 11, 12.
    expect(due('2026-02-13T17:30:00+08:00', 'complaint')).toBe('2026-03-12T16:00:00.000Z')
    expect(due('2026-02-13T17:30:00+08:00', 'report')).toBe('2026-03-12T16:00:00.000Z')
  })

  it('starts counting after the holiday for a call on 正月初一 (Tue 02-17)', () => {
    // Day 1 is Tue 02-24. 咨询: 24, 25. 求助: 24 … 27, Sat 28, 03-02 … 03-06. 投诉: … 03-06, 09, 10, 11, 12, 13.
    expect(due('2026-02-17T10:00:00+08:00', 'consult')).toBe('2026-02-25T16:00:00.000Z')
    expect(due('2026-02-17T10:00:00+08:00', 'help')).toBe('2026-03-06T16:00:00.000Z')
    expect(due('2026-02-17T10:00:00+08:00', 'complaint')).toBe('2026-03-13T16:00:00.000Z')
  })

  it('does not count the day of the call when it is a make-up Saturday, but counts the make-up Saturday after a Friday call', () => {
    // Sat 02-14 (worked): day 1 Tue 02-24, day 2 Wed 02-25, as for a call during the holiday.
    expect(due('2026-02-14T10:00:00+08:00', 'consult')).toBe('2026-02-25T16:00:00.000Z')
    // Sat 02-28 (worked): day 1 Mon 03-02, day 2 Tue 03-03.
    expect(due('2026-02-28T10:00:00+08:00', 'consult')).toBe('2026-03-03T16:00:00.000Z')
    // Fri 02-27: day 1 is Sat 02-28, day 2 Mon 03-02.
    expect(due('2026-02-27T10:00:00+08:00', 'consult')).toBe('2026-03-02T16:00:00.000Z')
    // Fri 09-18: day 1 is the make-up Sunday 09-20, day 2 Mon 09-21.
    expect(due('2026-09-18T21:00:00+08:00', 'consult')).toBe('2026-09-21T16:00:00.000Z')
  })

  it('reads the day of the call in China time: late Friday, and just after midnight', () => {
    // Fri 03-13 23:59 local: day 1 Mon 03-16, day 2 Tue 03-17.
    expect(due('2026-03-13T15:59:00Z', 'consult')).toBe('2026-03-17T16:00:00.000Z')
    // Thu 03-12 23:30 local: day 1 Fri 03-13, day 2 Mon 03-16.
    expect(due('2026-03-12T15:30:00Z', 'consult')).toBe('2026-03-16T16:00:00.000Z')
    // 16:30Z on Thursday is already Friday 00:30 in China: as the Friday call above.
    expect(due('2026-03-12T16:30:00Z', 'consult')).toBe('2026-03-17T16:00:00.000Z')
  })

  it('skips 中秋 and 国庆 and counts make-up Saturday 10-10', () => {
    // Thu 09-24: 09-25 … 27 off; day 1 Mon 09-28, day 2 Tue 09-29.
    expect(due('2026-09-24T15:00:00+08:00', 'consult')).toBe('2026-09-29T16:00:00.000Z')
    // Wed 09-30, the eve of 国庆: day 1 Thu 10-08, day 2 Fri 10-09.
    expect(due('2026-09-30T18:00:00+08:00', 'consult')).toBe('2026-10-09T16:00:00.000Z')
    // 求助 10: 10-08, 09, Sat 10, 12, 13, 14, 15, 16, 19, 20.
    expect(due('2026-09-30T18:00:00+08:00', 'help')).toBe('2026-10-20T16:00:00.000Z')
    // 投诉 15: … 10-20, then 21, 22, 23, 26, 27.
    expect(due('2026-09-30T18:00:00+08:00', 'complaint')).toBe('2026-10-27T16:00:00.000Z')
  })

  it('gives urgent orders hours from the call, holidays or not', () => {
    expect(handleDueAt('2026-02-17T10:00:00+08:00', 'complaint', 'urgent', policy, calendar)).toBe('2026-02-18T02:00:00.000Z')
    const sixHours = SlaPolicy.parse({ urgentHandleHours: 6 })
    expect(handleDueAt('2026-10-01T22:00:00+08:00', 'consult', 'urgent', sixHours, calendar)).toBe('2026-10-01T20:00:00.000Z')
  })

  it('follows a city\'s own limits', () => {
    const threeDayConsult = SlaPolicy.parse({ handleWorkingDays: { ...DEFAULT_SLA_POLICY.handleWorkingDays, consult: 3 } })
    // Fri 02-13: 02-14, 02-24, 02-25.
    expect(handleDueAt('2026-02-13T17:30:00+08:00', 'consult', 'normal', threeDayConsult, calendar)).toBe('2026-02-25T16:00:00.000Z')
  })

  it('on every day of 2026, ends a deadline at 24:00 of a working day exactly N working days after the call', () => {
    // A cross-check by another route: workingDaysBetween counts days one by one, addWorkingDays steps.
    for (let t = ms('2026-01-01T02:00:00Z'); t < ms('2027-01-01T00:00:00Z'); t += 24 * 60 * MINUTE_MS) {
      const acceptedAt = iso(t)
      for (const nature of ['consult', 'help', 'complaint'] as const) {
        const dueAt = due(acceptedAt, nature)
        expect(dueAt.endsWith('T16:00:00.000Z'), dueAt).toBe(true)
        const dueDate = localDate(ms(dueAt) - 1)
        expect(calendar.isWorkingDay(dueDate), `${acceptedAt} ${nature} → ${dueDate}`).toBe(true)
        expect(calendar.workingDaysBetween(localDate(acceptedAt), dueDate), `${acceptedAt} ${nature}`).toBe(policy.handleWorkingDays[nature])
      }
    }
  })
})

describe(signDueAt.name, () => {
  it('gives one working day from each dispatch', () => {
    // Fri 02-13: the make-up Saturday 02-14.
    expect(signDueAt('2026-02-13T16:00:00+08:00', 'normal', policy, calendar)).toBe('2026-02-14T16:00:00.000Z')
    // Sat 02-14 (worked): the next working day is Tue 02-24.
    expect(signDueAt('2026-02-14T10:00:00+08:00', 'normal', policy, calendar)).toBe('2026-02-24T16:00:00.000Z')
    // Wed 09-30: Thu 10-08.
    expect(signDueAt('2026-09-30T11:00:00+08:00', 'normal', policy, calendar)).toBe('2026-10-08T16:00:00.000Z')
  })

  it('gives urgent orders 30 minutes, on a holiday too, or the city\'s figure', () => {
    expect(signDueAt('2026-10-01T10:00:00+08:00', 'urgent', policy, calendar)).toBe('2026-10-01T02:30:00.000Z')
    expect(signDueAt('2026-10-01T10:00:00+08:00', 'urgent', SlaPolicy.parse({ urgentSignMinutes: 45 }), calendar)).toBe('2026-10-01T02:45:00.000Z')
  })
})

describe(extendedDueAt.name, () => {
  it('adds working days after the day the deadline ended, not after the instant 00:00 that ends it', () => {
    // Due at the end of Fri 02-13 (= Sat 00:00): one more day is the make-up Sat 02-14, two more reach Tue 02-24.
    expect(extendedDueAt('2026-02-13T16:00:00.000Z', 1, calendar)).toBe('2026-02-14T16:00:00.000Z')
    expect(extendedDueAt('2026-02-13T16:00:00.000Z', 2, calendar)).toBe('2026-02-24T16:00:00.000Z')
  })

  it('carries a deadline over 国庆 and its make-up Saturday', () => {
    // Due end of Wed 09-30. +1: Thu 10-08. +3: 10-08, 09, Sat 10. +15: as 求助 10 then 10-21, 22, 23, 26, 27.
    expect(extendedDueAt('2026-09-30T16:00:00.000Z', 1, calendar)).toBe('2026-10-08T16:00:00.000Z')
    expect(extendedDueAt('2026-09-30T16:00:00.000Z', 3, calendar)).toBe('2026-10-10T16:00:00.000Z')
    expect(extendedDueAt('2026-09-30T16:00:00.000Z', 15, calendar)).toBe('2026-10-27T16:00:00.000Z')
  })

  it('extends an urgent deadline in the middle of a holiday to the end of a working day', () => {
    // 10:00 on Wed 02-18 (春节): one working day later is Tue 02-24.
    expect(extendedDueAt('2026-02-18T02:00:00.000Z', 1, calendar)).toBe('2026-02-24T16:00:00.000Z')
  })
})

describe(endOfWorkingDay.name, () => {
  it('takes epoch milliseconds as well as text', () => {
    // Fri 02-13: 1 → Sat 02-14; 5 → 02-14, 24, 25, 26, 27.
    expect(endOfWorkingDay(ms('2026-02-13T17:30:00+08:00'), 1, calendar)).toBe('2026-02-14T16:00:00.000Z')
    expect(endOfWorkingDay('2026-02-13T17:30:00+08:00', 5, calendar)).toBe('2026-02-27T16:00:00.000Z')
  })
})

/**
 * A 求助 call on Mon 03-02 09:00 (01:00Z): due after 10 working days, 03-03 … 03-16,
 * so at 2026-03-16T16:00Z; 351 h, 80 % of which is 280.8 h → 2026-03-13T17:48Z.
 * Dispatched 10:00 the same day (02:00Z): sign by the end of Tue 03-03, 16:00Z;
 * 38 h, 80 % of which is 30.4 h → 2026-03-03T08:24Z.
 */
const ACCEPTED_AT = '2026-03-02T01:00:00.000Z'
const DISPATCHED_AT = '2026-03-02T02:00:00.000Z'
const SIGN_DUE = '2026-03-03T16:00:00.000Z'
const SIGN_WARN = '2026-03-03T08:24:00.000Z'
const HANDLE_DUE = '2026-03-16T16:00:00.000Z'
const HANDLE_WARN = '2026-03-13T17:48:00.000Z'

function orderIn(state: WorkOrder['state']): WorkOrder {
  const base = newWorkOrder({ id: 'hotline:2026030200001', nature: 'help', topic: 'environment', townCode: '441900003', acceptedAt: ACCEPTED_AT, departmentId: 'env', priority: 'normal' }, policy, calendar, ACCEPTED_AT)
  if (state === 'accepted')
    return base
  const dispatched: WorkOrder = { ...base, state, dispatchedAt: DISPATCHED_AT, signDueAt: signDueAt(DISPATCHED_AT, 'normal', policy, calendar) }
  return state === 'dispatched' ? dispatched : { ...dispatched, signedAt: '2026-03-02T03:00:00.000Z' }
}

/** The instant at `share` of the way from start to due (79 % lands before the warning, 100 % on the deadline). */
const atShare = (start: string, due: string, share: number): number => ms(start) + Math.round((ms(due) - ms(start)) * share)

describe('the worked example behind the mark tests', () => {
  it('has the deadlines and warning instants counted by hand', () => {
    const order = orderIn('dispatched')
    expect(order.handleDueAt).toBe(HANDLE_DUE)
    expect(order.signDueAt).toBe(SIGN_DUE)
    expect(iso(warningAt(DISPATCHED_AT, SIGN_DUE))).toBe(SIGN_WARN)
    expect(iso(warningAt(ACCEPTED_AT, HANDLE_DUE))).toBe(HANDLE_WARN)
  })
})

describe(dueMarks.name, () => {
  it('warns of the sign deadline at 80 % and marks it overdue at 100 %, while unsigned', () => {
    const order = orderIn('dispatched')
    expect(dueMarks(order, atShare(DISPATCHED_AT, SIGN_DUE, 0.79))).toEqual([])
    expect(dueMarks(order, ms(SIGN_WARN) - 1)).toEqual([])
    expect(dueMarks(order, ms(SIGN_WARN))).toEqual([{ mark: 'sign_warning', dueAt: SIGN_DUE }])
    expect(dueMarks(order, ms(SIGN_DUE) - 1)).toEqual([{ mark: 'sign_warning', dueAt: SIGN_DUE }])
    expect(dueMarks(order, ms(SIGN_DUE))).toEqual([{ mark: 'sign_overdue', dueAt: SIGN_DUE }])
  })

  it('warns of the handling deadline at 80 % and marks it overdue at 100 %', () => {
    const order = orderIn('in_progress')
    expect(dueMarks(order, ms(SIGN_DUE))).toEqual([])
    expect(dueMarks(order, atShare(ACCEPTED_AT, HANDLE_DUE, 0.79))).toEqual([])
    expect(dueMarks(order, ms(HANDLE_WARN))).toEqual([{ mark: 'handle_warning', dueAt: HANDLE_DUE }])
    expect(dueMarks(order, ms(HANDLE_DUE))).toEqual([{ mark: 'handle_overdue', dueAt: HANDLE_DUE }])
  })

  it('gives both marks to an order never signed, and the handling one to a returned order', () => {
    expect(dueMarks(orderIn('dispatched'), ms(HANDLE_DUE))).toEqual([{ mark: 'sign_overdue', dueAt: SIGN_DUE }, { mark: 'handle_overdue', dueAt: HANDLE_DUE }])
    expect(dueMarks({ ...orderIn('dispatched'), state: 'returned' }, ms(HANDLE_DUE))).toEqual([{ mark: 'handle_overdue', dueAt: HANDLE_DUE }])
  })

  it('marks nothing before dispatch, once replied to, or when closed', () => {
    const late = ms(HANDLE_DUE) + 86_400_000
    expect(dueMarks(orderIn('accepted'), late)).toEqual([])
    for (const state of ['pending_revisit', 'closed', 'merged'] as const)
      expect(dueMarks({ ...orderIn('in_progress'), state }, late), state).toEqual([])
  })
})

describe('a reopened order (重办)', () => {
  // Unsatisfied revisit Mon 04-20 10:00 (02:00Z): 5 fresh working days, 04-21 … 24, 27, due 2026-04-27T16:00Z;
  // 182 h, 80 % of which is 145.6 h → 2026-04-26T03:36Z. Counted from the call on 03-02, 80 % had passed on 04-16.
  const REOPENED_AT = '2026-04-20T02:00:00.000Z'
  const order: WorkOrder = {
    ...orderIn('in_progress'),
    reopens: 1,
    revisit: { satisfaction: 'unsatisfied', note: '', by: { id: 'u-duty', name: '值班长', departmentId: null }, at: REOPENED_AT },
    handleDueAt: endOfWorkingDay(REOPENED_AT, policy.reopenWorkingDays, calendar),
  }

  it('warns at 80 % of the fresh time, not at once', () => {
    expect(order.handleDueAt).toBe('2026-04-27T16:00:00.000Z')
    expect(dueMarks(order, ms(REOPENED_AT) + MINUTE_MS)).toEqual([])
    expect(dueStatus(order, ms(REOPENED_AT) + MINUTE_MS)).toBe('ok')
    expect(dueMarks(order, ms('2026-04-26T03:36:00.000Z') - 1)).toEqual([])
    expect(dueMarks(order, ms('2026-04-26T03:36:00.000Z'))).toEqual([{ mark: 'handle_warning', dueAt: '2026-04-27T16:00:00.000Z' }])
    expect(runningDeadline(order)).toEqual({ kind: 'handle', start: REOPENED_AT, dueAt: '2026-04-27T16:00:00.000Z' })
  })
})

describe(`${runningDeadline.name} and ${dueStatus.name}`, () => {
  it('runs the handling deadline before dispatch: ok at 79 %, soon at 80 %, overdue at 100 %', () => {
    const order = orderIn('accepted')
    expect(runningDeadline(order)).toEqual({ kind: 'handle', start: ACCEPTED_AT, dueAt: HANDLE_DUE })
    expect(dueStatus(order, atShare(ACCEPTED_AT, HANDLE_DUE, 0.79))).toBe('ok')
    expect(dueStatus(order, ms(HANDLE_WARN))).toBe('soon')
    expect(dueStatus(order, ms(HANDLE_DUE))).toBe('overdue')
  })

  it('runs the sign deadline while unsigned, then the handling one', () => {
    const dispatched = orderIn('dispatched')
    expect(runningDeadline(dispatched)).toEqual({ kind: 'sign', start: DISPATCHED_AT, dueAt: SIGN_DUE })
    expect(dueStatus(dispatched, atShare(DISPATCHED_AT, SIGN_DUE, 0.79))).toBe('ok')
    expect(dueStatus(dispatched, ms(SIGN_WARN))).toBe('soon')
    expect(dueStatus(dispatched, ms(SIGN_DUE))).toBe('overdue')
    const signed = orderIn('in_progress')
    expect(runningDeadline(signed)).toEqual({ kind: 'handle', start: ACCEPTED_AT, dueAt: HANDLE_DUE })
    expect(dueStatus(signed, ms(SIGN_DUE))).toBe('ok')
  })

  it('runs the handling deadline of a dispatched order when it ends before the sign deadline', () => {
    // 咨询 of Fri 02-13 is due end of Tue 02-24; dispatched that morning, signing would be due end of Wed 02-25.
    const accepted = newWorkOrder({ id: 'hotline:2026021300001', nature: 'consult', topic: 'labour', townCode: null, acceptedAt: '2026-02-13T17:30:00+08:00', departmentId: 'hr', priority: 'normal' }, policy, calendar, '2026-02-13T09:30:00.000Z')
    const dispatchedAt = '2026-02-24T01:00:00.000Z'
    const order: WorkOrder = { ...accepted, state: 'dispatched', dispatchedAt, signDueAt: signDueAt(dispatchedAt, 'normal', policy, calendar) }
    expect(order.signDueAt).toBe('2026-02-25T16:00:00.000Z')
    expect(runningDeadline(order)).toEqual({ kind: 'handle', start: '2026-02-13T17:30:00+08:00', dueAt: '2026-02-24T16:00:00.000Z' })
  })

  it('runs nothing once replied to or closed: never overdue then', () => {
    for (const state of ['pending_revisit', 'closed', 'merged'] as const) {
      const order = { ...orderIn('in_progress'), state }
      expect(runningDeadline(order), state).toBeNull()
      expect(dueStatus(order, ms(HANDLE_DUE) + 86_400_000), state).toBe('ok')
    }
  })
})
