import type { ChartOption } from '@client/composables/useEChart'
import { AXIS_COLOR, AXIS_FONT_REM, GRID_COLOR, LABEL_FONT_REM, TEXT_COLOR } from './wall-chart-style'

/** One bar of a ranking: what it is, its figure, its colour and an optional word after the figure (a state, a share). */
export interface RankedBar {
  id: string
  name: string
  value: number
  color: string
  /** Said after the figure, in `noteColor`: the state the colour shows, so colour is never the only sign. */
  note?: string
  noteColor?: string
  /** Said after the note, dimmed (a per-window figure, a share). */
  detail?: string
}

export interface RankedBarsInput {
  bars: readonly RankedBar[]
  /** The unit after each figure ("人", "件"); may be empty. */
  unit: string
  rem: number
  /** Widths of the name and figure columns, in rem (names longer than theirs end in "…"). */
  nameRem: number
  figureRem: number
}

/**
 * A ranking as horizontal bars, largest first: names on the left, the figure,
 * its unit and a note in a column on the right. The value axis starts at 0
 * and its scale is the largest bar's, so bars compare honestly; it has no
 * labels (the figures are written out).
 */
export function buildRankedBarsOption(input: RankedBarsInput): ChartOption {
  const { bars, unit, rem, nameRem, figureRem } = input
  const axisFont = AXIS_FONT_REM * rem
  const labelFont = LABEL_FONT_REM * rem
  const names = bars.map(b => b.name)
  const figure = (i: number): string => {
    const bar = bars[i]
    if (!bar)
      return ''
    const note = bar.note ? `  {note${i}|${bar.note}}` : ''
    const detail = bar.detail ? `  {detail|${bar.detail}}` : ''
    return `{value|${bar.value}}{unit|${unit ? ` ${unit}` : ''}}${note}${detail}`
  }
  const noteStyles = Object.fromEntries(bars.map((b, i) => [`note${i}`, { color: b.noteColor ?? TEXT_COLOR, fontSize: axisFont, fontWeight: 'bold' as const }]))
  return {
    animation: false,
    grid: { left: nameRem * rem, right: figureRem * rem, top: 0.3 * rem, bottom: 0.3 * rem },
    xAxis: { type: 'value', min: 0, show: false, splitLine: { show: false } },
    yAxis: [
      {
        type: 'category',
        inverse: true,
        data: names,
        axisTick: { show: false },
        axisLine: { lineStyle: { color: GRID_COLOR } },
        // Every name, always: a bar without its name says nothing (panels size their rows to fit).
        axisLabel: { color: TEXT_COLOR, fontSize: labelFont, width: (nameRem - 0.8) * rem, overflow: 'truncate', margin: 0.6 * rem, interval: 0 },
      },
      {
        type: 'category',
        inverse: true,
        position: 'right',
        data: names,
        axisTick: { show: false },
        axisLine: { show: false },
        axisLabel: {
          interval: 0,
          align: 'left',
          margin: 0.6 * rem,
          formatter: (_: string, i: number) => figure(i),
          rich: {
            value: { color: TEXT_COLOR, fontSize: labelFont, fontWeight: 'bold' },
            unit: { color: AXIS_COLOR, fontSize: axisFont },
            detail: { color: AXIS_COLOR, fontSize: axisFont },
            ...noteStyles,
          },
        },
      },
    ],
    series: [{
      id: 'ranking',
      type: 'bar',
      barMaxWidth: 1.1 * rem,
      barCategoryGap: '35%',
      data: bars.map(b => ({ value: b.value, itemStyle: { color: b.color, borderRadius: [0, 0.2 * rem, 0.2 * rem, 0] } })),
    }],
  }
}
