import { describe, expect, it } from 'vitest'
import type { Kpi } from '@shared/schemas/kpis'
import type { CongestionGrade } from '@shared/schemas/traffic'
import { CONGESTION_GRADE_INFO } from '@shared/traffic/congestion'
import { buildRoadGradeOption, gradeRows, sharePercent } from './road-grade.option'

const names = Object.fromEntries(CONGESTION_GRADE_INFO.map(g => [g.grade, g.zh])) as Record<CongestionGrade, string>
const kpi = (value: number | null, dayAgo: number | null): Kpi => ({ value, dayAgo, weekAgo: null })
const km: Record<CongestionGrade, Kpi> = {
  free: kpi(600, 500),
  basic: kpi(200, 200.4),
  light: kpi(100, 80),
  moderate: kpi(60, 90),
  severe: kpi(40, null),
}

describe(gradeRows.name, () => {
  const rows = gradeRows(km, names)

  it('gives each grade, best first, its kilometres, share of the reporting total (DP_i) and colour', () => {
    expect(rows.map(r => [r.name, r.km, r.share, r.color])).toEqual([
      ['畅通', 600, 0.6, '#1A9850'],
      ['基本畅通', 200, 0.2, '#91CF60'],
      ['轻度拥堵', 100, 0.1, '#FEE08B'],
      ['中度拥堵', 60, 0.06, '#FC8D59'],
      ['严重拥堵', 40, 0.04, '#D73027'],
    ])
  })

  it('reads more free-flowing road as better and more congested road as worse; no comparison without yesterday', () => {
    expect(rows.map(r => r.change && `${r.change.arrow}${r.change.text} ${r.change.tone}`)).toEqual([
      '▲+100 better',
      '＝0 neutral',
      '▲+20 worse',
      '▼−30 better',
      null,
    ])
  })

  it('shows nothing made up before the first KPI set', () => {
    expect(gradeRows(null, names).every(r => r.km === null && r.share === null && r.change === null)).toBe(true)
  })
})

describe(buildRoadGradeOption.name, () => {
  const rows = gradeRows(km, names)
  const option = buildRoadGradeOption({ rows, names: { km: '公里', dayAgo: '昨日同时' }, rem: 16, size: { width: 28, height: 12 } })
  const series = option.series as { id: string, data: unknown[] }[]
  const [left, right] = option.yAxis as [{ data: string[] }, { position: string, axisLabel: { formatter: (v: string, i: number) => string } }]

  it('draws today\'s bars in the grade colours and yesterday\'s as outlines where known', () => {
    expect(series.map(s => s.id)).toEqual(['now', 'day-ago'])
    expect(series[0]?.data).toEqual(rows.map(r => ({ value: r.km, itemStyle: { color: r.color, borderRadius: [0, 3.2, 3.2, 0] } })))
    expect(series[1]?.data).toEqual([500, 200.4, 80, 90, '-'])
    expect(left.data).toEqual(rows.map(r => r.name))
  })

  it('drops the km scale in a short panel: the figures are in the right-hand column', () => {
    expect((option.xAxis as { axisLabel: { show: boolean } }).axisLabel.show).toBe(true)
    const short = buildRoadGradeOption({ rows, names: { km: '公里', dayAgo: '' }, rem: 16, size: { width: 28, height: 7 } })
    expect((short.xAxis as { axisLabel: { show: boolean } }).axisLabel.show).toBe(false)
  })

  it('writes kilometres, share and the change with arrow and sign in the right-hand column', () => {
    expect(right.position).toBe('right')
    expect(right.axisLabel.formatter('', 0)).toBe('{km|600}{unit| 公里}  {share|60%}  {better|▲+100}')
    expect(right.axisLabel.formatter('', 4)).toBe('{km|40}{unit| 公里}  {share|4%}')
    const empty = buildRoadGradeOption({ rows: gradeRows(null, names), names: { km: '公里', dayAgo: '' }, rem: 16, size: { width: 28, height: 12 } })
    expect((empty.yAxis as [unknown, { axisLabel: { formatter: (v: string, i: number) => string } }])[1].axisLabel.formatter('', 0)).toBe('—')
  })
})

describe(sharePercent.name, () => {
  it('rounds to whole percent, and says "<1%" for a sliver of road rather than "0%"', () => {
    expect([0.6, 0.004, 0, 0.005, 0.999].map(sharePercent)).toEqual(['60%', '<1%', '0%', '1%', '100%'])
  })
})
