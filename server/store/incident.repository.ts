import type { Kysely, Transaction } from 'kysely'
import { sql } from 'kysely'
import { withHandling } from '@shared/dispatch/handled'
import type { Incident, IncidentReport } from '@shared/schemas/incidents'
import type { WorkOrder } from '@shared/schemas/work-orders'
import { TERMINAL_STATES } from '@shared/schemas/work-orders'
import type { IncidentRepository, IncidentWrite } from './repositories'
import type { Database } from './schema'
import { insertNewOrder } from './work-order.repository'

/** An incident row with its work order's document (null before it has one). */
const parseIncident = (row: { incident: string, doc?: string | null }): Incident =>
  withHandling(JSON.parse(row.incident) as Incident, row.doc ? JSON.parse(row.doc) as WorkOrder : undefined)

function incidentRow(incident: Incident): Database['incidents'] {
  // The order is stored apart (work_orders) and joined on read: a copy here would go stale.
  const { handling: _handling, ...report } = incident
  return {
    id: incident.id,
    source: incident.source,
    ticket_no: incident.ticketNo,
    version: incident.version,
    status: incident.status,
    reported_at: incident.reportedAt,
    due_at: incident.dueAt,
    town_code: incident.townCode,
    department_id: incident.departmentId,
    incident: JSON.stringify(report),
    drill_id: incident.drillId ?? null,
  }
}

/**
 * Makes `incident` the current version unless a newer one is held. Insert,
 * else update where older: each statement settles its own race, so concurrent
 * writers (PostgreSQL connections) neither fail on the key nor let an older
 * version win, where a read followed by a write could.
 */
async function putCurrent(trx: Transaction<Database>, incident: Incident): Promise<'created' | 'updated' | 'late'> {
  const row = incidentRow(incident)
  const inserted = await trx.insertInto('incidents').values(row)
    // No conflict target: the id and (source, ticket_no) are both unique and name the same incident;
    // a concurrent insert can trip either, and PostgreSQL raises on the one a target leaves out.
    .onConflict(oc => oc.doNothing())
    .executeTakeFirst()
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
    if (incident.handling)
      await insertNewOrder(trx, incident.handling)
    return 'created'
  }
  const { id, ...changes } = row
  const updated = await trx.updateTable('incidents').set(changes)
    .where('id', '=', id).where('version', '<', incident.version)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0)
    return 'late'
  // A newer report of an order the center closed: closed it stays. The routed department and deadline
  // columns stay the report's; the order's own are read from work_orders.
  await trx.updateTable('incidents').set({ status: 'closed' }).where('id', '=', id)
    .where(eb => eb.exists(eb.selectFrom('work_orders').select('work_orders.id').whereRef('work_orders.id', '=', 'incidents.id').where('work_orders.state', 'in', [...TERMINAL_STATES])))
    .execute()
  return 'updated'
}

/** An instant as the table stores them, so that text order is time order. */
const utcInstant = (instant: string): string => new Date(instant).toISOString()

