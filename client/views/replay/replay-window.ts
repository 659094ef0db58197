import type { ReplayFrame } from '@shared/schemas/replay'
import { REPLAY_MAX_SPAN_MS, REPLAY_STEP_MS } from '@shared/schemas/replay'

/** China has kept UTC+8 all year since 1991: the city's wall time is a fixed offset. */
const CITY_OFFSET_MS = 8 * 3_600_000
const HOUR_MS = 3_600_000

/** The replay offered first: the last whole hour of minutes before the server's clock. */
export function defaultWindow(serverNow: number): { from: number, to: number } {
  const to = Math.floor(serverNow / REPLAY_STEP_MS) * REPLAY_STEP_MS
  return { from: to - HOUR_MS, to }
}

/** An instant as a datetime-local input shows it, in the city's time. */
export function toCityInput(at: number): string {
  return new Date(at + CITY_OFFSET_MS).toISOString().slice(0, 16)
}

/** A datetime-local input's value, read as the city's time; null when it is not one. */
export function fromCityInput(value: string): number | null {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(value))
    return null
  const t = Date.parse(`${value}:00+08:00`)
  return Number.isNaN(t) ? null : t
}

/** Why a window cannot be asked for, or null when it can (the server checks the history's reach). */
export function windowProblem(from: number | null, to: number | null): 'invalid' | 'order' | 'span' | null {
  if (from === null || to === null)
    return 'invalid'
  if (from >= to)
    return 'order'
  return to - from > REPLAY_MAX_SPAN_MS ? 'span' : null
}

export interface TimelineMark { at: number, kind: 'alert' | 'incident' }

/** Where alerts and work orders changed: marks on the timeline, alerts over incidents at one instant. */
export function timelineMarks(frames: readonly ReplayFrame[]): TimelineMark[] {
  const marks = new Map<number, TimelineMark['kind']>()
  for (const f of frames) {
    const at = Date.parse(f.at)
    if (f.stream === 'alerts')
      marks.set(at, 'alert')
    else if (f.stream === 'incidents' && !marks.has(at))
      marks.set(at, 'incident')
  }
  return [...marks.entries()].map(([at, kind]) => ({ at, kind }))
}

/** A position on the timeline, 0–1. */
export const share = (at: number, from: number, to: number): number => (to > from ? Math.min(1, Math.max(0, (at - from) / (to - from))) : 0)
