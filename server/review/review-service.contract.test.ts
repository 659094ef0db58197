/** The review from stored rollups and orders to a page, on SQLite and PostgreSQL (see server/store/store.backends.ts). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ReviewPage } from '@shared/schemas/review'
import { ReviewQuery } from '@shared/schemas/review'
import type { Store } from '@server/store/repositories'
import type { OpenedStore } from '@server/store/store.backends'
import { contractBackends } from '@server/store/store.backends'
import { DayFolder } from './day-folder'
import { ReviewService } from './review-service'
import { calendar, city, NOW, seed, town } from './review.support'

const { backends } = await contractBackends()
describe.each(backends.map(b => [b.name, b] as const))('%s store: the leaders\' review', (_name, backend) => {
  let opened: OpenedStore | undefined
  let store: Store
  let folder: DayFolder
  let review: ReviewService
  let now = NOW
  beforeEach(async () => {
    opened = await backend.open()
    store = opened.store
    now = NOW
    folder = new DayFolder({ review: store.review, city, calendar, now: () => now, intervalMs: 60_000, onError: (err) => { throw err } })
    review = new ReviewService({ review: store.review, city, folder, now: () => now })
    await seed(store)
  })
  afterEach(() => opened?.dispose())
  const page = (input: Record<string, string>): Promise<ReviewPage> => review.page(ReviewQuery.parse(input))

  it('folds each finished day once, newest first, and again once late records may have landed', async () => {
    expect(await folder.foldDue()).toEqual(['2026-12-03', '2026-12-02', '2026-12-01', '2026-11-30', '2026-11-29', '2026-11-28', '2026-11-27', '2026-11-26', '2026-11-25'])
    expect(await folder.foldDue()).toEqual([])
    // A day folded within two hours of its end is folded again after them.
    now = Date.parse('2026-12-04T16:20:00Z')
    expect(await folder.foldDue()).toEqual(['2026-12-04'])
    now = Date.parse('2026-12-04T18:30:00Z')
    expect(await folder.foldDue()).toEqual(['2026-12-04'])
    expect(await folder.foldDue()).toEqual([])
  })

  it('answers the last 7 days against the 7 before, from stored days, with drills left out', async () => {
    await folder.foldDue()
    const p = await page({ range: '7d' })
    expect(p).toMatchObject({ name: '东莞市', period: { from: '2026-11-27', to: '2026-12-03', days: 7, partial: false }, previous: { from: '2026-11-20', to: '2026-11-26' } })
    // Daily AQI: 12-01 PM10 40 → 40 (优), 12-02 PM2.5 80 → 107 (轻度), 12-03 too few PM2.5 hours; before: 11-25 PM2.5 50 → 69 (良).
    expect(p.air?.days.filter(d => d.aqi !== null).map(d => [d.day, d.aqi, d.valid])).toEqual([['2026-12-01', 40, true], ['2026-12-02', 107, true], ['2026-12-03', 40, false]])
    expect(p.air?.goodShare).toEqual({ value: 0.5, previous: 1 })
    // TPI means of all hours: (24 × 3 + 24 × 5 + 24 × 4) / 72 = 4; before 2.
    expect(p.traffic?.tpiMean).toEqual({ value: 4, previous: 2 })
    expect(p.halls?.visitors).toEqual({ value: 600, previous: 100 })
    // Five calls in the period, one of them a drill's: four; one before.
    expect(p.hotline.counts.accepted).toBe(4)
    expect(p.hotline.previous.accepted).toBe(1)
    expect(p.hotline.hotspots).toEqual([expect.objectContaining({ count: 4, topic: 'environment', townCode: town })])
    expect(p.hotline.departments.map(d => [d.departmentId, d.accepted])).toEqual([['dg-eco-env', 4]])
  })

  it('folds on the spot the days a page needs that the folder has not reached, and today so far', async () => {
    const p = await page({ range: 'today' })
    expect(p.period).toMatchObject({ from: '2026-12-04', partial: true, toAt: '2026-12-04T02:30:00.000Z' })
    // Today's call at 08:10 against yesterday's up to 10:30 (09:10; not 14:10).
    expect([p.hotline.counts.accepted, p.hotline.previous.accepted]).toEqual([1, 1])
    const week = await page({ range: '7d' })
    expect(week.hotline.counts.accepted).toBe(4)
    expect((await store.review.folds()).has('2026-12-02')).toBe(true)
  })

  it('answers a town\'s page and a department\'s, and refuses what the city does not have', async () => {
    const t = await page({ range: '7d', scope: `town:${town}` })
    expect(t.name).toBe(city.towns.find(x => x.code === town)?.name)
    expect(t.air?.stations).toBe(1)
    expect(t.hotline.counts.accepted).toBe(4)
    expect(t.hotline.departments.map(x => [x.departmentId, x.accepted])).toEqual([['dg-eco-env', 4]])
    expect((await page({ range: '7d', scope: `town:${city.towns.find(x => x.code !== town)!.code}` })).hotline.departments).toEqual([])
    const d = await page({ range: '7d', scope: 'dept:dg-eco-env' })
    expect([d.air, d.traffic, d.halls]).toEqual([null, null, null])
    expect(d.hotline.counts.accepted).toBe(4)
    await expect(page({ scope: 'town:441999999' })).rejects.toThrow(/no town/)
    await expect(page({ scope: 'dept:nowhere' })).rejects.toThrow(/no department/)
  })
})
