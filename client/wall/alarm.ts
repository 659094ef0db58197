import type { Alert } from '@shared/schemas/alerts'
import type { KeyFacts } from './wall-keys'

/**
 * When the wall sounds (issue 7 §4), as pure rules: no timers, no audio;
 * every call says when it is (`now`, ms, the wall's clock — only intervals
 * between the wall's own calls are measured, never the server's times).
 *
 * - A critical alert that is firing (not acknowledged, not muted by a
 *   silence) sounds at once and again every `repeatMs` until it is
 *   acknowledged, resolved or muted. Several such alerts share one
 *   repeating alarm: a new one sounds at once, and the repeat keeps its pace.
 * - The first snapshot's critical firing alerts sound too: an operator who
 *   reloads the wall (or a wall restarted at night) must still hear an
 *   alert nobody acknowledged. Unlike the takeover, which only news takes.
 * - A major alert raised while the wall is open chimes once, short; those
 *   of the first snapshot do not (they are known, and never repeat anyway).
 * - Not audible (muted by the operator, or the browser holds the sound
 *   until a gesture): nothing is sounded and critical alerts stay owed, so
 *   they sound the moment the wall can; majors seen meanwhile are let go.
 */

export type ChimeKind = 'critical' | 'major'

/** How often a critical alert sounds again while it fires; the wall's address may shorten it (`?alarmRepeatS=`). */
export const ALARM_REPEAT_MS = 30_000
export const ALARM_REPEAT_MIN_MS = 1_000

const sounding = (a: Alert): boolean => a.status === 'firing' && !a.muted

export class AlarmWatch {
  /** Major alerts already dealt with (chimed, or known from the first snapshot); null until the first snapshot. */
  private majorsSeen: Set<string> | null = null
  /** The critical alerts the alarm has sounded for and still sounds for. */
  private readonly criticalsSounded = new Set<string>()
  private lastCriticalAt = Number.NEGATIVE_INFINITY
  private alerts: readonly Alert[] = []

  constructor(private repeatMs: number = ALARM_REPEAT_MS) {}

  /** The alerts still to be dealt with, as the stream holds them now; the first call is the first snapshot. */
  observe(alerts: readonly Alert[]): void {
    this.alerts = alerts
    if (this.majorsSeen === null)
      this.majorsSeen = new Set(alerts.filter(a => a.severity === 'major').map(a => a.id))
  }

  /**
   * What to play now, if anything: at most one chime per call, the critical
   * alarm before a major's chime. `audible`: the operator has not muted the
   * wall and the browser lets it play.
   */
  step(now: number, audible: boolean): ChimeKind | null {
    if (this.majorsSeen === null)
      return null
    const critical = this.alerts.filter(a => a.severity === 'critical' && sounding(a))
    const criticalIds = new Set(critical.map(a => a.id))
    // Acknowledged, resolved or muted: it no longer keeps the alarm going (and would sound afresh if it fired again).
    for (const id of this.criticalsSounded) {
      if (!criticalIds.has(id))
        this.criticalsSounded.delete(id)
    }
    const presentMajors = new Set<string>()
    const newMajors: string[] = []
    for (const a of this.alerts) {
      if (a.severity !== 'major')
        continue
      presentMajors.add(a.id)
      if (sounding(a) && !this.majorsSeen.has(a.id))
        newMajors.push(a.id)
    }
    // Alerts that left the stream are forgotten: a wall running for months stays small.
    for (const id of this.majorsSeen) {
      if (!presentMajors.has(id))
        this.majorsSeen.delete(id)
    }
    for (const id of newMajors)
      this.majorsSeen.add(id)

    if (!audible) {
      this.criticalsSounded.clear()
      this.lastCriticalAt = Number.NEGATIVE_INFINITY
      return null
    }
    if (critical.length > 0) {
      const fresh = critical.some(a => !this.criticalsSounded.has(a.id))
      if (fresh || now - this.lastCriticalAt >= this.repeatMs) {
        for (const id of criticalIds)
          this.criticalsSounded.add(id)
        this.lastCriticalAt = now
        return 'critical'
      }
      // The repeating alarm covers a major's chime too.
      return null
    }
    this.lastCriticalAt = Number.NEGATIVE_INFINITY
    return newMajors.length > 0 ? 'major' : null
  }
}

/** The repeat interval the wall's address asks for (`?alarmRepeatS=5`), within reason; the default otherwise. */
export function alarmRepeatMsFrom(query: URLSearchParams): number {
  const raw = query.get('alarmRepeatS')
  const s = raw === null ? Number.NaN : Number(raw)
  return Number.isFinite(s) && s > 0 ? Math.max(ALARM_REPEAT_MIN_MS, Math.round(s * 1000)) : ALARM_REPEAT_MS
}

/** Whether a key toggles the alarm (M): not while typing, not with a modifier (a browser or system shortcut). */
export function isAlarmKey(e: KeyFacts): boolean {
  if (e.ctrlKey || e.altKey || e.metaKey)
    return false
  const tag = (e.target?.tagName ?? '').toUpperCase()
  if (e.target && (e.target.isContentEditable || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT'))
    return false
  return e.key === 'm' || e.key === 'M'
}

/** The operator's choice on this browser: `on`, `off`, or none made (then the wall sounds: on by default). */
export const ALARM_STORAGE_KEY = 'ioc.wall.alarm'

export function alarmEnabledFrom(stored: string | null | undefined): boolean {
  return stored !== 'off'
}
