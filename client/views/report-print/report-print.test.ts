import { describe, expect, it } from 'vitest'
import { reportNames, reportTables } from '@shared/review/report-tables'
import type { ReviewReport } from '@shared/schemas/review-report'
import { REVIEW_FIXTURE } from '@client/views/review/review.fixture'
import { aqiChart, cellText, numericColumns, printHeading } from './report-print'

const report: ReviewReport = {
  id: 'weekly-2026-11-27',
  kind: 'weekly',
  periodStart: '2026-11-27',
  title: '东莞市城市运行周报（2026年11月27日至12月3日）',
  generatedAt: '2026-12-03T16:05:00.000Z',
  generatedBy: 'schedule',
  page: REVIEW_FIXTURE,
}

describe('the print page\'s derivations', () => {
  it('heads the paper with the period, the one compared and when and how it was made', () => {
    expect(printHeading(report)).toEqual({
      title: report.title,
      period: '2026年11月27日至12月3日',
      compared: '2026年11月20日至11月26日',
      generatedAt: '2026年12月4日 00:05',
      generatedBy: '定时生成',
      partial: false,
    })
    expect(printHeading({ ...report, generatedBy: 'leader1' }).generatedBy).toBe('leader1')
  })

  it('prints cells as the CSV writes them, and right-aligns the columns without text', () => {
    expect([cellText(null), cellText(0), cellText(92.5), cellText('优')]).toEqual(['—', '0', '92.5', '优'])
    expect(numericColumns({ columns: ['指标', '单位', '本期', '上期', '变化'], rows: [['受理量', '件', 120, null, null], ['解决率', '%', 91.2, 90, null]] }))
      .toEqual([false, false, true, true, true])
    expect(numericColumns({ columns: ['镇街', '本期'], rows: [] })).toEqual([false, false])
  })

  it('names towns, halls and departments from the city model, in Chinese, the id where it lacks one', () => {
    const names = reportNames({
      towns: [{ code: '441900004', name: '南城街道' }],
      halls: [],
      departments: [{ id: 'dg-eco-env', name: '东莞市生态环境局' }],
    })
    expect([names.town('441900004'), names.town('441900999'), names.department('dg-eco-env'), names.hall('h1')]).toEqual(['南城街道', '441900999', '东莞市生态环境局', 'h1'])
    const byTown = reportTables(report, names).find(t => t.sheet === '受理量按镇街')!
    expect(byTown.rows.map(r => r[0])).toContain('南城街道')
  })

  it('draws a week\'s AQI as one bar a day on a scale of at least 150, the 良 line at 100', () => {
    const chart = aqiChart(report, 700, 140)!
    expect(chart.bars.map(b => b.label)).toEqual(['11/27 周五', '11/28 周六', '11/29 周日', '11/30 周一', '12/1 周二', '12/2 周三', '12/3 周四'])
    expect(chart.bars.map(b => b.aqi)).toEqual([46, 58, 72, 104, 88, 63, 39])
    // The fixture's worst day is 104: the scale tops at 150.
    expect(chart.bars[3]!.height).toBeCloseTo((104 / 150) * 140)
    expect(chart.bars[3]!.y + chart.bars[3]!.height).toBeCloseTo(140)
    expect(chart.goodLineY).toBeCloseTo(140 - (100 / 150) * 140)
    expect(chart.bars[1]!.x - chart.bars[0]!.x).toBeCloseTo(100)
  })

  it('draws a day by the hour, and nothing without air data', () => {
    const hours = [{ t: '2026-12-02T16:00:00Z', aqi: 40 }, { t: '2026-12-02T17:00:00Z', aqi: null }, { t: '2026-12-02T18:00:00Z', aqi: 300 }]
    const day = { ...report, kind: 'daily' as const, page: { ...REVIEW_FIXTURE, air: { ...REVIEW_FIXTURE.air!, days: REVIEW_FIXTURE.air!.days.slice(0, 1), hours } } }
    const chart = aqiChart(day, 300, 100)!
    expect(chart.title).toBe('逐时 AQI（实时报）')
    expect(chart.bars.map(b => [b.label, b.aqi, b.height])).toEqual([['00', 40, (40 / 300) * 100], ['01', null, 0], ['02', 300, 100]])
    expect(aqiChart({ ...report, page: { ...REVIEW_FIXTURE, air: null } }, 300, 100)).toBeNull()
  })
})
