import { AQI_LEVELS, levelInfo } from '@shared/air/levels'
import type { DailyAqiPoint } from '@shared/schemas/review'
import type { ChartOption } from '@client/composables/useEChart'
import { aqiAxisTop } from './aqi-day.option'
import { AXIS_COLOR, AXIS_FONT_REM, cityTicks, clockAxis, GRID_COLOR, TEXT_COLOR, withAlpha } from './wall-chart-style'

const HOUR_MS = 3_600_000
/** An invalid day (too few hours for the daily report): drawn grey and dashed, named above its bar. */
export const INVALID_COLOR = 'rgba(138, 164, 196, 0.35)'
/** 优良's upper bound (AQI 100): the line a leader reads each day against. */
const GOOD_LIMIT = 100

export interface ReviewAqiInput {
  days: readonly DailyAqiPoint[]
  /** Hourly AQI, used when the period is one day. */
  hours: readonly { t: string, aqi: number | null }[]
  /** The period's bounds (instants), the hourly line's axis. */
  fromAt: string
  toAt: string
  /** Written above an invalid day's bar. */
  invalidLabel: string
  rem: number
}

/** "11-27" from "2026-11-27": the axis of a period within a year says month and day. */
export const monthDay = (day: string): string => day.slice(5)

/** Hourly when the period is one day and hours were measured; daily bars otherwise. */
export const aqiIsHourly = (input: Pick<ReviewAqiInput, 'days' | 'hours'>): boolean => input.days.length <= 1 && input.hours.some(h => h.aqi !== null)

/**
 * The period's AQI: one bar per day in the colour of its HJ 633 level
 * (invalid days grey, dashed and labelled), or over a single day the hourly
 * line coloured by level; a dashed line at 100, the top of 良.
 */
export function buildReviewAqiOption(input: ReviewAqiInput): ChartOption {
  const { rem } = input
  const axisFont = AXIS_FONT_REM * rem
  const grid = { left: 2.8 * rem, right: 1.2 * rem, top: 1.4 * rem, bottom: 1.8 * rem }
  const goodLine = {
    silent: true,
    symbol: 'none',
    lineStyle: { color: withAlpha('#FFFF00', 0.55), type: 'dashed' as const, width: 1 },
    label: { color: AXIS_COLOR, fontSize: axisFont, position: 'insideEndTop' as const, formatter: `${GOOD_LIMIT}` },
    data: [{ yAxis: GOOD_LIMIT }],
  }
  if (aqiIsHourly(input)) {
    const [from, to] = [Date.parse(input.fromAt), Date.parse(input.toAt)]
    const data = input.hours.map(h => [Date.parse(h.t), h.aqi] as [number, number | null])
    return {
      animation: false,
      grid,
      tooltip: { trigger: 'axis', renderMode: 'richText', textStyle: { fontSize: axisFont } },
      xAxis: clockAxis(from, to, cityTicks(from, to, 3 * HOUR_MS), axisFont),
      yAxis: { type: 'value', min: 0, max: aqiAxisTop(data.map(d => d[1])), axisLabel: { color: AXIS_COLOR, fontSize: axisFont }, splitLine: { lineStyle: { color: GRID_COLOR } } },
      visualMap: {
        show: false,
        dimension: 1,
        pieces: AQI_LEVELS.map((l, i) => ({ gt: i === 0 ? -1 : AQI_LEVELS[i - 1]!.max, ...(Number.isFinite(l.max) ? { lte: l.max } : {}), color: l.color })),
      },
      // At most 24 points: each hour marked, so a lone hour between gaps still shows.
      series: [{ id: 'aqi-hours', type: 'line', name: 'AQI', showSymbol: true, symbolSize: 0.45 * rem, connectNulls: false, lineStyle: { width: 0.2 * rem }, data, markLine: goodLine }],
    }
  }
  return {
    animation: false,
    grid,
    tooltip: { trigger: 'axis', renderMode: 'richText', textStyle: { fontSize: axisFont } },
    xAxis: {
      type: 'category',
      data: input.days.map(d => monthDay(d.day)),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: GRID_COLOR } },
      axisLabel: { color: AXIS_COLOR, fontSize: axisFont },
    },
    yAxis: { type: 'value', min: 0, max: aqiAxisTop(input.days.map(d => d.aqi)), axisLabel: { color: AXIS_COLOR, fontSize: axisFont }, splitLine: { lineStyle: { color: GRID_COLOR } } },
    series: [{
      id: 'aqi-days',
      type: 'bar',
      name: 'AQI',
      barMaxWidth: 2.2 * rem,
      data: input.days.map(d => ({
        value: d.aqi,
        itemStyle: d.valid && d.level !== null
          ? { color: levelInfo(d.level).color }
          : { color: INVALID_COLOR, borderColor: AXIS_COLOR, borderType: 'dashed' as const, borderWidth: 1 },
        label: d.valid
          ? { show: input.days.length <= 31, position: 'top' as const, color: TEXT_COLOR, fontSize: axisFont, formatter: `${d.aqi ?? ''}` }
          : { show: true, position: 'top' as const, color: AXIS_COLOR, fontSize: axisFont, formatter: input.invalidLabel },
      })),
      markLine: goodLine,
    }],
  }
}
