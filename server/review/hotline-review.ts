import { INCIDENT_NATURES, INCIDENT_TOPICS } from '@shared/schemas/incident-kinds'
import type { IncidentNature, IncidentTopic } from '@shared/schemas/incident-kinds'
import type { HotlineReview, PeriodCounts } from '@shared/schemas/review'
import type { DayTotal } from '@server/store/review.repository'
import { cellCentre, deptScope, HOTSPOT_TOPICS_KIND, HOTSPOTS_KIND, INTAKE_KIND, ORDERS_KIND, scopeCell, TOWN_DEPT_KIND, townDept } from './orders-fold'
import type { PeriodRows } from './period-rows'

/**
 * 12345热线 over a period for a scope (the city, a town, a department): the
 * counts behind the dispatch indicators (domain.md §3.4), the intake by
 * topic, town and nature, the department league table and the cells of
 * repeated complaints.
 */

export const COUNT_KEYS = ['accepted', 'dispatched', 'signed', 'signedOnTime', 'closed', 'closedOnTime', 'resolved', 'revisited', 'satisfied', 'returned', 'reopened'] as const satisfies readonly (keyof PeriodCounts)[]

/** A cell is a hotspot from this many complaints in the period. */
export const HOTSPOT_MIN_COMPLAINTS = 3
const TOP_HOTSPOTS = 30

export function countsOf(totals: readonly DayTotal[], entityId: string): PeriodCounts {
  const counts = Object.fromEntries(COUNT_KEYS.map(k => [k, 0])) as PeriodCounts
  for (const t of totals) {
    if (t.entityId === entityId && (COUNT_KEYS as readonly string[]).includes(t.metric))
      counts[t.metric as keyof PeriodCounts] = t.sum
  }
  return counts
}

/** The breakdown `<prefix><key>` of one scope's totals, as counts by key. */
function breakdown(totals: readonly DayTotal[], prefix: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const t of totals) {
    if (t.metric.startsWith(prefix))
      out.set(t.metric.slice(prefix.length), t.sum)
  }
  return out
}

/** The label with the most complaints (ties: the first in code order). */
function mostOf(counts: ReadonlyMap<string, number>): string | undefined {
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]?.[0]
}

/** The cells with the most complaints, each with its main topic and town (read for those cells only). */
async function hotspots(current: PeriodRows, scope: string): Promise<HotlineReview['hotspots']> {
  const cells = [...breakdown(await current.totals({ kind: HOTSPOTS_KIND, entityIds: [scope] }), '').entries()]
    .filter(([, count]) => count >= HOTSPOT_MIN_COMPLAINTS)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, TOP_HOTSPOTS)
  const details = cells.length === 0 ? [] : await current.totals({ kind: HOTSPOT_TOPICS_KIND, entityIds: cells.map(([cell]) => scopeCell(scope, cell)) })
  return cells.map(([cell, count]) => {
    const topics = new Map<string, number>()
    const towns = new Map<string, number>()
    for (const t of details) {
      if (t.entityId !== scopeCell(scope, cell))
        continue
      const [topic, town] = t.metric.split(':') as [string, string]
      topics.set(topic, (topics.get(topic) ?? 0) + t.sum)
      if (town !== '')
        towns.set(town, (towns.get(town) ?? 0) + t.sum)
    }
    return { ...cellCentre(cell), count, topic: mostOf(topics) as IncidentTopic, townCode: mostOf(towns) ?? null }
  })
}

/** The league table's rows of a scope: the city's departments, a town's departments there, or a department's own row; by department id. */
function league(current: PeriodRows, scope: string, departmentIds: readonly string[]): Promise<Map<string, PeriodCounts>> {
  const byDepartment = async (kind: string, entityOf: (id: string) => string, ids: readonly string[]): Promise<Map<string, PeriodCounts>> => {
    // Both kinds hold the counts only: each department is one key range, where a list of metrics would be a range per metric.
    const totals = await current.totals({ kind, entityIds: ids.map(entityOf) })
    const out = new Map<string, PeriodCounts>()
    for (const id of ids) {
      if (totals.some(t => t.entityId === entityOf(id)))
        out.set(id, countsOf(totals, entityOf(id)))
    }
    return out
  }
  if (scope.startsWith('town:'))
    return byDepartment(TOWN_DEPT_KIND, id => townDept(scope.slice('town:'.length), id), departmentIds)
  return byDepartment(ORDERS_KIND, deptScope, scope === 'city' ? departmentIds : [scope.slice('dept:'.length)])
}

/**
 * `scope`: the entity the fold counted under (city, town:<code>, dept:<id>);
 * `overdueNow`: the scope's open orders past a deadline now;
 * `departmentIds`: the city's departments, the league table's candidates.
 */
export async function hotlineReview(current: PeriodRows, previous: PeriodRows, scope: string, overdueNow: number, departmentIds: readonly string[]): Promise<HotlineReview> {
  const [totals, previousTotals, intake, previousIntake, dayRows, departments, spots] = await Promise.all([
    current.totals({ kind: ORDERS_KIND, entityIds: [scope] }),
    previous.totals({ kind: ORDERS_KIND, entityIds: [scope] }),
    current.totals({ kind: INTAKE_KIND, entityIds: [scope] }),
    previous.totals({ kind: INTAKE_KIND, entityIds: [scope] }),
    current.days({ kind: ORDERS_KIND, entityIds: [scope], metrics: ['accepted', 'closed'] }),
    league(current, scope, departmentIds),
    hotspots(current, scope),
  ])
  const byDay = new Map<string, { accepted: number, closed: number }>()
  for (const r of dayRows) {
    let day = byDay.get(r.day)
    if (!day)
      byDay.set(r.day, day = { accepted: 0, closed: 0 })
    day[r.metric as 'accepted' | 'closed'] += r.sum
  }
  const topics = breakdown(intake, 'topic:')
  const previousTopics = breakdown(previousIntake, 'topic:')
  const towns = breakdown(intake, 'town:')
  const previousTowns = breakdown(previousIntake, 'town:')
  const natures = breakdown(intake, 'nature:')
  return {
    counts: countsOf(totals, scope),
    previous: countsOf(previousTotals, scope),
    overdueNow,
    days: [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, c]) => ({ day, ...c })),
    byTopic: INCIDENT_TOPICS.filter(t => topics.has(t) || previousTopics.has(t))
      .map(topic => ({ topic, count: topics.get(topic) ?? 0, previous: previousTopics.get(topic) ?? 0 }))
      .sort((a, b) => b.count - a.count),
    byTown: [...new Set([...towns.keys(), ...previousTowns.keys()])]
      .map(townCode => ({ townCode, count: towns.get(townCode) ?? 0, previous: previousTowns.get(townCode) ?? 0 }))
      .sort((a, b) => b.count - a.count || (a.townCode < b.townCode ? -1 : 1)),
    byNature: INCIDENT_NATURES.filter(n => natures.has(n)).map((nature: IncidentNature) => ({ nature, count: natures.get(nature) ?? 0 })),
    departments: [...departments.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([departmentId, counts]) => ({ departmentId, ...counts })),
    hotspots: spots,
  }
}
