import type { XAXisComponentOption, YAXisComponentOption } from 'echarts'

/** Colours and sizes every wall chart shares: legible from 5 m on the dark theme. */
export const AXIS_COLOR = '#8aa4c4'
export const TEXT_COLOR = '#e6f1ff'
export const GRID_COLOR = 'rgba(138, 164, 196, 0.15)'
/** Axis and legend text, in rem: the wall's floor for chart text is 0.8rem. */
export const AXIS_FONT_REM = 0.85
export const LABEL_FONT_REM = 0.95

/**
 * Better and worse than a day ago: blue and orange, the pair most colour-blind
 * viewers still tell apart (never red against green alone); an arrow and a
 * sign always come with the colour.
 */
export const TONE_COLORS = { better: '#4cc3ff', worse: '#ff9f1a', neutral: '#c3d4ea' } as const
export type Tone = keyof typeof TONE_COLORS

const CHINA_OFFSET_MS = 8 * 3_600_000

/**
 * Instants of the city's clock (UTC+8 all year) every `every` ms within
 * [from, to]: ECharts would place time ticks by the browser's time zone,
 * which a wall PC may not share.
 */
export function cityTicks(from: number, to: number, every: number): number[] {
  const ticks: number[] = []
  for (let t = Math.ceil((from + CHINA_OFFSET_MS) / every) * every - CHINA_OFFSET_MS; t <= to; t += every)
    ticks.push(t)
  return ticks
}

/** hh:mm on the city's clock. */
export function cityClock(timeZone = 'Asia/Shanghai'): (t: number) => string {
  const format = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone })
  return t => format.format(t)
}

/**
 * A time axis over [min, max] labelled at `ticks` (instants of the city's
 * clock, see cityTicks) with `label`, by default hh:mm; no grid lines.
 */
export function clockAxis(min: number, max: number, ticks: number[], fontSize: number, label: (t: number) => string = cityClock()): XAXisComponentOption {
  return {
    type: 'time',
    min,
    max,
    axisLabel: { color: AXIS_COLOR, fontSize, customValues: ticks, formatter: (v: number) => label(v) },
    axisTick: { show: false, customValues: ticks },
    axisLine: { lineStyle: { color: GRID_COLOR } },
    splitLine: { show: false },
  }
}

/** A colour at some opacity, from #rrggbb. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
}

/**
 * Every how many hours a 24-hour time axis can be labelled in a chart this
 * wide (rem): an "hh:mm" label takes about 3rem with its gap.
 */
export function hoursPerTick(widthRem: number): number {
  if (widthRem >= 30)
    return 3
  if (widthRem >= 20)
    return 4
  return widthRem >= 14 ? 6 : 12
}

/**
 * The values (ascending) that can be labelled on a value axis `plotRem` tall
 * from 0 to `top` with at least `gapRem` between labels: greedily from the
 * bottom, always keeping 0.
 */
export function spacedTicks(values: readonly number[], top: number, plotRem: number, gapRem = 1.2): number[] {
  const kept: number[] = []
  for (const v of [...values].sort((a, b) => a - b)) {
    const last = kept.at(-1)
    if (last === undefined || ((v - last) / top) * plotRem >= gapRem)
      kept.push(v)
  }
  return kept
}

/** About how wide (rem) a label is at a font size (rem): CJK characters are square, Latin ones about half as wide. */
export function textWidthRem(text: string, fontRem: number): number {
  let em = 0
  for (const ch of text)
    em += (ch.codePointAt(0) ?? 0) >= 0x2E80 ? 1 : 0.6
  return em * fontRem
}

export interface BandNames {
  /** The bands' middles, on the value axis. */
  mids: number[]
  names: string[]
  top: number
  /** The plot's height in rem. */
  plotRem: number
}

/**
 * A second value axis on the right that names the standard's bands at their
 * middles (outside the plot, where no line crosses them), as many as fit one
 * above the other; the grid's right margin it needs, in rem.
 */
export function bandNameAxis(bands: BandNames, rem: number): { axis: YAXisComponentOption, rightRem: number } {
  const byMid = new Map(bands.mids.map((m, i) => [m, bands.names[i] ?? '']))
  const shown = spacedTicks(bands.mids, bands.top, bands.plotRem, 1.1)
  const rightRem = Math.max(...shown.map(m => textWidthRem(byMid.get(m) ?? '', AXIS_FONT_REM)), 0) + 0.8
  return {
    rightRem,
    axis: {
      type: 'value',
      position: 'right',
      min: 0,
      max: bands.top,
      axisLine: { show: false },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: { color: AXIS_COLOR, fontSize: AXIS_FONT_REM * rem, margin: 0.4 * rem, customValues: shown, formatter: (v: number) => byMid.get(v) ?? '' },
    },
  }
}
