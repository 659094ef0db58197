import type { ChartOption } from '@client/composables/useEChart'
import { AXIS_COLOR, AXIS_FONT_REM, GRID_COLOR, LABEL_FONT_REM, TEXT_COLOR } from '@client/components/charts/wall-chart-style'
import { formatRate } from './dispatch-rates'

/** One department's bar: its 按时办结率 (null: nothing closed, drawn as no bar with "—"). */
export interface OnTimeBar { id: string, name: string, rate: number | null }

export interface OnTimeCloseInput {
  bars: readonly OnTimeBar[]
  /** The city's rate: a dashed line across, so each department reads against it. */
  cityRate: number | null
  rem: number
  /** Width of the names' column, in rem. */
  nameRem: number
  /** Said on the city's line ("全市"). */
  cityLabel: string
}

export const ON_TIME_COLOR = '#3fb6ff'
export const BELOW_CITY_COLOR = '#ff9f1a'

/**
 * 按时办结率 by department as horizontal bars on a 0–100 % axis, in the order
 * given (the screen ranks them); below the city's rate in orange with the
 * figure, so colour is never the only sign (the figures are written).
 */
export function buildOnTimeCloseOption(input: OnTimeCloseInput): ChartOption {
  const { bars, cityRate, rem, nameRem, cityLabel } = input
  const axisFont = AXIS_FONT_REM * rem
  const labelFont = LABEL_FONT_REM * rem
  const percent = (r: number | null): number | null => (r === null ? null : Math.round(r * 1000) / 10)
  return {
    animation: false,
    grid: { left: nameRem * rem, right: 4.5 * rem, top: 1.6 * rem, bottom: 1.8 * rem },
    xAxis: {
      type: 'value',
      min: 0,
      max: 100,
      interval: 25,
      axisLabel: { color: AXIS_COLOR, fontSize: axisFont, formatter: '{value}%' },
      splitLine: { lineStyle: { color: GRID_COLOR } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: bars.map(b => b.name),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: GRID_COLOR } },
      axisLabel: { color: TEXT_COLOR, fontSize: labelFont, width: (nameRem - 0.8) * rem, overflow: 'truncate', margin: 0.6 * rem, interval: 0 },
    },
    series: [{
      id: 'on-time-close',
      type: 'bar',
      barMaxWidth: 1.2 * rem,
      barCategoryGap: '35%',
      data: bars.map(b => ({
        value: percent(b.rate),
        itemStyle: { color: cityRate !== null && b.rate !== null && b.rate < cityRate ? BELOW_CITY_COLOR : ON_TIME_COLOR, borderRadius: [0, 0.2 * rem, 0.2 * rem, 0] },
        label: { show: true, position: 'right', color: TEXT_COLOR, fontSize: axisFont, formatter: formatRate(b.rate) },
      })),
      ...(cityRate === null
        ? {}
        : {
            markLine: {
              silent: true,
              symbol: 'none',
              lineStyle: { color: TEXT_COLOR, type: 'dashed', width: Math.max(1, 0.1 * rem) },
              // The y axis runs top-down (inverse): its start is the top, clear of the percent labels below.
              label: { color: TEXT_COLOR, fontSize: axisFont, position: 'start', formatter: `${cityLabel} ${formatRate(cityRate)}` },
              data: [{ xAxis: percent(cityRate) ?? 0 }],
            },
          }),
    }],
  }
}
