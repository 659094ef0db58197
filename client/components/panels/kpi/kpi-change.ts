import type { Tone } from '@client/components/charts/wall-chart-style'

/** Which way a figure gets better: fewer people waiting is better, more 好评 is better; intake is neither. */
export type Better = 'lower' | 'higher' | 'neither'

/** A figure against its past value, as the wall writes it: arrow, signed amount and what the change means. */
export interface KpiChange {
  arrow: '▲' | '▼' | '＝'
  /** The amount with its sign ("+12", "−0.3", "0"), to the figure's digits. */
  text: string
  tone: Tone
}

/**
 * The change from `before` to `value`, rounded as the figure is shown (a
 * change that rounds to nothing is no change); null when either is unknown:
 * the wall never makes up a comparison. `scale` turns ratios into percent
 * (the change is then in percentage points).
 */
export function kpiChange(value: number | null, before: number | null, better: Better, digits: number, scale = 1): KpiChange | null {
  if (value === null || before === null)
    return null
  const factor = 10 ** digits
  const delta = Math.round((value - before) * scale * factor) / factor
  if (delta === 0)
    return { arrow: '＝', text: (0).toFixed(digits), tone: 'neutral' }
  const up = delta > 0
  const tone: Tone = better === 'neither' ? 'neutral' : (up === (better === 'higher') ? 'better' : 'worse')
  // U+2212: a real minus sign, as wide as the plus, reads better than a hyphen at a distance.
  return { arrow: up ? '▲' : '▼', text: `${up ? '+' : '−'}${Math.abs(delta).toFixed(digits)}`, tone }
}
