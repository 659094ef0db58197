import type { Kysely, Transaction } from 'kysely'
import { sql } from 'kysely'
import type { Incident, IncidentReport } from '@shared/schemas/incidents'
import type { IncidentRepository, IncidentWrite } from './repositories'
import type { Database } from './schema'

const parseIncident = (row: { incident: string }): Incident => JSON.parse(row.incident) as Incident

function incidentRow(incident: Incident): Database['incidents'] {
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
    incident: JSON.stringify(incident),
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
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0)
    return 'created'
  const { id, ...changes } = row
  const updated = await trx.updateTable('incidents').set(changes)
    .where('id', '=', id).where('version', '<', incident.version)
    .executeTakeFirst()
  return Number(updated.numUpdatedRows) > 0 ? 'updated' : 'late'
}

/** An instant as the table stores them, so that text order is time order. */
const utcInstant = (instant: string): string => new Date(instant).toISOString()

/** Incidents over any Kysely dialect. Versions are UTC ISO instants, so they order as text. */
export function createIncidentRepository(db: Kysely<Database>): IncidentRepository {
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
      const rows = await db.selectFrom('incidents').select('incident')
        // Closed ones count from their close (the closing version), so today's closures survive a restart whenever they were reported.
        .where(eb => eb.or([eb('status', '=', 'open'), eb('reported_at', '>=', closedSince), eb('version', '>=', closedSince)]))
        .orderBy('reported_at', 'desc').orderBy('id').limit(limit).execute()
      return rows.map(parseIncident)
    },

    async get(id) {
      const row = await db.selectFrom('incidents').select('incident').where('id', '=', id).executeTakeFirst()
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

    async list({ status, departmentId, limit }) {
      let query = db.selectFrom('incidents').select('incident').orderBy('reported_at', 'desc').orderBy('id').limit(limit)
      if (status)
        query = query.where('status', '=', status)
      if (departmentId !== undefined)
        query = query.where('department_id', '=', departmentId)
      return (await query.execute()).map(parseIncident)
    },
  }
}
