import type { DrillSummary } from '@shared/schemas/drills'
import type { ChartOption } from '@client/composables/useEChart'
import { AXIS_COLOR, AXIS_FONT_REM, GRID_COLOR, LABEL_FONT_REM, TEXT_COLOR } from '@client/components/charts/wall-chart-style'

export const STEP_COLOR = '#3fb6ff'

export interface DrillStepsInput {
  steps: DrillSummary['orders']['steps']
  /** The steps' names, in their order. */
  names: readonly string[]
  rem: number
}

/**
 * The median minutes of each step of the cycle as horizontal bars, with the
 * figure and the orders it is over written beside each bar; a step nothing
 * finished yet has no bar and "—".
 */
export function buildDrillStepsOption(input: DrillStepsInput): ChartOption {
  const { steps, names, rem } = input
  const axisFont = AXIS_FONT_REM * rem
  return {
    animation: false,
    grid: { left: 8 * rem, right: 6 * rem, top: 0.8 * rem, bottom: 1.8 * rem },
    xAxis: {
      type: 'value',
      min: 0,
      axisLabel: { color: AXIS_COLOR, fontSize: axisFont },
      splitLine: { lineStyle: { color: GRID_COLOR } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: [...names],
      axisTick: { show: false },
      axisLine: { lineStyle: { color: GRID_COLOR } },
      axisLabel: { color: TEXT_COLOR, fontSize: LABEL_FONT_REM * rem, interval: 0 },
    },
    series: [{
      id: 'drill-steps',
      type: 'bar',
      barMaxWidth: 1.1 * rem,
      data: steps.map(s => ({
        value: s.stats.medianMin,
        itemStyle: { color: STEP_COLOR, borderRadius: [0, 0.2 * rem, 0.2 * rem, 0] },
        label: { show: true, position: 'right', color: TEXT_COLOR, fontSize: axisFont, formatter: s.stats.medianMin === null ? '—' : `${s.stats.medianMin}（${s.stats.count}）` },
      })),
    }],
  }
}
