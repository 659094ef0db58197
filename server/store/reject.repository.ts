import type { Kysely } from 'kysely'
import type { RecordKind, RejectCode } from '@shared/schemas/feeds'
import type { RejectedRecord, RejectReason, RejectRepository } from './repositories'
import type { Database } from './schema'

/**
 * PostgreSQL text cannot hold NUL, and a dead-letter write must not fail on
 * the very garbage it exists to keep; both dialects store the same stand-in.
 * `raw_sha256` still identifies the payload as received.
 */
const NUL_SHOWN_AS = '\uFFFD'

export function createRejectRepository(db: Kysely<Database>): RejectRepository {
  return {
    async add(records) {
      if (records.length === 0)
        return
      await db.insertInto('rejected_records').values(records.map(r => ({
        source: r.source,
        kind: r.kind,
        code: r.code,
        received_at: r.receivedAt,
        reasons: JSON.stringify(r.reasons),
        raw: r.raw.replaceAll('\u0000', NUL_SHOWN_AS),
        raw_sha256: r.rawSha256,
      }))).execute()
    },

    async list({ limit, source, kind }): Promise<RejectedRecord[]> {
      let query = db.selectFrom('rejected_records').selectAll().orderBy('id', 'desc').limit(limit)
      if (source !== undefined)
        query = query.where('source', '=', source)
      if (kind !== undefined)
        query = query.where('kind', '=', kind)
      const rows = await query.execute()
      return rows.map(r => ({
        id: r.id,
        source: r.source,
        kind: r.kind as RecordKind | null,
        code: r.code as RejectCode,
        receivedAt: r.received_at,
        reasons: JSON.parse(r.reasons) as RejectReason[],
        raw: r.raw,
        rawSha256: r.raw_sha256,
      }))
    },

    async count({ source, kind } = {}) {
      let query = db.selectFrom('rejected_records').select(eb => eb.fn.countAll<number>().as('n'))
      if (source !== undefined)
        query = query.where('source', '=', source)
      if (kind !== undefined)
        query = query.where('kind', '=', kind)
      const row = await query.executeTakeFirst()
      return Number(row?.n ?? 0)
    },

    async prune(before) {
      await db.deleteFrom('rejected_records').where('received_at', '<', before).execute()
    },
  }
}
