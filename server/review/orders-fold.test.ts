import { describe, expect, it } from 'vitest'
import { calendar, must, policy } from '@shared/dispatch/machine.support'
import { newWorkOrder } from '@shared/dispatch/machine'
import type { Incident } from '@shared/schemas/incidents'
import type { ReviewPeriod } from '@shared/schemas/review'
import type { WorkOrder, WorkOrderEvent } from '@shared/schemas/work-orders'
import type { DayRow } from './day-fold'
import { COUNT_KEYS, hotlineReview } from './hotline-review'
import { cellCentre, cellOf, foldOrdersDay, HOTSPOT_TOPICS_KIND, HOTSPOTS_KIND, INTAKE_KIND, ORDERS_KIND } from './orders-fold'
import type { ScopedEvent } from './orders-fold'
import { memoryRows } from './period-rows'

// 2026-10-08, the first working day after the National Day holiday (10-01 to 10-07).
const DAY = '2026-10-08'
const RANGE = { from: '2026-10-07T16:00:00.000Z', to: '2026-10-08T16:00:00.000Z' }
const TOWN = '441900003'
const ELSEWHERE = '441900004'
const utc = (isoLocal: string): string => new Date(Date.parse(`${isoLocal}+08:00`)).toISOString()

function order(id: string, nature: WorkOrder['nature'], acceptedLocal: string, townCode = TOWN): WorkOrder {
  const at = utc(acceptedLocal)
  return newWorkOrder({ id, nature, topic: 'environment', townCode, acceptedAt: at, departmentId: 'env', priority: 'normal' }, policy, calendar, at)
}

function incident(o: WorkOrder, location?: { lng: number, lat: number }): Incident {
  return {
    id: o.id, source: 'hotline', ticketNo: o.id.slice('hotline:'.length), version: o.acceptedAt, reportedAt: o.acceptedAt, receivedAt: o.acceptedAt,
    updatedAt: o.acceptedAt, nature: o.nature, topic: o.topic, urgency: 'normal', status: 'open', title: '噪声扰民', description: '',
    townCode: o.townCode, departmentId: o.departmentId, dueAt: o.handleDueAt, ...(location ? { location } : {}),
  }
}

/** The timeline entry the machine would write (what the fold reads of it). */
const event = (o: WorkOrder, action: string, atLocal: string, detail: Record<string, unknown> = {}): ScopedEvent => ({
  event: { orderId: o.id, seq: 9, at: utc(atLocal), action, actor: { id: 'u', name: 'u', departmentId: null }, departmentId: o.departmentId, from: null, to: o.state, detail } satisfies WorkOrderEvent,
  townCode: o.townCode,
})

// 咨询, 2 working days: called the day before the holiday, answered on the first day after it, within its time.
const beforeHoliday = order('hotline:1', 'consult', '2026-09-30T09:00:00')
const b1 = must(beforeHoliday, 'duty', { action: 'dispatch', departmentId: 'env' }, utc('2026-09-30T09:30:00'))
const b2 = must(b1, 'lead', { action: 'sign' }, utc('2026-09-30T10:00:00'))
const b3 = must(b2, 'lead', { action: 'reply', summary: '已答复', resolved: true }, utc('2026-10-08T10:00:00'))
const onTime = must(b3, 'duty', { action: 'revisit', satisfaction: 'satisfied' }, utc('2026-10-08T11:00:00'))
// 咨询 as well, called on Monday 09-28: its two working days (09-29, 09-30) ended before the holiday; replied on the 8th, late and unresolved.
const late = [order('hotline:2', 'consult', '2026-09-28T09:00:00', ELSEWHERE)].map(o => must(o, 'duty', { action: 'dispatch', departmentId: 'env' }, utc('2026-09-28T09:10:00')))
  .map(o => must(o, 'lead', { action: 'sign' }, utc('2026-09-28T09:20:00')))
  .map(o => must(o, 'lead', { action: 'reply', summary: '无法解决', resolved: false }, utc('2026-10-08T09:00:00')))
  .map(o => must(o, 'duty', { action: 'revisit', satisfaction: 'basic' }, utc('2026-10-08T15:00:00')))[0]!
// A complaint called on the day, dispatched, signed within its time, then returned.
const today = order('hotline:3', 'complaint', '2026-10-08T08:00:00')
const t1 = must(today, 'duty', { action: 'dispatch', departmentId: 'env' }, utc('2026-10-08T09:00:00'))
const signed = must(t1, 'lead', { action: 'sign' }, utc('2026-10-08T10:00:00'))

