/** Day rows summed by week and month (migration 0011), built once all their days are folded, give the same totals as the days themselves, on SQLite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, daysOf } from '@shared/review/periods'
import type { DayRow } from '@server/review/day-fold'
import { totalsOf } from '@server/review/period-rows'
import type { OpenedStore } from './store.backends'
import { contractBackends } from './store.backends'
import type { DayTotal, DayRowQuery } from './review.repository'

const { backends } = await contractBackends()
const FIRST = '2026-01-20'
const LAST = '2026-05-10'
const ENTITIES = ['city', 'town:441900003', 'town:441900004']
const METRICS = ['accepted', 'closed', 'pm25']

/** A day's rows, different every day and entity; some entity-days missing, as days without calls are. */
function dayRows(day: string, salt = 0): DayRow[] {
  const d = Number(day.slice(5, 7)) * 31 + Number(day.slice(8, 10)) + salt
  return ENTITIES.flatMap((entityId, e) => METRICS.flatMap((metric, m) => {
    if ((d + e + m) % 11 === 0)
      return []
    const n = 1 + ((d * 7 + e * 3 + m) % 24)
    const mean = ((d * 13 + e * 5 + m * 17) % 97) / 4
    return [{ kind: 'orders', entityId, metric, day, n, sum: n * mean, min: mean - (d % 3), max: mean + (d % 5) }]
  }))
}

const sorted = (totals: readonly DayTotal[]): DayTotal[] => [...totals]
  .map(t => ({ ...t, sum: Math.round(t.sum * 1e6) / 1e6 }))
  .sort((a, b) => (a.entityId + a.metric < b.entityId + b.metric ? -1 : 1))

describe.each(backends.map(b => [b.name, b] as const))('%s store: review totals by week and month', (_name, backend) => {
  let opened: OpenedStore | undefined
  const held = new Map<string, DayRow[]>()
  beforeAll(async () => {
    opened = await backend.open()
    for (const day of daysOf(FIRST, LAST)) {
      held.set(day, dayRows(day))
      await opened.store.review.saveDay(day, dayRows(day), `${day}T16:15:00.000Z`)
    }
  }, 120_000)
  afterAll(() => opened?.dispose())

  const expected = (q: DayRowQuery): DayTotal[] => totalsOf(daysOf(q.from, q.to).flatMap(day => (held.get(day) ?? [])
    .filter(r => (!q.metrics || q.metrics.includes(r.metric)) && (!q.entityIds || q.entityIds.includes(r.entityId)))))

  it('builds a week or month once all its days are folded, and only then', async () => {
    const built = (await opened!.store.review.builtSpans({ from: '2026-01-01', to: '2026-12-31' })).map(b => `${b.span} ${b.start}`)
    // January began before the first day folded; May ends after the last; the week of 20 January (a Tuesday) began the day before.
    expect(built.filter(b => b.startsWith('month')).sort()).toEqual(['month 2026-02-01', 'month 2026-03-01', 'month 2026-04-01'])
    const weeks = built.filter(b => b.startsWith('week')).sort()
    expect(weeks[0]).toBe('week 2026-01-26')
    expect(weeks.at(-1)).toBe('week 2026-05-04')
    expect(weeks).toHaveLength(15)
  })

  it('sums any range as its days would, whole months and weeks included', async () => {
    const ranges: Array<[string, string]> = []
    for (let from = FIRST; from <= '2026-03-05'; from = addDays(from, 4)) {
      for (const length of [1, 7, 9, 30, 45, 64])
        ranges.push([from, addDays(from, length - 1)])
    }
    ranges.push([FIRST, LAST], ['2026-02-01', '2026-02-28'], ['2026-03-02', '2026-03-08'])
    for (const [from, to] of ranges) {
      const q = { kind: 'orders', from, to, entityIds: ['city', 'town:441900004'], metrics: ['accepted', 'pm25'] }
      expect(sorted(await opened!.store.review.totals(q)), `${from} … ${to}`).toEqual(sorted(expected(q)))
    }
    // Every entity and metric: nothing listed.
    const all = { kind: 'orders', from: '2026-01-26', to: '2026-04-30' }
    expect(sorted(await opened!.store.review.totals(all))).toEqual(sorted(expected(all)))
    expect(await opened!.store.review.totals({ ...all, kind: 'road' })).toEqual([])
  })

  it('sums a day\'s week and month again when the day is folded again, and prunes them with the days', async () => {
    const day = '2026-03-11'
    held.set(day, dayRows(day, 5))
    await opened!.store.review.saveDay(day, dayRows(day, 5), '2026-03-11T18:30:00.000Z')
    for (const [from, to] of [['2026-03-01', '2026-03-31'], ['2026-03-09', '2026-03-15'], ['2026-02-23', '2026-04-05']] as const) {
      const q = { kind: 'orders', from, to }
      expect(sorted(await opened!.store.review.totals(q)), `${from} … ${to}`).toEqual(sorted(expected(q)))
    }
    expect((await opened!.store.review.builtSpans({ from: '2026-03-01', to: '2026-03-31' })).map(b => b.start)).toContain('2026-03-01')
    await opened!.store.review.prune('2026-03-01')
    expect(await opened!.store.review.totals({ kind: 'orders', from: '2026-02-01', to: '2026-02-28' })).toEqual([])
    expect(await opened!.store.review.builtSpans({ from: '2026-01-01', to: '2026-02-28' })).toEqual([])
    expect(sorted(await opened!.store.review.totals({ kind: 'orders', from: '2026-03-01', to: '2026-03-31' }))).toEqual(sorted(expected({ kind: 'orders', from: '2026-03-01', to: '2026-03-31' })))
  })
})
