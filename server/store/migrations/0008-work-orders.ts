import type { Kysely } from 'kysely'
import { dialectOf, textType } from '../dialect'

/**
 * Work orders (issue 8): one per incident, under its id. The order itself is
 * a JSON document, with the columns the queue filters and the KPIs count on
 * beside it. Its timeline is append-only, numbered per order. A command is
 * kept under its idempotency key with the answer it got, in the transaction
 * that applied it, so a retry is answered the same and applied once. A
 * deadline event is fired once per order, kind and deadline: the key of a
 * row in work_order_deadlines.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const text = textType(dialectOf(db))
  await db.schema.createTable('work_orders')
    .addColumn('id', text, c => c.primaryKey())
    .addColumn('state', text, c => c.notNull())
    .addColumn('version', 'integer', c => c.notNull())
    .addColumn('department_id', text, c => c.notNull())
    /** `,dept-a,dept-b,`: assisting departments, for a department's inbox. */
    .addColumn('assisting', text, c => c.notNull())
    .addColumn('town_code', text)
    .addColumn('topic', text, c => c.notNull())
    .addColumn('nature', text, c => c.notNull())
    .addColumn('priority', text, c => c.notNull())
    .addColumn('supervision', 'integer', c => c.notNull())
    .addColumn('accepted_at', text, c => c.notNull())
    .addColumn('dispatched_at', text)
    .addColumn('signed_at', text)
    .addColumn('replied_at', text)
    .addColumn('closed_at', text)
    .addColumn('sign_due_at', text)
    .addColumn('handle_due_at', text, c => c.notNull())
    .addColumn('updated_at', text, c => c.notNull())
    /** Timeline entries so far: the next one is numbered event_count + 1. */
    .addColumn('event_count', 'integer', c => c.notNull())
    .addColumn('doc', text, c => c.notNull())
    .execute()
  await db.schema.createIndex('work_orders_state').on('work_orders').columns(['state', 'accepted_at']).execute()
  await db.schema.createIndex('work_orders_department').on('work_orders').columns(['department_id', 'state']).execute()
  await db.schema.createIndex('work_orders_closed').on('work_orders').column('closed_at').execute()
  await db.schema.createIndex('work_orders_dispatched').on('work_orders').column('dispatched_at').execute()
  await db.schema.createTable('work_order_events')
    .addColumn('order_id', text, c => c.notNull())
    .addColumn('seq', 'integer', c => c.notNull())
    .addColumn('at', text, c => c.notNull())
    .addColumn('action', text, c => c.notNull())
    .addColumn('event', text, c => c.notNull())
    .addPrimaryKeyConstraint('work_order_events_pk', ['order_id', 'seq'])
    .execute()
  await db.schema.createIndex('work_order_events_at').on('work_order_events').columns(['action', 'at']).execute()
  await db.schema.createTable('work_order_commands')
    .addColumn('command_id', text, c => c.primaryKey())
    .addColumn('order_id', text, c => c.notNull())
    .addColumn('actor_id', text, c => c.notNull())
    .addColumn('action', text, c => c.notNull())
    .addColumn('at', text, c => c.notNull())
    /** WorkOrderCommandAnswer as JSON: what a repeat is answered. */
    .addColumn('answer', text, c => c.notNull())
    .execute()
  await db.schema.createTable('work_order_deadlines')
    .addColumn('order_id', text, c => c.notNull())
    .addColumn('mark', text, c => c.notNull())
    .addColumn('due_at', text, c => c.notNull())
    .addColumn('fired_at', text, c => c.notNull())
    .addPrimaryKeyConstraint('work_order_deadlines_pk', ['order_id', 'mark', 'due_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['work_order_deadlines', 'work_order_commands', 'work_order_events', 'work_orders'])
    await db.schema.dropTable(table).ifExists().execute()
}
