import type { Kysely } from 'kysely'
import { dialectOf, textType } from '../dialect'

/**
 * Wall layout presets (issue 6): every save is a new row keyed (id,
 * version), so the history is the table itself and a stale editor's save
 * collides on the key; a deletion is one more row marked `deleted`. The
 * settings are a JSON document whose `v` names its format (shared/schemas/wall.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const text = textType(dialectOf(db))
  await db.schema.createTable('wall_layouts')
    .addColumn('id', text, c => c.notNull())
    .addColumn('version', 'integer', c => c.notNull())
    .addColumn('name', text, c => c.notNull())
    .addColumn('doc', text, c => c.notNull())
    .addColumn('deleted', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('updated_at', text, c => c.notNull())
    .addColumn('updated_by', text, c => c.notNull())
    .addPrimaryKeyConstraint('wall_layouts_pk', ['id', 'version'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('wall_layouts').ifExists().execute()
}
