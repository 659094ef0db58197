import type { Kysely } from 'kysely'
import type { RejectedRecord, RejectReason, RejectRepository } from './repositories'
import type { Database } from './schema'

export function createRejectRepository(db: Kysely<Database>): RejectRepository {
  return {
    async add(record) {
      await db.insertInto('rejected_records').values({
        source: record.source,
        received_at: record.receivedAt,
        reasons: JSON.stringify(record.reasons),
        raw: record.raw,
      }).execute()
    },

    async list(limit: number): Promise<RejectedRecord[]> {
      const rows = await db.selectFrom('rejected_records').selectAll().orderBy('id', 'desc').limit(limit).execute()
      return rows.map(r => ({
        id: r.id,
        source: r.source,
        receivedAt: r.received_at,
        reasons: JSON.parse(r.reasons) as RejectReason[],
        raw: r.raw,
      }))
    },

    async count() {
      const row = await db.selectFrom('rejected_records').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirst()
      return Number(row?.n ?? 0)
    },
  }
}
