import type { ChartOption } from '@client/composables/useEChart'
import { AXIS_COLOR, cityClock, cityTicks, clockAxis, GRID_COLOR } from './wall-chart-style'
import type { TrendBucket } from '@client/stores/trend-series'
import { bucketMean, TREND_STEP_MS, TREND_WINDOW_MS } from '@client/stores/trend-series'

/** Points further apart than this many steps are a gap (no data came): the line breaks there. */
const GAP_STEPS = 3
const TICK_MS = 6 * 3_600_000

export interface TrendSparklineStyle {
  color: string
  rem: number
  /** The end of the 24-hour window (the server's clock); the axis shows the whole window. */
  end: number
  /** Decimals of the values: 0 for counts and AQI, 1 for TPI. */
  digits: number
}

/** [t, value] pairs rounded to `digits`, with a null where points are more than three steps apart, so a gap reads as one. */
export function gappedLine<P>(points: readonly P[], at: (p: P) => number, value: (p: P) => number, stepMs: number, digits: number): [number, number | null][] {
  const scale = 10 ** digits
  const data: [number, number | null][] = []
  let previous: number | undefined
  for (const p of points) {
    const t = at(p)
    if (previous !== undefined && t - previous > GAP_STEPS * stepMs)
      data.push([previous + stepMs, null])
    data.push([t, Math.round(value(p) * scale) / scale])
    previous = t
  }
  return data
}

/** The trend buckets' means as a line that breaks where the server or the feed was away. */
export const sparklineData = (points: readonly TrendBucket[], digits: number): [number, number | null][] =>
  gappedLine(points, p => p.t, bucketMean, TREND_STEP_MS, digits)

export interface DayLineStyle {
  color: string
  rem: number
  /** The end of the window (the server's clock); the axis shows the whole window. */
  end: number
  windowMs: number
}

/** A filled line on a time axis with the city's clock every 6 hours, and the value axis from 0. */
export function buildDayLineOption(data: [number, number | null][], style: DayLineStyle, timeZone = 'Asia/Shanghai'): ChartOption {
  const { color, rem, end, windowMs } = style
  const ticks = cityTicks(end - windowMs, end, TICK_MS)
  return {
    animation: false,
    grid: { left: 2.6 * rem, right: 0.8 * rem, top: 0.6 * rem, bottom: 1.5 * rem },
    xAxis: clockAxis(end - windowMs, end, ticks, 0.75 * rem, cityClock(timeZone)),
    yAxis: {
      type: 'value',
      min: 0,
      splitNumber: 2,
      axisLabel: { color: AXIS_COLOR, fontSize: 0.75 * rem },
      splitLine: { lineStyle: { color: GRID_COLOR } },
    },
    series: [{
      type: 'line',
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: 0.15 * rem, color },
      itemStyle: { color },
      areaStyle: {
        color: { type: 'linear', x: 0, y: 0, x2: 0, y2: 1, colorStops: [{ offset: 0, color: `${color}66` }, { offset: 1, color: `${color}05` }] },
      },
      data,
    }],
  }
}

/** A 24-hour sparkline of the trend buckets. */
export function buildTrendSparklineOption(points: readonly TrendBucket[], style: TrendSparklineStyle, timeZone = 'Asia/Shanghai'): ChartOption {
  return buildDayLineOption(sparklineData(points, style.digits), { ...style, windowMs: TREND_WINDOW_MS }, timeZone)
}
