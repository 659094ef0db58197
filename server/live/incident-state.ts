import { localDate } from '@shared/calendar/working-days'
import { mergeIncident } from '@shared/dispatch/handled'
import type { Incident, IncidentsSummary } from '@shared/schemas/incidents'
import { DueQueue } from '@server/due-queue'

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
 *
 * The counts are kept as incidents change rather than counted again: every
 * change is published with them, and at 6,000–20,000 calls a day a recount
 * per change blocked the server's event loop for seconds at a time.
 */
export class IncidentState {
  private readonly held = new Map<string, Incident>()
  /**
   * Kept apart from `held`: an incident reported days ago leaves the live view
   * as soon as it closes, yet its closure counts for today (and is the one
   * most likely to be late).
   */
  private readonly closures = new Map<string, Closure>()
  /** What the held incidents add up to (drills left out): the open ones by kind, intake by local date. */
  private readonly tally = new Tally()
  /** Closures by the local date of their close time, and those on time. */
  private readonly closedByDate = new Map<string, number>()
  private readonly onTimeByDate = new Map<string, number>()
  /** Closed incidents by report time, and closures by close time, to forget them in order (an entry may be stale: checked when due). */
  private readonly closedToForget = new DueQueue<string>()
  private readonly closuresToForget = new DueQueue<string>()

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
      this.hold(merged, held)
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
    const today = localDate(now)
    return { ...this.tally.counts(now, today), closedToday: sumFrom(this.closedByDate, today), closedOnTimeToday: sumFrom(this.onTimeByDate, today) }
  }

  private hold(incident: Incident, before: Incident | undefined): void {
    if (before)
      this.tally.add(before, -1)
    this.held.set(incident.id, incident)
    this.tally.add(incident, 1)
    if (incident.status === 'closed')
      this.closedToForget.push(Date.parse(incident.reportedAt), incident.id)
  }

  /**
   * Follows the current version (apply passes only newer ones): a newer open
   * version (reopened) withdraws the closure. The close time is the order's
   * where the center closed it, else the closing report's version; a
   * duplicate merged into another is not a closure.
   */
  private noteClosure(incident: Incident): void {
    this.dropClosure(incident.id)
    const order = incident.handling
    if (incident.status !== 'closed' || order?.state === 'merged' || incident.drillId !== undefined)
      return
    const closedAt = Date.parse(order?.closedAt ?? incident.version)
    const closure = { closedAt, onTime: closedAt <= Date.parse(incident.dueAt) }
    this.closures.set(incident.id, closure)
    this.countClosure(closure, 1)
    this.closuresToForget.push(closedAt, incident.id)
  }

  private dropClosure(id: string): void {
    const closure = this.closures.get(id)
    if (!closure)
      return
    this.closures.delete(id)
    this.countClosure(closure, -1)
  }

  private countClosure({ closedAt, onTime }: Closure, sign: 1 | -1): void {
    const date = localDate(closedAt)
    bump(this.closedByDate, date, sign)
    if (onTime)
      bump(this.onTimeByDate, date, sign)
  }

  private forgetOldClosed(): void {
    const now = this.now()
    const horizon = now - CLOSED_KEPT_MS
    for (const id of this.closedToForget.popDue(horizon - 1)) {
      const incident = this.held.get(id)
      if (incident?.status === 'closed' && Date.parse(incident.reportedAt) < horizon) {
        this.held.delete(id)
        this.tally.add(incident, -1)
      }
    }
    const closuresHorizon = now - CLOSURES_KEPT_MS
    for (const id of this.closuresToForget.popDue(closuresHorizon - 1)) {
      const closure = this.closures.get(id)
      if (closure && closure.closedAt < closuresHorizon)
        this.dropClosure(id)
    }
  }
}

/** Counts of held incidents that only change when an incident does, except the overdue ones, which are counted from sorted deadlines. */
class Tally {
  private open = 0
  private readonly byNature = new Map<string, number>()
  private readonly byTopic = new Map<string, number>()
  private readonly byTown = new Map<string, number>()
  private readonly byDepartment = new Map<string, number>()
  private readonly intakeByDate = new Map<string, number>()
  /** The deadlines of the open incidents, ascending. */
  private readonly openDue: number[] = []

  /** Adds an incident (sign 1) or takes it away again (sign -1). A drill's calls are held and shown (marked 演练), but they are not the city's figures. */
  add(incident: Incident, sign: 1 | -1): void {
    if (incident.drillId !== undefined)
      return
    bump(this.intakeByDate, localDate(incident.reportedAt), sign)
    if (incident.status !== 'open')
      return
    this.open += sign
    bump(this.byNature, incident.nature, sign)
    bump(this.byTopic, incident.topic, sign)
    bump(this.byTown, incident.townCode ?? '', sign)
    bump(this.byDepartment, incident.departmentId, sign)
    const due = Date.parse(incident.dueAt)
    if (sign > 0)
      this.openDue.splice(firstAbove(this.openDue, due), 0, due)
    else
      this.openDue.splice(firstAbove(this.openDue, due) - 1, 1)
  }

  counts(now: number, today: string): Omit<IncidentCounts, 'closedToday' | 'closedOnTimeToday'> {
    return {
      open: this.open,
      // Overdue is `now ≥ dueAt` (shared/incidents/deadline.ts).
      overdue: firstAbove(this.openDue, now),
      intakeToday: sumFrom(this.intakeByDate, today),
      byNature: Object.fromEntries(this.byNature),
      byTopic: Object.fromEntries(this.byTopic),
      byTown: Object.fromEntries(this.byTown),
      byDepartment: Object.fromEntries(this.byDepartment),
    }
  }
}

/** The counts of the dates from `date` on (a handful: the dates of the held incidents' reports or closures). */
function sumFrom(byDate: ReadonlyMap<string, number>, date: string): number {
  let sum = 0
  for (const [d, n] of byDate) {
    if (d >= date)
      sum += n
  }
  return sum
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by
  if (n === 0)
    counts.delete(key)
  else
    counts.set(key, n)
}

/** The index of the first value above `x` in an ascending array: the number of values at or below it. */
function firstAbove(sorted: readonly number[], x: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((sorted[mid] as number) <= x)
      lo = mid + 1
    else
      hi = mid
  }
  return lo
}
