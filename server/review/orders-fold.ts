import type { Incident } from '@shared/schemas/incidents'
import type { PeriodCounts } from '@shared/schemas/review'
import type { WorkOrder, WorkOrderEvent } from '@shared/schemas/work-orders'
import { isSatisfied, Satisfaction } from '@shared/schemas/work-orders'
import type { DayRow } from './day-fold'
import { CITY } from './day-fold'

/**
 * One local day of 12345 work folded into counts by scope (the city, each
 * town, each lead department), each counted on the day it happened: a call
 * on the day it came in, a sign on the day of signing, a close on the day of
 * closing. A past day's counts are then final: nothing later changes them.
 * The measures are those of server/dispatch/kpis.ts (domain.md §3.4).
 */

/** The PeriodCounts keys by scope: only these, so that a league table reads its departments' counts as whole key ranges. */
export const ORDERS_KIND = 'orders'
/** The intake by scope broken down by `topic:<topic>`, `nature:<nature>` and `town:<code>`. */
export const INTAKE_KIND = 'orders-intake'
/** Complaints by cell (metric `<cell>`), apart from the counts: only the hotspot list reads them, and they are most of a day's rows. */
export const HOTSPOTS_KIND = 'orders-hotspot'
/**
 * A cell's complaints by topic and town (entity `<scope>|<cell>`, metric
 * `<topic>:<town code or empty>`): read for the few cells listed only, where
 * one list of every cell, topic and town made a year's hotspots 100,000+ sums.
 */
export const HOTSPOT_TOPICS_KIND = 'orders-hotspot-topic'
/** The PeriodCounts of each department within each town (entity `<town code>|<department id>`): a town's league table. */
export const TOWN_DEPT_KIND = 'orders-town-dept'

/** The natures whose repeats make a hotspot: 投诉 and 举报. */
const COMPLAINTS: ReadonlySet<string> = new Set(['complaint', 'report'])

/** A hotspot cell is 0.01° on a side (about 1.1 km × 1.0 km at Dongguan's latitude). */
export const CELL_DEGREES = 0.01

export const townScope = (code: string): string => `town:${code}`
export const deptScope = (id: string): string => `dept:${id}`
export const townDept = (townCode: string, departmentId: string): string => `${townCode}|${departmentId}`
export const scopeCell = (scope: string, cell: string): string => `${scope}|${cell}`

/** The cell of a position, as `<row>:<column>` of 0.01° steps. */
export const cellOf = (lng: number, lat: number): string => `${Math.floor(lat / CELL_DEGREES)}:${Math.floor(lng / CELL_DEGREES)}`

/** A cell's centre. */
export function cellCentre(cell: string): { lng: number, lat: number } {
  const [row, column] = cell.split(':').map(Number) as [number, number]
  return { lat: Number(((row + 0.5) * CELL_DEGREES).toFixed(4)), lng: Number(((column + 0.5) * CELL_DEGREES).toFixed(4)) }
}

/** A return or revisit with the town of its order (the event names only the department). */
export interface ScopedEvent { event: WorkOrderEvent, townCode: string | null }

type CountKey = keyof PeriodCounts

class Counter {
  readonly rows = new Map<string, DayRow>()
  constructor(private readonly day: string) {}

  clone(): Counter {
    const copy = new Counter(this.day)
    for (const [key, row] of this.rows)
      copy.rows.set(key, { ...row })
    return copy
  }

  add(scopes: readonly string[], metric: string, kind: string = ORDERS_KIND): void {
    for (const entityId of scopes) {
      const key = `${kind}\u0000${entityId}\u0000${metric}`
      const row = this.rows.get(key)
      if (row) {
        row.n += 1
        row.sum += 1
        row.max = row.sum
      }
      else {
        this.rows.set(key, { kind, entityId, metric, day: this.day, n: 1, sum: 1, min: 0, max: 1 })
      }
    }
  }
}

const scopesOf = (townCode: string | null, departmentId: string): string[] =>
  [CITY, deptScope(departmentId), ...(townCode ? [townScope(townCode)] : [])]

