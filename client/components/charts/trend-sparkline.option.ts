import type { ChartOption } from '@client/composables/useEChart'
import type { TrendBucket } from '@client/stores/trend-series'
import { bucketMean, TREND_STEP_MS, TREND_WINDOW_MS } from '@client/stores/trend-series'

const AXIS_COLOR = '#8aa4c4'
const GRID_COLOR = 'rgba(138, 164, 196, 0.15)'
/** Buckets further apart than this are a gap (the server or the feed was away): the line breaks there. */
const GAP_MS = 3 * TREND_STEP_MS
const HOUR_MS = 3_600_000
const TICK_MS = 6 * HOUR_MS
const CHINA_OFFSET_MS = 8 * HOUR_MS

export interface TrendSparklineStyle {
  color: string
  rem: number
  /** The end of the 24-hour window (the server's clock); the axis shows the whole window. */
  end: number
  /** Decimals of the values: 0 for counts and AQI, 1 for TPI. */
  digits: number
}

/** [t, mean] pairs with a null where buckets are too far apart, so a gap reads as one. */
export function sparklineData(points: readonly TrendBucket[], digits: number): [number, number | null][] {
  const scale = 10 ** digits
  const data: [number, number | null][] = []
  let previous: number | undefined
  for (const p of points) {
    if (previous !== undefined && p.t - previous > GAP_MS)
      data.push([previous + TREND_STEP_MS, null])
    data.push([p.t, Math.round(bucketMean(p) * scale) / scale])
    previous = p.t
  }
  return data
}

/**
 * Every 6 hours of the city's clock (00:00, 06:00, 12:00, 18:00 China time,
 * UTC+8 all year) within [from, to]: ECharts would place its ticks by the
 * browser's time zone, which a wall PC may not share.
 */
export function cityClockTicks(from: number, to: number): number[] {
  const ticks: number[] = []
  for (let t = Math.ceil((from + CHINA_OFFSET_MS) / TICK_MS) * TICK_MS - CHINA_OFFSET_MS; t <= to; t += TICK_MS)
    ticks.push(t)
  return ticks
}

/** A 24-hour sparkline: a filled line on a time axis with the city's clock every 6 hours, and the value axis from 0. */
export function buildTrendSparklineOption(points: readonly TrendBucket[], style: TrendSparklineStyle, timeZone = 'Asia/Shanghai'): ChartOption {
  const { color, rem, end, digits } = style
  const time = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone })
  const ticks = cityClockTicks(end - TREND_WINDOW_MS, end)
  return {
    animation: false,
    grid: { left: 2.6 * rem, right: 0.8 * rem, top: 0.6 * rem, bottom: 1.5 * rem },
    xAxis: {
      type: 'time',
      min: end - TREND_WINDOW_MS,
      max: end,
      axisLabel: { color: AXIS_COLOR, fontSize: 0.75 * rem, formatter: (v: number) => time.format(v), customValues: ticks },
      axisLine: { lineStyle: { color: GRID_COLOR } },
      axisTick: { show: false, customValues: ticks },
      splitLine: { show: false },
    },
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
      data: sparklineData(points, digits),
    }],
  }
}
