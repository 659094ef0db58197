import type { AlertDomain } from '@shared/schemas/alerts'
import type { ScenarioKind } from '@shared/schemas/scenarios'

/**
 * Which drill, if any, an alert belongs to, decided once, when it is raised.
 *
 * A duty officer must never take a real emergency for a rehearsal, so the
 * rule marks an alert as a drill's only on that drill's own evidence, and
 * leaves it real whenever in doubt:
 *
 * - 12345 deadlines (the entity is an order): the order's own mark, whenever
 *   it fires (a drill order can go overdue days after the drill).
 * - other 12345 alerts (clusters `topic@town`, a town's intake): while the
 *   drill runs or just after, when at least half the calls behind it (that
 *   town, that topic, the last hour) are that drill's.
 * - telemetry (air, traffic, halls, cross-department): while the drill runs
 *   or just after, in one of its towns, and only in a domain its scenario
 *   acts on (a smell moves the air, not the halls). City-wide alerts stay real.
 * - feeds: during a feed-outage drill, the simulator's silence and that of
 *   the stations it feeds (it stops one kind of record city-wide).
 */

/** A drill's scenario keeps acting while its effects ramp out; alerts then are still its. */
export const DRILL_AFTERMATH_MS = 30 * 60_000
/** 12345 alerts weigh the calls of this last stretch. */
const EVIDENCE_WINDOW_MS = 60 * 60_000

/** The domains each scenario moves. */
export const SCENARIO_DOMAINS: Readonly<Record<ScenarioKind, readonly AlertDomain[]>> = {
  'heavy-rain': ['traffic', 'halls', 'hotline', 'cross'],
  'chemical-smell': ['air', 'hotline', 'cross'],
  'water-main-break': ['traffic', 'hotline', 'cross'],
  'traffic-accident': ['traffic', 'hotline', 'cross'],
  'hall-outage': ['halls', 'hotline', 'cross'],
  'air-episode': ['air', 'hotline', 'cross'],
  'feed-outage': ['feeds'],
}

/** A running (or just ended) drill as the rule sees it; times epoch ms. */
export interface DrillWindow {
  id: string
  kind: ScenarioKind
  townCodes: readonly string[]
  startsAt: number
  endsAt: number
}

/** The alert being raised. */
export interface RaisedAlert {
  entityId: string
  domain: AlertDomain
  townCode: string | null
  at: number
}

/** A 12345 call as the rule weighs it. */
export interface CallEvidence {
  id: string
  townCode: string | null
  topic: string
  reportedAt: number
  drillId?: string
}

export interface MarkingEvidence {
  drills: readonly DrillWindow[]
  /** The call an order-level alert is about. */
  call: (id: string) => CallEvidence | undefined
  /** Recent calls (at least the last hour's). */
  recentCalls: readonly CallEvidence[]
  /** The simulator's feed id: a feed-outage silences it. */
  simulatorFeed: string
}

const during = (d: DrillWindow, t: number): boolean => t >= d.startsAt && t < d.endsAt + DRILL_AFTERMATH_MS

function hotlineDrill(alert: RaisedAlert, ev: MarkingEvidence): string | undefined {
  const call = ev.call(alert.entityId)
  if (call)
    return call.drillId
  const at = alert.entityId.indexOf('@')
  const topic = at > 0 ? alert.entityId.slice(0, at) : undefined
  const town = alert.townCode
  if (town === null)
    return undefined
  const behind = ev.recentCalls.filter(c => c.townCode === town && (topic === undefined || c.topic === topic) && c.reportedAt > alert.at - EVIDENCE_WINDOW_MS && c.reportedAt <= alert.at)
  for (const d of ev.drills) {
    if (!during(d, alert.at))
      continue
    const ours = behind.filter(c => c.drillId === d.id).length
    if (ours > 0 && ours * 2 >= behind.length)
      return d.id
  }
  return undefined
}

/** The drill the alert is part of, or undefined for a real alert. */
export function drillOfAlert(alert: RaisedAlert, ev: MarkingEvidence): string | undefined {
  if (alert.domain === 'hotline')
    return hotlineDrill(alert, ev)
  for (const d of ev.drills) {
    if (!during(d, alert.at) || !SCENARIO_DOMAINS[d.kind].includes(alert.domain))
      continue
    if (alert.domain === 'feeds' ? alert.entityId === ev.simulatorFeed || alert.townCode !== null : alert.townCode !== null && d.townCodes.includes(alert.townCode))
      return d.id
  }
  return undefined
}
