import { AQI_LEVELS } from '@shared/air/levels'
import type { CityAqiPoint } from '@shared/schemas/air'
import type { ChartOption } from '@client/composables/useEChart'

const AXIS_COLOR = '#8aa4c4'
const GRID_COLOR = 'rgba(138, 164, 196, 0.15)'

/** The city AQI trend: a line coloured by AQI level, with the 良/轻度 boundary marked. */
export function buildAqiTrendOption(points: readonly CityAqiPoint[], rem: number, timeZone = 'Asia/Shanghai'): ChartOption {
  const time = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone })
  const max = Math.max(150, ...points.map(p => p.aqi))
  return {
    animation: false,
    grid: { left: 3 * rem, right: 1.2 * rem, top: 1.2 * rem, bottom: 2 * rem },
    // Drawn on the canvas: an HTML tooltip carries inline styles the CSP refuses (style-src without 'unsafe-inline').
    tooltip: { trigger: 'axis', renderMode: 'richText', textStyle: { fontSize: 0.85 * rem } },
    xAxis: {
      type: 'time',
      splitNumber: 5,
      axisLabel: { color: AXIS_COLOR, fontSize: 0.75 * rem, formatter: (v: number) => time.format(v) },
      axisLine: { lineStyle: { color: GRID_COLOR } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: Math.ceil(max / 50) * 50,
      interval: 50,
      axisLabel: { color: AXIS_COLOR, fontSize: 0.75 * rem },
      splitLine: { lineStyle: { color: GRID_COLOR } },
    },
    visualMap: {
      show: false,
      dimension: 1,
      pieces: AQI_LEVELS.map((l, i) => ({ gt: i === 0 ? -1 : AQI_LEVELS[i - 1]?.max ?? 0, lte: l.max === Infinity ? 100_000 : l.max, color: l.color })),
    },
    series: [{
      type: 'line',
      name: 'AQI',
      showSymbol: false,
      lineStyle: { width: 0.2 * rem },
      data: points.map(p => [Date.parse(p.t), p.aqi]),
      markLine: {
        silent: true,
        symbol: 'none',
        label: { color: AXIS_COLOR, fontSize: 0.7 * rem, formatter: '100', position: 'insideEndTop' },
        lineStyle: { color: 'rgba(255, 126, 0, 0.6)', type: 'dashed' },
        data: [{ yAxis: 100 }],
      },
    }],
  }
}
