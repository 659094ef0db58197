/** The 日报 and 周报: made on schedule and on demand, kept, and exported, on SQLite and PostgreSQL. */
import readXlsxFile from 'read-excel-file/node'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OpenedStore } from '@server/store/store.backends'
import { contractBackends } from '@server/store/store.backends'
import { DayFolder } from './day-folder'
import { reportCsv, reportNames, reportXlsx } from './report-export'
import { reportPeriod, ReportService, SCHEDULE } from './report-service'
import { ReviewService } from './review-service'
import { calendar, city, NOW, seed, town } from './review.support'

const { backends } = await contractBackends()
const names = reportNames(city)

describe('report periods', () => {
  it('a daily report is its day; a weekly one the Monday to Sunday week holding the day', () => {
    expect(reportPeriod('daily', '2026-12-03')).toEqual({ from: '2026-12-03', to: '2026-12-03' })
    expect(reportPeriod('weekly', '2026-12-03')).toEqual({ from: '2026-11-30', to: '2026-12-06' })
    expect(reportPeriod('weekly', '2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' })
  })
})

describe.each(backends.map(b => [b.name, b] as const))('%s store: reports', (_name, backend) => {
  let opened: OpenedStore | undefined
  let reports: ReportService
  beforeEach(async () => {
    opened = await backend.open()
    const store = opened.store
    const now = (): number => NOW
    const folder = new DayFolder({ review: store.review, city, calendar, now, intervalMs: 60_000, onError: (err) => { throw err } })
    const review = new ReviewService({ review: store.review, city, folder, now })
    reports = new ReportService({ review, repo: store.review, city, now, intervalMs: 60_000, onError: (err) => { throw err } })
    await seed(store)
  })
  afterEach(() => opened?.dispose())

  it('makes yesterday\'s daily report and last week\'s weekly one once, on the schedule', async () => {
    const made = await reports.generateDue()
    expect(made.map(r => [r.id, r.title, r.generatedBy])).toEqual([
      ['daily-2026-12-03', '东莞市城市运行日报（2026年12月3日）', SCHEDULE],
      ['weekly-2026-11-23', '东莞市城市运行周报（2026年11月23日至11月29日）', SCHEDULE],
    ])
    expect(await reports.generateDue()).toEqual([])
    const list = await reports.list({ limit: 10 })
    expect(list.map(r => r.id)).toEqual(['daily-2026-12-03', 'weekly-2026-11-23'])
    // Last week (11-23 to 11-29) held the one call of 11-25; 12-03 two.
    expect((await reports.get('weekly-2026-11-23'))?.page.hotline.counts.accepted).toBe(1)
    expect((await reports.get('daily-2026-12-03'))?.page.hotline.counts.accepted).toBe(2)
  })

  it('makes a report on demand, replacing the one held, and exports it as CSV and XLSX with the same figures', async () => {
    await reports.generate('weekly', '2026-12-02', 'leader1')
    const again = await reports.generate('weekly', '2026-12-02', 'leader2')
    expect((await reports.list({ kind: 'weekly', limit: 10 })).map(r => [r.id, r.generatedBy])).toEqual([['weekly-2026-11-30', 'leader2']])
    // The week so far, 11-30 to 12-04 10:30: five real calls (a drill's left out); the five days before it one.
    expect(again.page.period).toMatchObject({ from: '2026-11-30', to: '2026-12-04', partial: true })
    expect(again.page.hotline.counts.accepted).toBe(5)

    const csv = reportCsv(again, names)
    expect(csv.startsWith('\uFEFF东莞市城市运行周报（2026年11月30日至12月4日）\r\n')).toBe(true)
    expect(csv).toContain('\r\n12345 受理量,件,5,1,4\r\n')
    expect(csv).toContain(`\r\n${names.town(town)},5,1\r\n`)

    const sheets = await readXlsxFile(await reportXlsx(again, names))
    expect(sheets.map(s => s.sheet)).toContain('部门考核')
    const summary = sheets.find(s => s.sheet === '主要指标')?.data ?? []
    expect(summary[0]?.[0]).toBe('东莞市城市运行周报（2026年11月30日至12月4日） · 主要指标')
    expect(summary.find(r => r[0] === '12345 受理量')).toEqual(['12345 受理量', '件', 5, 1, 4])
  })
})
