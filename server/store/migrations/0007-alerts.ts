import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { dialectOf, textType } from '../dialect'

/**
 * Alerts (issue 7). Rule sets are versioned documents, one row per
 * revision. An alert row is keyed by its deterministic id, and at most one
 * row per rule and entity is not resolved (a partial unique index): two nodes
 * that both evaluate a rule cannot raise it twice. Events and notifications
 * are keyed by what they are about, so a repeat is a no-op; a notification is
 * sent by the node whose claim of its batch took it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const text = textType(dialectOf(db))
  await db.schema.createTable('alert_rule_sets')
    .addColumn('revision', 'integer', c => c.primaryKey())
    .addColumn('doc', text, c => c.notNull())
    .addColumn('updated_at', text, c => c.notNull())
    .addColumn('updated_by', text, c => c.notNull())
    .execute()
  await db.schema.createTable('alerts')
    .addColumn('id', text, c => c.primaryKey())
    .addColumn('rule_id', text, c => c.notNull())
    .addColumn('entity_id', text, c => c.notNull())
    .addColumn('domain', text, c => c.notNull())
    .addColumn('severity', text, c => c.notNull())
    .addColumn('status', text, c => c.notNull())
    .addColumn('title', text, c => c.notNull())
    .addColumn('town_code', text)
    .addColumn('group_key', text, c => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('raised_at', text, c => c.notNull())
    .addColumn('updated_at', text, c => c.notNull())
    .addColumn('acknowledged_by', text)
    .addColumn('acknowledged_at', text)
    .addColumn('resolved_at', text)
    .addColumn('escalation_level', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('muted', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('work_order_id', text)
    .execute()
  await db.schema.createIndex('alerts_one_active').on('alerts').columns(['rule_id', 'entity_id']).unique()
    .where(sql.ref('status'), '<>', 'resolved').execute()
  await db.schema.createIndex('alerts_raised').on('alerts').column('raised_at').execute()
  await db.schema.createIndex('alerts_status').on('alerts').columns(['status', 'raised_at']).execute()
  await db.schema.createTable('alert_events')
    .addColumn('alert_id', text, c => c.notNull())
    .addColumn('type', text, c => c.notNull())
    .addColumn('at', text, c => c.notNull())
    .addColumn('by', text)
    .addColumn('detail', text)
    .addPrimaryKeyConstraint('alert_events_pk', ['alert_id', 'type', 'at'])
    .execute()
  await db.schema.createTable('alert_silences')
    .addColumn('id', text, c => c.primaryKey())
    .addColumn('doc', text, c => c.notNull())
    .addColumn('ends_at', text, c => c.notNull())
    .execute()
  await db.schema.createTable('alert_engine_state')
    .addColumn('id', text, c => c.primaryKey())
    .addColumn('state', text, c => c.notNull())
    .addColumn('saved_at', text, c => c.notNull())
    .execute()
  await db.schema.createTable('alert_notifications')
    .addColumn('alert_id', text, c => c.notNull())
    .addColumn('type', text, c => c.notNull())
    .addColumn('group_key', text, c => c.notNull())
    .addColumn('created_at', text, c => c.notNull())
    /** The batch that took it (one delivery per group and batch); null while waiting. */
    .addColumn('batch', text)
    .addColumn('sent_at', text)
    .addColumn('outcome', text)
    .addPrimaryKeyConstraint('alert_notifications_pk', ['alert_id', 'type'])
    .execute()
  await db.schema.createIndex('alert_notifications_waiting').on('alert_notifications').columns(['batch', 'group_key']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['alert_notifications', 'alert_engine_state', 'alert_silences', 'alert_events', 'alerts', 'alert_rule_sets'])
    await db.schema.dropTable(table).ifExists().execute()
}
