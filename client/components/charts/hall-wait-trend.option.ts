import type { ChartOption } from '@client/composables/useEChart'
import type { TrendBucket } from '@client/stores/trend-series'
import { sparklineData } from './trend-sparkline.option'
import { AXIS_COLOR, AXIS_FONT_REM, cityClock, cityTicks, clockAxis, GRID_COLOR, withAlpha } from './wall-chart-style'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** Ticks every 4 hours of the city's day: 00:00 … 24:00, seven labels that fit a side column. */
const TICK_MS = 4 * HOUR_MS
export const WAIT_COLOR = '#3fb6ff'
export const PEOPLE_COLOR = '#b38cff'
const WARN_COLOR = '#ffb020'

export interface HallWaitTrendInput {
  avgWait: readonly TrendBucket[]
  waiting: readonly TrendBucket[]
  /** Local midnight of the day shown: the axis spans the whole day, so where "now" is reads at a glance. */
  dayStart: number
  /** The mean wait at which a hall is under pressure (domain.md §4.3): a marked line. */
  warnWaitMin: number
  names: { avgWait: string, waiting: string, minutes: string, people: string, warnLine: string }
  rem: number
  timeZone?: string
}

/**
 * The halls' mean wait (minutes, left axis, line) and people waiting (right
 * axis, filled) through the city's day, the warn threshold of the mean wait
 * marked; gaps where nothing was recorded stay gaps.
 */
export function buildHallWaitTrendOption(input: HallWaitTrendInput): ChartOption {
  const { avgWait, waiting, dayStart, warnWaitMin, names, rem } = input
  const axisFont = AXIS_FONT_REM * rem
  const clock = cityClock(input.timeZone)
  const end = dayStart + DAY_MS
  const ticks = cityTicks(dayStart, end, TICK_MS)
  const valueAxis = (name: string, color: string, position: 'left' | 'right', atLeast = 0) => ({
    type: 'value' as const,
    min: 0,
    // The warn line is always in view: a calm day reads as far below it, not as near.
    ...(atLeast > 0 ? { max: ({ max }: { max: number }) => Math.ceil(Math.max(max, atLeast)) } : {}),
    position,
    name,
    nameGap: 0.5 * rem,
    nameTextStyle: { color, fontSize: axisFont, align: position },
    splitNumber: 3,
    axisLabel: { color: AXIS_COLOR, fontSize: axisFont },
    splitLine: { show: position === 'left', lineStyle: { color: GRID_COLOR } },
  })
  return {
    animation: false,
    grid: { left: 2.8 * rem, right: 3 * rem, top: 2 * rem, bottom: 1.7 * rem },
    legend: { show: false },
    xAxis: clockAxis(dayStart, end, ticks, axisFont, v => (v >= end ? '24:00' : clock(v))),
    yAxis: [valueAxis(names.minutes, WAIT_COLOR, 'left', warnWaitMin * 1.25), valueAxis(names.people, PEOPLE_COLOR, 'right')],
    series: [
      {
        id: 'waiting',
        name: names.waiting,
        type: 'line',
        yAxisIndex: 1,
        showSymbol: false,
        connectNulls: false,
        lineStyle: { width: 0.1 * rem, color: PEOPLE_COLOR },
        itemStyle: { color: PEOPLE_COLOR },
        areaStyle: { color: withAlpha(PEOPLE_COLOR, 0.18) },
        data: sparklineData(waiting, 0),
      },
      {
        id: 'avg-wait',
        name: names.avgWait,
        type: 'line',
        yAxisIndex: 0,
        showSymbol: false,
        connectNulls: false,
        lineStyle: { width: 0.16 * rem, color: WAIT_COLOR },
        itemStyle: { color: WAIT_COLOR },
        data: sparklineData(avgWait, 1),
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: WARN_COLOR, type: 'dashed', width: 0.08 * rem },
          label: { color: WARN_COLOR, fontSize: axisFont, position: 'insideEndTop', formatter: names.warnLine },
          data: [{ yAxis: warnWaitMin }],
        },
      },
    ],
  }
}
