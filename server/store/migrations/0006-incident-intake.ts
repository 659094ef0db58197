import type { Kysely } from 'kysely'

/**
 * The hourly 12345 intake (issue 6, GET /api/incidents/intake) counts orders
 * by the hour they were reported: an index on the report time alone, since
 * the existing (status, reported_at) one cannot serve a range over both states.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('incidents_reported').on('incidents').column('reported_at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('incidents_reported').ifExists().execute()
}
