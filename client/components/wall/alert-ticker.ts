import type { AlertSeverity } from '@shared/schemas/alerts'

/**
 * Each severity's colour and shape: the shape and the word say it without
 * the colour (colour-blind viewers, a washed-out projector).
 */
export const SEVERITY_LOOK: Readonly<Record<AlertSeverity, { color: string, ink: string, icon: string }>> = {
  critical: { color: '#ff4d4f', ink: '#ffffff', icon: '◆' },
  major: { color: '#ff7a45', ink: '#1a0800', icon: '▲' },
  warning: { color: '#ffb020', ink: '#1a1200', icon: '●' },
  info: { color: '#3fb6ff', ink: '#001a2a', icon: '■' },
}

/** The ticker moves at this many rem a second: slow enough to read a title going by from 5 m. */
export const TICKER_REM_PER_S = 3

/**
 * The seconds one pass of the ticker takes: its content's width at the
 * ticker's pace. Null when the content fits the strip: then it stands still.
 */
export function tickerSeconds(contentPx: number, viewportPx: number, remPx: number): number | null {
  if (contentPx <= viewportPx || remPx <= 0)
    return null
  return Math.round((contentPx / remPx / TICKER_REM_PER_S) * 10) / 10
}

/** One alert as the ticker shows it. */
export interface TickerItem {
  id: string
  severity: AlertSeverity
  look: (typeof SEVERITY_LOOK)[AlertSeverity]
  title: string
  town: string | null
  /** hh:mm of its raising. */
  raised: string
  acknowledged: boolean
  /** Who acknowledged it; null while unacknowledged (or when the server did not say). */
  acknowledgedBy: string | null
  /** A silence matches it: it shows, it does not sound. */
  muted: boolean
  /** Left unacknowledged long enough to be escalated. */
  escalated: boolean
  /** Raised by a drill's data (演练). */
  drill: boolean
}
