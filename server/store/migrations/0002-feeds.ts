import type { Kysely } from 'kysely'
import { dialectOf, textType } from '../dialect'

/**
 * The four domains: dead-letter rows learn their kind, reason code and a hash
 * of the raw payload; the latest traffic and hall state survives a restart;
 * 12345 incidents are kept in full (current row plus every version received);
 * telemetry history is rolled up per hour, late records included.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const text = textType(dialectOf(db))
  await db.schema.alterTable('rejected_records').addColumn('kind', text).execute()
  await db.schema.alterTable('rejected_records').addColumn('code', text, c => c.notNull().defaultTo('schema')).execute()
  await db.schema.alterTable('rejected_records').addColumn('raw_sha256', text, c => c.notNull().defaultTo('')).execute()
  await db.schema.createIndex('rejected_records_source').on('rejected_records').columns(['source', 'id']).execute()

  await db.schema.createTable('telemetry_latest')
    .addColumn('kind', text, c => c.notNull())
    .addColumn('entity_id', text, c => c.notNull())
    .addColumn('observed_at', text, c => c.notNull())
    .addColumn('reading', text, c => c.notNull())
    .addPrimaryKeyConstraint('telemetry_latest_pk', ['kind', 'entity_id'])
    .execute()

  await db.schema.createTable('incidents')
    .addColumn('id', text, c => c.primaryKey())
    .addColumn('source', text, c => c.notNull())
    .addColumn('ticket_no', text, c => c.notNull())
    .addColumn('version', text, c => c.notNull())
    .addColumn('status', text, c => c.notNull())
    .addColumn('reported_at', text, c => c.notNull())
    .addColumn('due_at', text, c => c.notNull())
    .addColumn('town_code', text)
    .addColumn('department_id', text, c => c.notNull())
    .addColumn('incident', text, c => c.notNull())
    .addUniqueConstraint('incidents_source_ticket', ['source', 'ticket_no'])
    .execute()
  await db.schema.createIndex('incidents_status_reported').on('incidents').columns(['status', 'reported_at']).execute()

  await db.schema.createTable('incident_versions')
    .addColumn('incident_id', text, c => c.notNull())
    .addColumn('version', text, c => c.notNull())
    .addColumn('received_at', text, c => c.notNull())
    .addColumn('report', text, c => c.notNull())
    .addPrimaryKeyConstraint('incident_versions_pk', ['incident_id', 'version'])
    .execute()

  await db.schema.createTable('rollup_hour')
    .addColumn('kind', text, c => c.notNull())
    .addColumn('entity_id', text, c => c.notNull())
    .addColumn('metric', text, c => c.notNull())
    /** The hour's start, ISO 8601 UTC. */
    .addColumn('hour', text, c => c.notNull())
    .addColumn('n', 'integer', c => c.notNull())
    .addColumn('sum', 'double precision', c => c.notNull())
    .addColumn('min', 'double precision', c => c.notNull())
    .addColumn('max', 'double precision', c => c.notNull())
    .addPrimaryKeyConstraint('rollup_hour_pk', ['kind', 'entity_id', 'metric', 'hour'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['rollup_hour', 'incident_versions', 'incidents', 'telemetry_latest'])
    await db.schema.dropTable(table).ifExists().execute()
  await db.schema.dropIndex('rejected_records_source').ifExists().execute()
  for (const column of ['raw_sha256', 'code', 'kind'])
    await db.schema.alterTable('rejected_records').dropColumn(column).execute()
}
