import type { WorkingCalendar } from '@shared/calendar/working-days'
import { newWorkOrder } from '@shared/dispatch/machine'
import type { SlaPolicy } from '@shared/dispatch/sla'
import { DEFAULT_SLA_POLICY } from '@shared/dispatch/sla'
import type { CityModel } from '@shared/schemas/city'
import type { Incident, IncidentReport } from '@shared/schemas/incidents'

/** The routing table's stand-in for "the incident's own town government". */
export const TOWN_DEPARTMENT = 'town'
/** Where an incident goes when its topic is local but its town is unknown: the 12345 centre sorts it out. */
export const UNASSIGNED_DEPARTMENT = 'unassigned'
/**
 * The sources whose drill mark is believed: the built-in simulator (a drill's
 * scenario calls) and the center's own orders made of a drill alert. Any other
 * feed's mark is dropped, so no outside record can leave the real measures.
 */
export const DRILL_SOURCES: ReadonlySet<string> = new Set(['simulator', 'ioc'])
/** A location further than this from every town centre is not placed in a town. */
const MAX_TOWN_DISTANCE_KM = 25

export interface DeriveContext {
  city: Pick<CityModel, 'towns' | 'routing'>
  calendar: WorkingCalendar
  /** The deadlines' policy; Guangdong's defaults when not given. */
  sla?: SlaPolicy
}

/** The town an incident is in: the one it names, else the nearest town centre to where it is. */
export function townOf(report: IncidentReport, towns: CityModel['towns']): string | null {
  if (report.townCode && towns.some(t => t.code === report.townCode))
    return report.townCode
  if (!report.location)
    return null
  let best: { code: string, km: number } | null = null
  for (const town of towns) {
    const km = Math.hypot((town.lng - report.location.lng) * 102.5, (town.lat - report.location.lat) * 111.2)
    if (!best || km < best.km)
      best = { code: town.code, km }
  }
  return best && best.km <= MAX_TOWN_DISTANCE_KM ? best.code : null
}

/**
 * An incident as the system holds it: the report plus its town, the
 * department the routing table gives, and the handling deadline of its
 * nature, with the work order a first version makes (受理: the store keeps
 * it only when the incident is new). `firstReceivedAt` keeps the first
 * arrival time across versions.
 */
export function deriveIncident(source: string, given: IncidentReport, receivedAt: string, firstReceivedAt: string | undefined, ctx: DeriveContext): Incident {
  const { drillId: claimed, ...rest } = given
  const drillId = claimed !== undefined && DRILL_SOURCES.has(source) ? claimed : undefined
  const report: IncidentReport = drillId ? { ...rest, drillId } : rest
  const townCode = townOf(report, ctx.city.towns)
  const routed = ctx.city.routing[report.topic]
  const departmentId = routed !== TOWN_DEPARTMENT ? routed : townCode ? `town-${townCode}` : UNASSIGNED_DEPARTMENT
  const id = `${source}:${report.ticketNo}`
  const opened = newWorkOrder({ id, nature: report.nature, topic: report.topic, townCode, acceptedAt: report.reportedAt, departmentId, priority: report.urgency }, ctx.sla ?? DEFAULT_SLA_POLICY, ctx.calendar, receivedAt)
  // A request upstream had already closed when the center first heard of it: its order starts closed.
  const closed = report.status === 'closed' ? { ...opened, state: 'closed' as const, closedAt: receivedAt } : opened
  const order = drillId ? { ...closed, drillId } : closed
  return {
    ...report,
    id,
    source,
    townCode,
    departmentId,
    dueAt: order.handleDueAt,
    receivedAt: firstReceivedAt ?? receivedAt,
    updatedAt: receivedAt,
    handling: order,
  }
}
