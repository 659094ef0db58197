import type { Kpi } from '@shared/schemas/kpis'
import type { CongestionGrade } from '@shared/schemas/traffic'
import { CONGESTION_GRADE_INFO } from '@shared/traffic/congestion'
import type { KpiChange } from '@client/components/panels/kpi/kpi-change'
import { kpiChange } from '@client/components/panels/kpi/kpi-change'
import type { ChartOption } from '@client/composables/useEChart'
import type { BoxSize } from './useBoxSize'
import { AXIS_COLOR, AXIS_FONT_REM, GRID_COLOR, LABEL_FONT_REM, TEXT_COLOR, TONE_COLORS } from './wall-chart-style'

/** Kilometres are shown whole: a city has hundreds to thousands of them. */
const KM_DIGITS = 0
/** Below this height (rem) the km scale goes: the figures are in the right-hand column anyway. */
const SCALE_MIN_HEIGHT_REM = 10

export interface GradeRow {
  grade: CongestionGrade
  name: string
  color: string
  km: number | null
  dayAgo: number | null
  /** Share of the reporting kilometres (GB/T 33171 §7.2.2.3 DP_i), 0–1. */
  share: number | null
  change: KpiChange | null
}

/**
 * Each grade's kilometres now and a day ago, best grade first. More road in
 * 畅通 or 基本畅通 is better; more in any congested grade is worse.
 */
export function gradeRows(kmByGrade: Readonly<Record<CongestionGrade, Kpi>> | null, names: Readonly<Record<CongestionGrade, string>>): GradeRow[] {
  const total = kmByGrade ? CONGESTION_GRADE_INFO.reduce((sum, g) => sum + (kmByGrade[g.grade].value ?? 0), 0) : 0
  return CONGESTION_GRADE_INFO.map((g) => {
    const kpi = kmByGrade?.[g.grade] ?? null
    const km = kpi?.value ?? null
    return {
      grade: g.grade,
      name: names[g.grade],
      color: g.color,
      km,
      dayAgo: kpi?.dayAgo ?? null,
      share: km !== null && total > 0 ? km / total : null,
      change: kpi ? kpiChange(kpi.value, kpi.dayAgo, g.level <= 2 ? 'higher' : 'lower', KM_DIGITS) : null,
    }
  })
}

/** A share in whole percent; a sliver of road is "<1%", not "0%". */
export function sharePercent(share: number): string {
  return share > 0 && share < 0.005 ? '<1%' : `${Math.round(share * 100)}%`
}

export interface RoadGradeInput {
  rows: readonly GradeRow[]
  names: { km: string, dayAgo: string }
  rem: number
  /** The chart's box (rem). */
  size: BoxSize
}

/**
 * Road kilometres by grade as bars in the grade colours (domain.md §2.1),
 * yesterday's length at the same hour as a dashed outline over each bar, and
 * on the right a column with the kilometres, the share and the change.
 */
export function buildRoadGradeOption(input: RoadGradeInput): ChartOption {
  const { rows, names, rem, size } = input
  const scale = size.height >= SCALE_MIN_HEIGHT_REM
  const axisFont = AXIS_FONT_REM * rem
  const labelFont = LABEL_FONT_REM * rem
  const right = (i: number): string => {
    const r = rows[i]
    if (!r || r.km === null)
      return '—'
    const share = r.share === null ? '' : `  {share|${sharePercent(r.share)}}`
    const change = r.change ? `  {${r.change.tone}|${r.change.arrow}${r.change.text}}` : ''
    return `{km|${r.km.toFixed(KM_DIGITS)}}{unit| ${names.km}}${share}${change}`
  }
  const tone = (color: string): { color: string, fontSize: number, fontWeight: 'bold' } => ({ color, fontSize: labelFont, fontWeight: 'bold' })
  const category = rows.map(r => r.name)
  return {
    animation: false,
    grid: { left: 6.2 * rem, right: 11.5 * rem, top: 0.3 * rem, bottom: (scale ? 1.8 : 0.3) * rem },
    xAxis: {
      type: 'value',
      min: 0,
      splitNumber: 3,
      axisLabel: { show: scale, color: AXIS_COLOR, fontSize: axisFont },
      splitLine: { lineStyle: { color: GRID_COLOR } },
    },
    yAxis: [
      {
        type: 'category',
        inverse: true,
        data: category,
        axisTick: { show: false },
        axisLine: { lineStyle: { color: GRID_COLOR } },
        axisLabel: { interval: 0, color: TEXT_COLOR, fontSize: labelFont },
      },
      {
        type: 'category',
        inverse: true,
        position: 'right',
        data: category,
        axisTick: { show: false },
        axisLine: { show: false },
        axisLabel: {
          interval: 0,
          align: 'left',
          margin: 0.8 * rem,
          formatter: (_: string, i: number) => right(i),
          rich: {
            km: { color: TEXT_COLOR, fontSize: labelFont, fontWeight: 'bold' },
            unit: { color: AXIS_COLOR, fontSize: axisFont },
            share: { color: AXIS_COLOR, fontSize: axisFont },
            better: tone(TONE_COLORS.better),
            worse: tone(TONE_COLORS.worse),
            neutral: tone(TONE_COLORS.neutral),
          },
        },
      },
    ],
    series: [
      {
        id: 'now',
        type: 'bar',
        barWidth: '58%',
        barGap: '-100%',
        data: rows.map(r => ({ value: r.km ?? 0, itemStyle: { color: r.color, borderRadius: [0, 0.2 * rem, 0.2 * rem, 0] } })),
      },
      {
        id: 'day-ago',
        type: 'bar',
        name: names.dayAgo,
        barWidth: '58%',
        barGap: '-100%',
        silent: true,
        itemStyle: { color: 'transparent', borderColor: 'rgba(230, 241, 255, 0.75)', borderType: 'dashed', borderWidth: 0.1 * rem },
        // A bar with no value is not drawn: no outline where yesterday is unknown.
        data: rows.map(r => r.dayAgo ?? '-'),
      },
    ],
  }
}
