import { buildDayLineOption, gappedLine } from '@client/components/charts/trend-sparkline.option'
import type { TrendSparklineStyle } from '@client/components/charts/trend-sparkline.option'
import type { ChartOption } from '@client/composables/useEChart'
import type { HistoryPoint } from '@shared/schemas/history'
import { HISTORY_STEP_MIN, HISTORY_WINDOW_MS } from './detail'

/** [t, mean] pairs, rounded to `digits`, with a null where the history has a gap. */
export const historySeries = (rows: readonly HistoryPoint[], digits: number): [number, number | null][] =>
  gappedLine(rows, row => Date.parse(row.t), row => row.mean, HISTORY_STEP_MIN * 60_000, digits)

/** Colour, size, the end of the day shown (the server's clock) and the values' decimals, as a trend sparkline's. */
export type DetailChartStyle = TrendSparklineStyle

/** The last 24 hours of one entity's metric: a line with the city's clock every 6 hours. */
export function buildDetailChartOption(rows: readonly HistoryPoint[], style: DetailChartStyle, timeZone = 'Asia/Shanghai'): ChartOption {
  return buildDayLineOption(historySeries(rows, style.digits), { ...style, windowMs: HISTORY_WINDOW_MS }, timeZone)
}
