import { localDate, localMidnight } from '@shared/calendar/working-days'
import type { Incident, IncidentsSummary } from '@shared/schemas/incidents'

/** Closed incidents stay in the live view this long after they were reported, then only the store has them. */
export const CLOSED_KEPT_MS = 24 * 3_600_000
/** A snapshot lists at most this many incidents, newest first; the summary counts them all. */
export const SNAPSHOT_MAX_INCIDENTS = 500

/**
 * The 12345 incidents the center is watching: every open one and those
 * closed within the last day, with counts by nature, topic and town.
 */
export class IncidentState {
  private readonly held = new Map<string, Incident>()

  /** `now` is the clock incidents are judged by (the simulated one in a simulation). */
  constructor(private readonly now: () => number) {}

  restore(incidents: readonly Incident[]): void {
    this.apply(incidents)
  }

  /** Takes the current versions of changed incidents. */
  apply(incidents: readonly Incident[]): void {
    for (const incident of incidents) {
      const held = this.held.get(incident.id)
      if (!held || held.version < incident.version)
        this.held.set(incident.id, incident)
    }
    this.forgetOldClosed()
  }

  get(id: string): Incident | undefined {
    return this.held.get(id)
  }

  /** Newest report first. */
  list(limit: number = SNAPSHOT_MAX_INCIDENTS): Incident[] {
    return [...this.held.values()].sort((a, b) => (a.reportedAt < b.reportedAt ? 1 : a.reportedAt > b.reportedAt ? -1 : 0)).slice(0, limit)
  }

  summary(): IncidentsSummary {
    const now = this.now()
    const midnight = localMidnight(localDate(now))
    const summary: IncidentsSummary = { open: 0, overdue: 0, intakeToday: 0, byNature: {}, byTopic: {}, byTown: {} }
    for (const incident of this.held.values()) {
      if (Date.parse(incident.reportedAt) >= midnight)
        summary.intakeToday++
      if (incident.status !== 'open')
        continue
      summary.open++
      if (Date.parse(incident.dueAt) < now)
        summary.overdue++
      summary.byNature[incident.nature] = (summary.byNature[incident.nature] ?? 0) + 1
      summary.byTopic[incident.topic] = (summary.byTopic[incident.topic] ?? 0) + 1
      const town = incident.townCode ?? ''
      summary.byTown[town] = (summary.byTown[town] ?? 0) + 1
    }
    return summary
  }

  private forgetOldClosed(): void {
    const horizon = this.now() - CLOSED_KEPT_MS
    for (const [id, incident] of this.held) {
      if (incident.status === 'closed' && Date.parse(incident.reportedAt) < horizon)
        this.held.delete(id)
    }
  }
}