/** Incidents over any Kysely dialect. Versions are UTC ISO instants, so they order as text. */
export function createIncidentRepository(db: Kysely<Database>): IncidentRepository {
  const withOrders = () => db.selectFrom('incidents').leftJoin('work_orders', 'work_orders.id', 'incidents.id').select(['incidents.incident', 'work_orders.doc'])
  return {
    async save(items) {
      if (items.length === 0)
        return []
      return db.transaction().execute(async (trx) => {
        const outcomes: IncidentWrite[] = []
        for (const { incident, report } of items) {
          const inserted = await trx.insertInto('incident_versions')
            .values({ incident_id: incident.id, version: incident.version, received_at: incident.updatedAt, report: JSON.stringify(report) })
            .onConflict(oc => oc.columns(['incident_id', 'version']).doNothing())
            .executeTakeFirst()
          if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
            outcomes.push('duplicate')
            continue
          }
          outcomes.push(await putCurrent(trx, incident))
        }
        return outcomes
      })
    },

    async current({ closedSince, limit }) {
      const rows = await withOrders()
        // Closed ones count from their close (the closing version, or the order's close), so today's closures survive a restart whenever they were reported.
        // An order still open is held whatever upstream said (a reply waiting for its revisit).
        .where(eb => eb.or([eb('incidents.status', '=', 'open'), eb('work_orders.state', 'not in', [...TERMINAL_STATES]), eb('reported_at', '>=', closedSince), eb('incidents.version', '>=', closedSince), eb('work_orders.closed_at', '>=', closedSince)]))
        .orderBy('reported_at', 'desc').orderBy('incidents.id').limit(limit).execute()
      return rows.map(parseIncident)
    },

    async get(id) {
      const row = await withOrders().where('incidents.id', '=', id).executeTakeFirst()
      return row ? parseIncident(row) : undefined
    },

    async versions(id) {
      const rows = await db.selectFrom('incident_versions').selectAll().where('incident_id', '=', id).orderBy('version').execute()
      return rows.map(r => ({ version: r.version, receivedAt: r.received_at, report: JSON.parse(r.report) as IncidentReport }))
    },

    async intakeByHour({ from, to }) {
      // Report times are canonical UTC instants (…T08:59:59.000Z): their first 13 characters name the hour.
      const hour = sql<string>`substr(reported_at, 1, 13)`
      const rows = await db.selectFrom('incidents')
        .select(eb => [hour.as('hour'), eb.fn.countAll<number | string>().as('count')])
        .where('reported_at', '>=', utcInstant(from)).where('reported_at', '<', utcInstant(to))
        .groupBy(hour).orderBy(hour).execute()
      return rows.map(r => ({ t: `${r.hour}:00:00.000Z`, count: Number(r.count) }))
    },

    async intakeByTownHour({ from, to }) {
      const hour = sql<string>`substr(reported_at, 1, 13)`
      const rows = await db.selectFrom('incidents')
        .select(eb => [hour.as('hour'), 'town_code', eb.fn.countAll<number | string>().as('count')])
        .where('reported_at', '>=', utcInstant(from)).where('reported_at', '<', utcInstant(to)).where('town_code', 'is not', null)
        .groupBy([hour, 'town_code']).orderBy(hour).execute()
      return rows.map(r => ({ t: `${r.hour}:00:00.000Z`, townCode: r.town_code!, count: Number(r.count) }))
    },

    async queue(q) {
      // One filter for the rows and the per-state counts; the state filter applies to the rows only.
      const filtered = () => {
        let query = db.selectFrom('incidents').innerJoin('work_orders', 'work_orders.id', 'incidents.id')
        if (q.topic)
          query = query.where('work_orders.topic', '=', q.topic)
        if (q.nature)
          query = query.where('work_orders.nature', '=', q.nature)
        if (q.townCode)
          query = query.where('work_orders.town_code', '=', q.townCode)
        if (q.supervised !== undefined)
          query = query.where('work_orders.supervision', q.supervised ? '>' : '=', 0)
        if (q.departmentId !== undefined) {
          const dept = q.departmentId
          query = query.where(eb => eb.or([eb('work_orders.department_id', '=', dept), eb('work_orders.assisting', 'like', `%,${dept},%`)]))
        }
        return query
      }
      let rows = filtered().select(['incidents.incident', 'work_orders.doc']).orderBy('work_orders.accepted_at', 'desc').orderBy('incidents.id').limit(q.limit)
      if (q.states && q.states.length > 0)
        rows = rows.where('work_orders.state', 'in', [...q.states])
      const counts = await filtered().select(eb => ['work_orders.state', eb.fn.countAll<number | string>().as('n')]).groupBy('work_orders.state').execute()
      return {
        items: (await rows.execute()).map(parseIncident),
        byState: Object.fromEntries(counts.map(c => [c.state, Number(c.n)])),
      }
    },

    async openOfTopic({ topic, townCodes, excludeId, limit }) {
      if (townCodes.length === 0)
        return []
      const rows = await withOrders()
        .where('work_orders.topic', '=', topic).where('work_orders.town_code', 'in', [...townCodes])
        .where('work_orders.state', 'not in', [...TERMINAL_STATES]).where('incidents.id', '<>', excludeId)
        .orderBy('work_orders.accepted_at', 'desc').limit(limit).execute()
      return rows.map(parseIncident)
    },

    async list({ status, departmentId, limit }) {
      let query = withOrders().orderBy('reported_at', 'desc').orderBy('incidents.id').limit(limit)
      if (status) {
        // The order's state where there is one (open until the center closes it), else upstream's status.
        const closed = [...TERMINAL_STATES]
        query = query.where(eb => status === 'open'
          ? eb.or([eb('work_orders.state', 'not in', closed), eb.and([eb('work_orders.id', 'is', null), eb('incidents.status', '=', 'open')])])
          : eb.or([eb('work_orders.state', 'in', closed), eb.and([eb('work_orders.id', 'is', null), eb('incidents.status', '=', 'closed')])]))
      }
      if (departmentId !== undefined)
        query = query.where(eb => eb.fn.coalesce('work_orders.department_id', 'incidents.department_id'), '=', departmentId)
      return (await query.execute()).map(parseIncident)
    },
  }
}
