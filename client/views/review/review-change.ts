import type { Compared } from '@shared/schemas/review'
import { change } from '@shared/schemas/review'
import type { Tone } from '@client/components/charts/wall-chart-style'

/**
 * Which way a measure should move: AQI, TPI, waits, overdue orders, returns
 * and reopens are better lower; rates of good things better higher; counts
 * of demand (visitors, requests) are neither.
 */
export type Polarity = 'higher-better' | 'lower-better' | 'neutral'

export interface ChangeView {
  /** ▲ up, ▼ down, ＝ unchanged, '' when there is nothing to compare. */
  arrow: '▲' | '▼' | '＝' | ''
  tone: Tone
  delta: number | null
  ratio: number | null
}

/** The change of a measure against the previous period, with its arrow and whether it is better or worse. */
export function changeView(m: Compared, polarity: Polarity): ChangeView {
  const { delta, ratio } = change(m)
  if (delta === null)
    return { arrow: '', tone: 'neutral', delta, ratio }
  if (delta === 0)
    return { arrow: '＝', tone: 'neutral', delta, ratio }
  const up = delta > 0
  const tone: Tone = polarity === 'neutral' ? 'neutral' : (up === (polarity === 'higher-better') ? 'better' : 'worse')
  return { arrow: up ? '▲' : '▼', tone, delta, ratio }
}

/** A signed figure: "+3.2", "−1.0" (a true minus), "0.0". */
export function signed(value: number, digits: number): string {
  const text = Math.abs(value).toFixed(digits)
  if (Number(text) === 0)
    return text
  return `${value > 0 ? '+' : '−'}${text}`
}

/** A figure with a fixed number of decimals, "—" for nothing measured. */
export function figure(value: number | null, digits: number): string {
  return value === null ? '—' : value.toFixed(digits)
}

/** A share 0–1 as a percentage with one decimal, "—" for nothing measured. */
export function percent(value: number | null): string {
  return value === null ? '—' : `${(Math.round(value * 1000) / 10).toFixed(1)}%`
}
