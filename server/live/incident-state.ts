import { localDate, localMidnight } from '@shared/calendar/working-days'
import { isOverdue } from '@shared/incidents/deadline'
import { mergeIncident } from '@shared/dispatch/handled'
import type { Incident, IncidentsSummary } from '@shared/schemas/incidents'

/** Closed incidents stay in the live view this long after they were reported, then only the store has them. */
export const CLOSED_KEPT_MS = 24 * 3_600_000
/** A snapshot lists at most this many incidents, newest first; the summary counts them all. */
export const SNAPSHOT_MAX_INCIDENTS = 500
/** Closures are remembered this long after their close time: long enough to count today's. */
const CLOSURES_KEPT_MS = 25 * 3_600_000

/** The summary and what the KPIs need beyond it. */
export interface IncidentCounts extends IncidentsSummary {
  /** Open incidents per department id. */
  byDepartment: Record<string, number>
  /** Closed since local midnight; the close time is the version of the closing report. */
  closedToday: number
  /** …of which closed no later than their deadline. */
  closedOnTimeToday: number
}

interface Closure { closedAt: number, onTime: boolean }

/**
 * The 12345 incidents the center is watching: every open one and those
 * closed within the last day, with counts by nature, topic and town.
 */
export class IncidentState {
  private readonly held = new Map<string, Incident>()
  /**
   * Kept apart from `held`: an incident reported days ago leaves the live view
   * as soon as it closes, yet its closure counts for today (and is the one
   * most likely to be late).
   */
  private readonly closures = new Map<string, Closure>()

  /** `now` is the clock incidents are judged by (the simulated one in a simulation). */
  constructor(private readonly now: () => number) {}

  restore(incidents: readonly Incident[]): void {
    this.apply(incidents)
  }

  /**
   * Takes the current versions of changed incidents: a newer report or a
   * newer work order (each is kept apart: a late report keeps the newer
   * order, and the reverse). Returns the incidents as now held, for those
   * that changed.
   */
  apply(incidents: readonly Incident[]): Incident[] {
    const changed: Incident[] = []
    for (const incident of incidents) {
      const held = this.held.get(incident.id)
      const merged = mergeIncident(held, incident)
      if (merged === held)
        continue
      this.held.set(incident.id, merged)
      this.noteClosure(merged)
      changed.push(merged)
    }
    this.forgetOldClosed()
    return changed
  }

  get(id: string): Incident | undefined {
    return this.held.get(id)
  }

  /** Newest report first. */
  list(limit: number = SNAPSHOT_MAX_INCIDENTS): Incident[] {
    return [...this.held.values()].sort((a, b) => (a.reportedAt < b.reportedAt ? 1 : a.reportedAt > b.reportedAt ? -1 : 0)).slice(0, limit)
  }

  summary(): IncidentsSummary {
    const { byDepartment: _d, closedToday: _c, closedOnTimeToday: _o, ...summary } = this.counts()
    return summary
  }

  counts(): IncidentCounts {
    const now = this.now()
    const midnight = localMidnight(localDate(now))
    const counts: IncidentCounts = { open: 0, overdue: 0, intakeToday: 0, byNature: {}, byTopic: {}, byTown: {}, byDepartment: {}, closedToday: 0, closedOnTimeToday: 0 }
    for (const incident of this.held.values()) {
      // A drill's calls are held and shown (marked 演练), but they are not the city's figures.
      if (incident.drillId !== undefined)
        continue
      if (Date.parse(incident.reportedAt) >= midnight)
        counts.intakeToday++
      if (incident.status !== 'open')
        continue
      counts.open++
      if (isOverdue(incident.dueAt, now))
        counts.overdue++
      counts.byNature[incident.nature] = (counts.byNature[incident.nature] ?? 0) + 1
      counts.byTopic[incident.topic] = (counts.byTopic[incident.topic] ?? 0) + 1
      const town = incident.townCode ?? ''
      counts.byTown[town] = (counts.byTown[town] ?? 0) + 1
      counts.byDepartment[incident.departmentId] = (counts.byDepartment[incident.departmentId] ?? 0) + 1
    }
    for (const closure of this.closures.values()) {
      if (closure.closedAt < midnight)
        continue
      counts.closedToday++
      if (closure.onTime)
        counts.closedOnTimeToday++
    }
    return counts
  }

  /**
   * Follows the current version (apply passes only newer ones): a newer open
   * version (reopened) withdraws the closure. The close time is the order's
   * where the center closed it, else the closing report's version; a
   * duplicate merged into another is not a closure.
   */
  private noteClosure(incident: Incident): void {
    const order = incident.handling
    if (incident.status !== 'closed' || order?.state === 'merged' || incident.drillId !== undefined) {
      this.closures.delete(incident.id)
      return
    }
    const closedAt = Date.parse(order?.closedAt ?? incident.version)
    this.closures.set(incident.id, { closedAt, onTime: closedAt <= Date.parse(incident.dueAt) })
  }

  private forgetOldClosed(): void {
    const now = this.now()
    const horizon = now - CLOSED_KEPT_MS
    for (const [id, incident] of this.held) {
      if (incident.status === 'closed' && Date.parse(incident.reportedAt) < horizon)
        this.held.delete(id)
    }
    for (const [id, closure] of this.closures) {
      if (closure.closedAt < now - CLOSURES_KEPT_MS)
        this.closures.delete(id)
    }
  }
}