const near = { lng: 113.7512, lat: 23.0205 }
const complaints = [today, order('hotline:4', 'complaint', '2026-10-08T12:00:00'), order('hotline:5', 'report', '2026-10-08T13:00:00')]
const rows = foldOrdersDay(DAY, RANGE, [
  ...complaints.map(o => incident(o, near)),
  // Called before the day: not today's intake.
  incident(beforeHoliday),
], [onTime, late, signed], [
  event(signed, 'return', '2026-10-08T11:00:00', { reason: '非本部门' }),
  event(late, 'revisit', '2026-10-08T15:00:00', { satisfaction: 'basic' }),
  event(onTime, 'revisit', '2026-10-08T11:00:00', { satisfaction: 'satisfied' }),
  event(onTime, 'revisit', '2026-10-08T12:00:00', { satisfaction: 'unsatisfied' }),
  // The day after: not this day's.
  event(onTime, 'return', '2026-10-09T09:00:00'),
])
const sum = (entityId: string, metric: string, kind = ORDERS_KIND): number => rows.find(r => r.kind === kind && r.entityId === entityId && r.metric === metric)?.sum ?? 0

describe('a day of 12345 work, counted on the day of each step', () => {
  it('counts the working days of the deadline: a call before the holiday is due after it', () => {
    // 2 working days: 09-30 → the end of 10-09 (10-01 to 10-07 off); 09-28 → the end of 09-30.
    expect(onTime.handleDueAt).toBe(utc('2026-10-10T00:00:00'))
    expect(late.handleDueAt).toBe(utc('2026-10-01T00:00:00'))
  })

  it('counts calls, dispatches, signs, closes, returns and revisits by city, town and department', () => {
    expect(sum('city', 'accepted')).toBe(3)
    expect(sum('city', 'dispatched')).toBe(1)
    expect([sum('city', 'signed'), sum('city', 'signedOnTime')]).toEqual([1, 1])
    // Both consults closed on the 8th: one replied within its working days, one not; one resolved.
    expect([sum('city', 'closed'), sum('city', 'closedOnTime'), sum('city', 'resolved')]).toEqual([2, 1, 1])
    expect(sum('city', 'returned')).toBe(1)
    expect([sum('city', 'revisited'), sum('city', 'satisfied'), sum('city', 'reopened')]).toEqual([3, 2, 1])
    expect(sum(`town:${TOWN}`, 'accepted')).toBe(3)
    expect(sum(`town:${ELSEWHERE}`, 'closed')).toBe(1)
    expect(sum('dept:env', 'closed')).toBe(2)
    expect(sum('city', 'nature:complaint', INTAKE_KIND)).toBe(2)
    expect(sum('city', 'nature:report', INTAKE_KIND)).toBe(1)
    expect(sum('city', `town:${TOWN}`, INTAKE_KIND)).toBe(3)
    expect(sum('city', 'topic:environment', INTAKE_KIND)).toBe(3)
    // The counts' kind holds the counts only (a league reads it whole).
    expect(rows.filter(r => r.kind === ORDERS_KIND).map(r => r.metric).filter(m => !(COUNT_KEYS as readonly string[]).includes(m))).toEqual([])
  })

  it('puts complaints in cells of 0.01°', () => {
    const cell = cellOf(near.lng, near.lat)
    expect(cell).toBe('2302:11375')
    expect(cellCentre(cell)).toEqual({ lng: 113.755, lat: 23.025 })
    expect(rows.find(r => r.kind === HOTSPOTS_KIND && r.entityId === 'city' && r.metric === cell)?.sum).toBe(3)
    expect(rows.find(r => r.kind === HOTSPOT_TOPICS_KIND && r.entityId === `town:${TOWN}|${cell}` && r.metric === `environment:${TOWN}`)?.sum).toBe(3)
  })

  it('makes the hotline review of the day: counts, breakdowns, league table and hotspots', async () => {
    const period: ReviewPeriod = { from: DAY, to: DAY, fromAt: RANGE.from, toAt: RANGE.to, days: 1, partial: false }
    const previousPeriod: ReviewPeriod = { from: '2026-10-07', to: '2026-10-07', fromAt: '2026-10-06T16:00:00.000Z', toAt: RANGE.from, days: 1, partial: false }
    const before: DayRow[] = [{ kind: 'orders', entityId: 'city', metric: 'accepted', day: '2026-10-07', n: 40, sum: 40, min: 0, max: 40 }]
    const review = await hotlineReview(memoryRows(period, rows), memoryRows(previousPeriod, before), 'city', 7, ['env', 'water'])
    expect(review.counts).toEqual({ accepted: 3, dispatched: 1, signed: 1, signedOnTime: 1, closed: 2, closedOnTime: 1, resolved: 1, revisited: 3, satisfied: 2, returned: 1, reopened: 1 })
    expect(review.previous.accepted).toBe(40)
    expect(review.overdueNow).toBe(7)
    expect(review.days).toEqual([{ day: DAY, accepted: 3, closed: 2 }])
    expect(review.byTopic).toEqual([{ topic: 'environment', count: 3, previous: 0 }])
    expect(review.byNature).toEqual([{ nature: 'complaint', count: 2 }, { nature: 'report', count: 1 }])
    expect(review.departments).toEqual([expect.objectContaining({ departmentId: 'env', closed: 2, returned: 1 })])
    expect(review.hotspots).toEqual([{ lng: 113.755, lat: 23.025, count: 3, topic: 'environment', townCode: TOWN }])

    // A town's league: the departments' work in that town only (the late consult was in another town).
    const inTown = await hotlineReview(memoryRows(period, rows), memoryRows(previousPeriod, []), `town:${TOWN}`, 0, ['env', 'water'])
    expect(inTown.departments).toEqual([{ departmentId: 'env', accepted: 3, dispatched: 1, signed: 1, signedOnTime: 1, closed: 1, closedOnTime: 1, resolved: 1, revisited: 2, satisfied: 1, returned: 1, reopened: 1 }])
    const elsewhere = await hotlineReview(memoryRows(period, rows), memoryRows(previousPeriod, []), `town:${ELSEWHERE}`, 0, ['env', 'water'])
    expect(elsewhere.departments).toEqual([expect.objectContaining({ departmentId: 'env', accepted: 0, closed: 1, closedOnTime: 0, resolved: 0, revisited: 1, satisfied: 1 })])
  })

  it('lists the cells with 3 complaints or more, most first, each with its main topic and town', async () => {
    const period: ReviewPeriod = { from: DAY, to: DAY, fromAt: RANGE.from, toAt: RANGE.to, days: 1, partial: false }
    const row = (kind: string, entityId: string, metric: string, sum: number): DayRow => ({ kind, entityId, metric, day: DAY, n: sum, sum, min: 0, max: sum })
    const cells: DayRow[] = [
      // 2302:11375: 5 complaints, 3 on transport and 2 on the environment, 4 of them in ELSEWHERE (a cell on a town boundary).
      row(HOTSPOTS_KIND, 'city', '2302:11375', 5),
      row(HOTSPOT_TOPICS_KIND, 'city|2302:11375', `transport:${TOWN}`, 1),
      row(HOTSPOT_TOPICS_KIND, 'city|2302:11375', `transport:${ELSEWHERE}`, 2),
      row(HOTSPOT_TOPICS_KIND, 'city|2302:11375', `environment:${ELSEWHERE}`, 2),
      // 2303:11376: 3, off the town map; 2304:11377: 2, too few.
      row(HOTSPOTS_KIND, 'city', '2303:11376', 3),
      row(HOTSPOT_TOPICS_KIND, 'city|2303:11376', 'city-management:', 3),
      row(HOTSPOTS_KIND, 'city', '2304:11377', 2),
      row(HOTSPOT_TOPICS_KIND, 'city|2304:11377', `city-management:${TOWN}`, 2),
      // Another scope's counts of the same cell are not the city's.
      row(HOTSPOT_TOPICS_KIND, `town:${TOWN}|2303:11376`, `environment:${TOWN}`, 9),
    ]
    const review = await hotlineReview(memoryRows(period, cells), memoryRows(period, []), 'city', 0, [])
    expect(review.hotspots).toEqual([
      { lng: 113.755, lat: 23.025, count: 5, topic: 'transport', townCode: ELSEWHERE },
      { lng: 113.765, lat: 23.035, count: 3, topic: 'city-management', townCode: null },
    ])
  })
})
