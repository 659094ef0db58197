import type { AlertDomain, AlertSilence } from '@shared/schemas/alert-rules'

export interface SilenceTarget {
  ruleId: string
  entityId: string
  townCode: string | null
  domain: AlertDomain
}

export function silenceActive(s: AlertSilence, now: number): boolean {
  return Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt)
}

export function silenceMatches(s: AlertSilence, target: SilenceTarget): boolean {
  const m = s.matchers
  return (m.ruleId === undefined || m.ruleId === target.ruleId)
    && (m.entityId === undefined || m.entityId === target.entityId)
    && (m.townCode === undefined || m.townCode === target.townCode)
    && (m.domain === undefined || m.domain === target.domain)
}

/** Ids of the silences and maintenance windows muting this alert now (empty: notify). */
export function mutedBy(silences: readonly AlertSilence[], target: SilenceTarget, now: number): string[] {
  const ids: string[] = []
  for (const s of silences) {
    if (silenceActive(s, now) && silenceMatches(s, target))
      ids.push(s.id)
  }
  return ids
}
