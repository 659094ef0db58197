import type { ChartOption } from '@client/composables/useEChart'
import { AXIS_COLOR, AXIS_FONT_REM, GRID_COLOR, withAlpha } from './wall-chart-style'

export const TODAY_COLOR = '#3fb6ff'
export const YESTERDAY_COLOR = '#c3d4ea'

export interface IncidentIntakeInput {
  /** Orders taken in each hour of today (00–23); null where not known. */
  today: readonly (number | null)[]
  yesterday: readonly (number | null)[]
  /** The hour in progress: its bar is still growing and is drawn as such. */
  currentHour: number
  names: { today: string, yesterday: string }
  rem: number
}

const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'))

/**
 * 12345 intake per hour of the city's day: today's hours as bars (the one in
 * progress hollow, dashed), yesterday's as a dashed line for
 * comparison when any of it is known. Unknown hours are left empty, never 0.
 */
export function buildIncidentIntakeOption(input: IncidentIntakeInput): ChartOption {
  const { today, yesterday, currentHour, names, rem } = input
  const axisFont = AXIS_FONT_REM * rem
  const hasYesterday = yesterday.some(v => v !== null)
  // The hour in progress is drawn hollow: it is still growing (the panel writes its figure).
  const bar = (value: number | null, hour: number) => (value === null
    ? '-'
    : hour === currentHour
      ? { value, itemStyle: { color: withAlpha(TODAY_COLOR, 0.3), borderColor: TODAY_COLOR, borderWidth: 0.08 * rem, borderType: 'dashed' as const } }
      : value)
  return {
    animation: false,
    grid: { left: 2.6 * rem, right: 0.8 * rem, top: 2.2 * rem, bottom: 1.7 * rem },
    legend: {
      show: hasYesterday,
      top: 0,
      right: 0,
      itemWidth: 1.2 * rem,
      itemHeight: 0.7 * rem,
      textStyle: { color: AXIS_COLOR, fontSize: axisFont },
      data: [names.today, names.yesterday],
    },
    xAxis: {
      type: 'category',
      data: HOURS,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: GRID_COLOR } },
      // Every third hour: 00 03 06 … fits a side column at 0.85rem.
      axisLabel: { color: AXIS_COLOR, fontSize: axisFont, interval: 2 },
    },
    yAxis: {
      type: 'value',
      min: 0,
      minInterval: 1,
      splitNumber: 3,
      axisLabel: { color: AXIS_COLOR, fontSize: axisFont },
      splitLine: { lineStyle: { color: GRID_COLOR } },
    },
    series: [
      {
        id: 'today',
        name: names.today,
        type: 'bar',
        barCategoryGap: '25%',
        itemStyle: { color: TODAY_COLOR, borderRadius: [0.15 * rem, 0.15 * rem, 0, 0] },
        data: today.map(bar),
      },
      {
        id: 'yesterday',
        name: names.yesterday,
        type: 'line',
        silent: true,
        showSymbol: false,
        connectNulls: false,
        lineStyle: { color: YESTERDAY_COLOR, type: 'dashed', width: 0.1 * rem },
        itemStyle: { color: YESTERDAY_COLOR },
        data: hasYesterday ? yesterday.map(v => v ?? '-') : [],
      },
    ],
  }
}
