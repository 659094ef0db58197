import { CONGESTION_GRADE_INFO } from '@shared/traffic/congestion'
import type { ChartOption } from '@client/composables/useEChart'
import type { BoxSize } from './useBoxSize'
import { AXIS_COLOR, AXIS_FONT_REM, bandNameAxis, cityClock, cityTicks, clockAxis, hoursPerTick, spacedTicks, withAlpha } from './wall-chart-style'

const HOUR_MS = 3_600_000
/** TPI grades are 2 wide (GB/T 33171: [0,2) 畅通 … [8,10] 严重拥堵). */
const GRADE_WIDTH = 2
const TPI_TOP = 10
export const LAST_WEEK_COLOR = '#9fb3d1'
/** The grid's margins in rem: the time labels below, half a label above the top value. */
const GRID = { left: 2, right: 1.6, top: 0.7, bottom: 1.8 }
/** The grades are named on the right only in a chart this wide (rem): a narrow one keeps its width for the day. */
const NAMES_MIN_WIDTH_REM = 22

export interface TpiDayInput {
  /** The city's local day shown, [start, end). */
  day: { start: number, end: number }
  /** The server's clock now: today's line ends here. */
  now: number
  /** Today's TPI, [t, value | null for a gap]. */
  today: [number, number | null][]
  /** The same weekday last week moved onto today's clock; null while not read. */
  lastWeek: [number, number | null][] | null
  names: { today: string, lastWeek: string, grades: readonly string[] }
  rem: number
  /** The chart's box (rem): how many labels fit. */
  size: BoxSize
}

/**
 * TPI through today (00:00 → now) on a 24-hour axis of the city's clock,
 * against the same weekday last week (dashed, the whole day: what usually
 * comes next). The value axis is the standard's 0–10 with its five grade
 * bands behind in the grade colours, named on the right where there is room,
 * and today's line takes the colour of the grade it is in. The panel writes
 * the legend itself, with the figures.
 */
export function buildTpiDayOption(input: TpiDayInput): ChartOption {
  const { day, now, today, lastWeek, names, rem, size } = input
  const clock = cityClock()
  const axisFont = AXIS_FONT_REM * rem
  const plot = size.height - GRID.top - GRID.bottom
  // Always a second axis, hidden when narrow: a merged setOption would keep one that disappeared.
  const gradeNames = bandNameAxis({ mids: CONGESTION_GRADE_INFO.map((_, i) => (i + 0.5) * GRADE_WIDTH), names: [...names.grades], top: TPI_TOP, plotRem: plot }, rem)
  const showNames = size.width >= NAMES_MIN_WIDTH_REM
  const right = showNames ? gradeNames.rightRem : GRID.right
  const ticks = cityTicks(day.start, day.end, hoursPerTick(size.width - GRID.left - right) * HOUR_MS)
  const valueTicks = spacedTicks([0, 2, 4, 6, 8, 10], TPI_TOP, plot)
  return {
    animation: false,
    grid: { left: GRID.left * rem, right: right * rem, top: GRID.top * rem, bottom: GRID.bottom * rem },
    // Drawn on the canvas: an HTML tooltip carries inline styles the CSP refuses.
    tooltip: { trigger: 'axis', renderMode: 'richText', textStyle: { fontSize: axisFont } },
    // The day's end is 24:00 of this day, not 00:00 of the next.
    xAxis: clockAxis(day.start, day.end, ticks, axisFont, v => (v >= day.end ? '24:00' : clock(v))),
    yAxis: [
      {
        type: 'value',
        min: 0,
        max: TPI_TOP,
        axisLabel: { color: AXIS_COLOR, fontSize: axisFont, customValues: valueTicks },
        axisTick: { show: false },
        splitLine: { show: false },
      },
      { ...gradeNames.axis, show: showNames },
    ],
    visualMap: {
      show: false,
      seriesIndex: 0,
      dimension: 1,
      pieces: CONGESTION_GRADE_INFO.map((g, i) => ({
        gte: i * GRADE_WIDTH,
        ...(i === CONGESTION_GRADE_INFO.length - 1 ? {} : { lt: (i + 1) * GRADE_WIDTH }),
        color: g.color,
      })),
    },
    series: [
      {
        id: 'today',
        type: 'line',
        name: names.today,
        showSymbol: false,
        connectNulls: false,
        z: 3,
        lineStyle: { width: 0.22 * rem },
        data: today,
        markArea: {
          silent: true,
          label: { show: false },
          data: CONGESTION_GRADE_INFO.map((g, i) => [
            { yAxis: i * GRADE_WIDTH, itemStyle: { color: withAlpha(g.color, 0.1) } },
            { yAxis: (i + 1) * GRADE_WIDTH },
          ]),
        },
        markLine: {
          silent: true,
          symbol: 'none',
          label: { show: false },
          lineStyle: { color: withAlpha('#e6f1ff', 0.45), type: 'dotted', width: 0.08 * rem },
          data: [{ xAxis: now }],
        },
      },
      {
        id: 'last-week',
        type: 'line',
        name: names.lastWeek,
        showSymbol: false,
        connectNulls: false,
        z: 2,
        itemStyle: { color: LAST_WEEK_COLOR },
        lineStyle: { width: 0.14 * rem, type: 'dashed', color: LAST_WEEK_COLOR },
        data: lastWeek ?? [],
      },
    ],
  }
}
