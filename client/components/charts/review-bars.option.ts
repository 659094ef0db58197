import type { ChartOption } from '@client/composables/useEChart'
import { AXIS_COLOR, AXIS_FONT_REM, GRID_COLOR } from './wall-chart-style'

/** One series over the categories: bars, or a line (a second measure over the same days). */
export interface ReviewSeries {
  id: string
  name: string
  values: readonly (number | null)[]
  /** One colour, or one per value (a TPI day in its grade's colour). */
  color: string | readonly string[]
  kind?: 'bar' | 'line'
}

export interface ReviewBarsInput {
  /** The axis' labels: days ("11-27"), bands ("5-10 分钟"). */
  categories: readonly string[]
  series: readonly ReviewSeries[]
  rem: number
  /** A fixed top (TPI: 10); the largest value otherwise. */
  max?: number
}

/**
 * Values over days or bands as vertical bars (a line for a series that asks
 * for one), a legend when there is more than one series. The value axis
 * starts at 0 so bars compare honestly.
 */
export function buildReviewBarsOption(input: ReviewBarsInput): ChartOption {
  const { categories, series, rem } = input
  const axisFont = AXIS_FONT_REM * rem
  const legend = series.length > 1
  return {
    animation: false,
    grid: { left: 3.4 * rem, right: 1 * rem, top: (legend ? 2.2 : 1) * rem, bottom: 1.8 * rem },
    tooltip: { trigger: 'axis', renderMode: 'richText', textStyle: { fontSize: axisFont } },
    legend: { show: legend, top: 0, right: 0, itemWidth: 0.9 * rem, itemHeight: 0.6 * rem, textStyle: { color: AXIS_COLOR, fontSize: axisFont } },
    xAxis: {
      type: 'category',
      data: [...categories],
      axisTick: { show: false },
      axisLine: { lineStyle: { color: GRID_COLOR } },
      axisLabel: { color: AXIS_COLOR, fontSize: axisFont },
    },
    yAxis: { type: 'value', min: 0, ...(input.max === undefined ? {} : { max: input.max }), axisLabel: { color: AXIS_COLOR, fontSize: axisFont }, splitLine: { lineStyle: { color: GRID_COLOR } } },
    series: series.map((s) => {
      const colorOf = (i: number): string => (typeof s.color === 'string' ? s.color : s.color[i] ?? AXIS_COLOR)
      if (s.kind === 'line')
        return { id: s.id, type: 'line' as const, name: s.name, data: [...s.values], showSymbol: categories.length <= 31, symbolSize: 0.4 * rem, lineStyle: { width: 0.15 * rem, color: colorOf(0) }, itemStyle: { color: colorOf(0) } }
      return {
        id: s.id,
        type: 'bar' as const,
        name: s.name,
        barMaxWidth: 2 * rem,
        itemStyle: { color: colorOf(0) },
        data: s.values.map((value, i) => ({ value, itemStyle: { color: colorOf(i) } })),
      }
    }),
  }
}
