import { AQI_LEVELS } from '@shared/air/levels'
import type { ChartOption } from '@client/composables/useEChart'
import type { BoxSize } from './useBoxSize'
import { AXIS_COLOR, AXIS_FONT_REM, bandNameAxis, cityClock, cityTicks, clockAxis, hoursPerTick, spacedTicks, withAlpha } from './wall-chart-style'

const HOUR_MS = 3_600_000
const WINDOW_MS = 24 * HOUR_MS
/** The axis shows at least up to 轻度污染 (150): a clean day still shows where pollution starts. */
const MIN_TOP = 150
/** The table of HJ 633 ends at 500. */
const SCALE_TOP = 500
/** The grid's margins in rem: the time labels below, half a label above the top value. */
const GRID = { left: 2.6, right: 1.2, top: 0.7, bottom: 1.8 }
/** The levels are named on the right only in a chart this wide (rem): a narrow one keeps its width for the day. */
const NAMES_MIN_WIDTH_REM = 22

export interface AqiDayInput {
  /** City AQI, [t, value | null for a gap], oldest first. */
  data: [number, number | null][]
  /** The server's clock now: the end of the 24 hours shown. */
  end: number
  /** The six level names, in the locale shown. */
  levelNames: readonly string[]
  rem: number
  /** The chart's box (rem): how many labels fit. */
  size: BoxSize
}

/** The value axis' top: the upper bound of the level the highest value is in, at least 150. */
export function aqiAxisTop(values: readonly (number | null)[]): number {
  const high = Math.max(MIN_TOP, ...values.filter((v): v is number => v !== null))
  const level = AQI_LEVELS.find(l => high <= l.max)
  return level && Number.isFinite(level.max) ? level.max : SCALE_TOP
}

/**
 * City AQI over the last 24 hours of the server's clock: the line in the
 * colour of its HJ 633 level, over the levels' bands (表2 colours) up to the
 * level the day reached, named on the right where there is room.
 */
export function buildAqiDayOption(input: AqiDayInput): ChartOption {
  const { data, end, levelNames, rem, size } = input
  const clock = cityClock()
  const top = aqiAxisTop(data.map(d => d[1]))
  const axisFont = AXIS_FONT_REM * rem
  const plot = size.height - GRID.top - GRID.bottom
  const bands = AQI_LEVELS.map((l, i) => ({ level: l, from: i === 0 ? 0 : AQI_LEVELS[i - 1]!.max, to: Math.min(l.max, SCALE_TOP) }))
    .filter(b => b.from < top)
  // Always a second axis, hidden when narrow: a merged setOption would keep one that disappeared.
  const levelNamesAxis = bandNameAxis({ mids: bands.map(b => (b.from + b.to) / 2), names: bands.map(b => levelNames[b.level.level - 1] ?? b.level.zh), top, plotRem: plot }, rem)
  const showNames = size.width >= NAMES_MIN_WIDTH_REM
  const right = showNames ? levelNamesAxis.rightRem : GRID.right
  const ticks = cityTicks(end - WINDOW_MS, end, hoursPerTick(size.width - GRID.left - right) * HOUR_MS)
  return {
    animation: false,
    grid: { left: GRID.left * rem, right: right * rem, top: GRID.top * rem, bottom: GRID.bottom * rem },
    tooltip: { trigger: 'axis', renderMode: 'richText', textStyle: { fontSize: axisFont } },
    xAxis: clockAxis(end - WINDOW_MS, end, ticks, axisFont, clock),
    yAxis: [
      {
        type: 'value',
        min: 0,
        max: top,
        // Ticks on the level boundaries: 50, 100, 150, 200, 300…
        axisLabel: { color: AXIS_COLOR, fontSize: axisFont, customValues: spacedTicks([0, ...bands.map(b => b.to)], top, plot) },
        axisTick: { show: false },
        splitLine: { show: false },
      },
      { ...levelNamesAxis.axis, show: showNames },
    ],
    visualMap: {
      show: false,
      dimension: 1,
      pieces: AQI_LEVELS.map((l, i) => ({
        gt: i === 0 ? -1 : AQI_LEVELS[i - 1]!.max,
        ...(Number.isFinite(l.max) ? { lte: l.max } : {}),
        color: l.color,
      })),
    },
    series: [{
      id: 'aqi',
      type: 'line',
      name: 'AQI',
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: 0.22 * rem },
      data,
      markArea: {
        silent: true,
        label: { show: false },
        data: bands.map(b => [
          { yAxis: b.from, itemStyle: { color: withAlpha(b.level.color, 0.1) } },
          { yAxis: b.to },
        ]),
      },
    }],
  }
}
