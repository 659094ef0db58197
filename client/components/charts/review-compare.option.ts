import type { ChartOption } from '@client/composables/useEChart'
import { AXIS_COLOR, AXIS_FONT_REM, GRID_COLOR, LABEL_FONT_REM, TEXT_COLOR } from './wall-chart-style'

/** One row: this period's figure beside the previous period's. */
export interface CompareBar {
  id: string
  name: string
  value: number
  /** Null: nothing before (no ghost bar); undefined rows have no previous series at all. */
  previous: number | null
  /** A row's own colour (a congestion grade); the accent otherwise. */
  color?: string
}

export interface ReviewCompareInput {
  bars: readonly CompareBar[]
  rem: number
  /** Width of the names' column, rem. */
  nameRem: number
  /** The legend's words: 本期, 上期. */
  currentLabel: string
  previousLabel: string
  /** Whether to draw the previous period at all (primary pollutant days have none). */
  withPrevious: boolean
  /** Decimals of the figures written at the bars' ends. */
  digits?: number
}

export const CURRENT_COLOR = '#3fb6ff'
export const PREVIOUS_COLOR = 'rgba(138, 164, 196, 0.45)'

/**
 * Rows ranked as given (largest first, as the page sorts them): this
 * period's bar with its figure, and under it a thin grey bar of the period
 * before, so growth reads at a glance without a second colour to learn.
 */
export function buildReviewCompareOption(input: ReviewCompareInput): ChartOption {
  const { bars, rem, nameRem, withPrevious } = input
  const digits = input.digits ?? 0
  const axisFont = AXIS_FONT_REM * rem
  const labelFont = LABEL_FONT_REM * rem
  return {
    animation: false,
    grid: { left: nameRem * rem, right: 3.6 * rem, top: (withPrevious ? 1.8 : 0.4) * rem, bottom: 0.4 * rem },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText', textStyle: { fontSize: axisFont } },
    legend: { show: withPrevious, top: 0, right: 0, itemWidth: 0.9 * rem, itemHeight: 0.6 * rem, textStyle: { color: AXIS_COLOR, fontSize: axisFont } },
    xAxis: { type: 'value', min: 0, axisLabel: { show: false }, splitLine: { lineStyle: { color: GRID_COLOR } } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: bars.map(b => b.name),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: GRID_COLOR } },
      axisLabel: { color: TEXT_COLOR, fontSize: labelFont, width: (nameRem - 0.6) * rem, overflow: 'truncate', interval: 0 },
    },
    series: [
      {
        id: 'current',
        type: 'bar',
        name: input.currentLabel,
        barMaxWidth: 1 * rem,
        itemStyle: { color: CURRENT_COLOR },
        data: bars.map(b => ({
          value: b.value,
          itemStyle: { color: b.color ?? CURRENT_COLOR },
          label: { show: true, position: 'right', color: TEXT_COLOR, fontSize: axisFont, formatter: b.value.toFixed(digits) },
        })),
      },
      ...(withPrevious
        ? [{
            id: 'previous',
            type: 'bar' as const,
            name: input.previousLabel,
            barMaxWidth: 0.35 * rem,
            barGap: '10%',
            itemStyle: { color: PREVIOUS_COLOR },
            data: bars.map(b => b.previous),
          }]
        : []),
    ],
  }
}