/** A PeriodCounts key counted for the city, the town, the department, and the department within the town. */
function countFor(counter: Counter, townCode: string | null, departmentId: string, metric: CountKey): void {
  counter.add(scopesOf(townCode, departmentId), metric)
  if (townCode)
    counter.add([townDept(townCode, departmentId)], metric, TOWN_DEPT_KIND)
}

function within(t: string | null, from: string, to: string): t is string {
  return t !== null && t >= from && t < to
}

function countIntake(counter: Counter, incident: Incident): void {
  const scopes = scopesOf(incident.townCode, incident.departmentId)
  const count = (metric: string): void => counter.add(scopes, metric, INTAKE_KIND)
  countFor(counter, incident.townCode, incident.departmentId, 'accepted')
  count(`topic:${incident.topic}`)
  count(`nature:${incident.nature}`)
  if (incident.townCode)
    count(`town:${incident.townCode}`)
  if (COMPLAINTS.has(incident.nature) && incident.location) {
    const cell = cellOf(incident.location.lng, incident.location.lat)
    counter.add(scopes, cell, HOTSPOTS_KIND)
    counter.add(scopes.map(scope => scopeCell(scope, cell)), `${incident.topic}:${incident.townCode ?? ''}`, HOTSPOT_TOPICS_KIND)
  }
}

function countMilestones(counter: Counter, o: WorkOrder, from: string, to: string): void {
  const count = (metric: CountKey): void => countFor(counter, o.townCode, o.departmentId, metric)
  if (within(o.dispatchedAt, from, to))
    count('dispatched')
  if (within(o.signedAt, from, to)) {
    count('signed')
    if (o.signDueAt !== null && o.signedAt <= o.signDueAt)
      count('signedOnTime')
  }
  if (o.state === 'closed' && within(o.closedAt, from, to)) {
    count('closed')
    // By the deadline: the department's reply, or the close itself for a direct answer or an upstream close.
    if ((o.repliedAt ?? o.closedAt) <= o.handleDueAt)
      count('closedOnTime')
    if (o.reply?.resolved ?? true)
      count('resolved')
  }
}

function countEvent(counter: Counter, { event, townCode }: ScopedEvent): void {
  const count = (metric: CountKey): void => countFor(counter, townCode, event.departmentId, metric)
  if (event.action === 'return')
    count('returned')
  if (event.action === 'revisit') {
    count('revisited')
    const rating = Satisfaction.safeParse(event.detail.satisfaction)
    count(rating.success && isSatisfied(rating.data) ? 'satisfied' : 'reopened')
  }
}

/**
 * A local day of 12345 work, added in parts of disjoint time ranges (a day
 * in progress is folded hour by hour, server/review/live-days.ts): for each
 * range, `incidents` reported in it, `orders` with a milestone in it,
 * `events` (returns, revisits) in it. The rows' metrics are the PeriodCounts
 * keys, the intake by `topic:`, `nature:` and `town:` (INTAKE_KIND), the keys again
 * per town and department (kind TOWN_DEPT_KIND), and complaints by cell
 * (HOTSPOTS_KIND) and by cell, topic and town (HOTSPOT_TOPICS_KIND).
 */
export class OrdersDayFold {
  constructor(readonly day: string, private readonly counter = new Counter(day)) {}

  clone(): OrdersDayFold {
    return new OrdersDayFold(this.day, this.counter.clone())
  }

  add(range: { from: string, to: string }, incidents: readonly Incident[], orders: readonly WorkOrder[], events: readonly ScopedEvent[]): this {
    for (const incident of incidents) {
      if (within(incident.reportedAt, range.from, range.to))
        countIntake(this.counter, incident)
    }
    for (const order of orders)
      countMilestones(this.counter, order, range.from, range.to)
    for (const e of events) {
      if (within(e.event.at, range.from, range.to))
        countEvent(this.counter, e)
    }
    return this
  }

  rows(): DayRow[] {
    return [...this.counter.clone().rows.values()]
  }
}

/** The rows of a whole day's work, or of one range of it (see OrdersDayFold). */
export function foldOrdersDay(day: string, range: { from: string, to: string }, incidents: readonly Incident[], orders: readonly WorkOrder[], events: readonly ScopedEvent[]): DayRow[] {
  return new OrdersDayFold(day).add(range, incidents, orders, events).rows()
}
