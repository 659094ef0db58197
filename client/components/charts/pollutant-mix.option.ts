import { aqiLevel } from '@shared/air/levels'
import { POLLUTANT_INFO } from '@shared/air/pollutants'
import type { AqiResult, Pollutant } from '@shared/schemas/air'
import { POLLUTANTS } from '@shared/schemas/air'
import type { ChartOption } from '@client/composables/useEChart'
import { AXIS_FONT_REM, LABEL_FONT_REM, TEXT_COLOR } from './wall-chart-style'

/** IAQI above this is 超标 (HJ 633: the pollutant exceeds its grade II limit). */
export const EXCEEDING_IAQI = 100
const PRIMARY_COLOR = '#ffb020'
/** One bar's row in rem: its label at 0.95rem and a little air. */
export const MIX_ROW_REM = 1.35

export interface PollutantBar {
  pollutant: Pollutant
  label: string
  iaqi: number
  color: string
  primary: boolean
}

/**
 * The rated pollutants' IAQI, largest first (ties in the standard's order),
 * each in its level's colour; unrated ones are left out. A short panel shows
 * the first few: those that make the AQI.
 */
export function pollutantBars(aqi: AqiResult): PollutantBar[] {
  return POLLUTANTS.flatMap((p) => {
    const iaqi = aqi.iaqi[p]
    return iaqi === undefined ? [] : [{ pollutant: p, label: POLLUTANT_INFO[p].label, iaqi, color: aqiLevel(iaqi).color, primary: aqi.primary.includes(p) }]
  }).sort((a, b) => b.iaqi - a.iaqi)
}

export interface PollutantMixInput {
  bars: readonly PollutantBar[]
  /** The mark of the primary pollutant (首要), in the locale shown. */
  names: { primary: string }
  rem: number
}

/**
 * The city's pollutant mix now: each pollutant's IAQI as a bar in its HJ 633
 * level colour with its value written beside it (no value axis: the figures
 * are on the bars), the primary pollutant named, and a dashed line at IAQI
 * 100, beyond which a pollutant exceeds its limit.
 */
export function buildPollutantMixOption(input: PollutantMixInput): ChartOption {
  const { bars, names, rem } = input
  const high = Math.max(EXCEEDING_IAQI, ...bars.map(b => b.iaqi))
  // The primary pollutant is the highest bar, and its label carries the 首要 mark: room for it inside the axis.
  const top = Math.ceil((high * (bars.some(b => b.primary) ? 1.45 : 1.2)) / 50) * 50
  return {
    animation: false,
    grid: { left: 4.4 * rem, right: 0.4 * rem, top: 0.1 * rem, bottom: 0.1 * rem },
    xAxis: { type: 'value', min: 0, max: top, show: false },
    yAxis: {
      type: 'category',
      inverse: true,
      data: bars.map(b => b.label),
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: {
        interval: 0,
        fontSize: LABEL_FONT_REM * rem,
        color: TEXT_COLOR,
        formatter: (label: string) => (bars.find(b => b.label === label)?.primary ? `{primary|${label}}` : label),
        rich: { primary: { color: PRIMARY_COLOR, fontWeight: 'bold', fontSize: LABEL_FONT_REM * rem } },
      },
    },
    series: [{
      id: 'iaqi',
      type: 'bar',
      barWidth: '60%',
      data: bars.map(b => ({ value: b.iaqi, itemStyle: { color: b.color, borderRadius: [0, 0.2 * rem, 0.2 * rem, 0] } })),
      label: {
        show: true,
        position: 'right',
        color: TEXT_COLOR,
        fontSize: AXIS_FONT_REM * rem,
        formatter: ({ dataIndex }: { dataIndex: number }) => {
          const bar = bars[dataIndex]
          return bar ? `${bar.iaqi}${bar.primary ? ` ${names.primary}` : ''}` : ''
        },
      },
      markLine: {
        silent: true,
        symbol: 'none',
        lineStyle: { color: 'rgba(255, 126, 0, 0.75)', type: 'dashed' },
        label: { show: false },
        data: [{ xAxis: EXCEEDING_IAQI }],
      },
    }],
  }
}
