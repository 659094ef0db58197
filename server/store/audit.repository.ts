import type { Kysely, Transaction } from 'kysely'
import { sql } from 'kysely'
import type { AuditEntry, AuditQuery } from '@shared/schemas/auth'
import type { AuditRow, ChainVerdict } from '@server/auth/audit-chain'
import { auditHash, ChainVerifier } from '@server/auth/audit-chain'
import type { AuditRecord, AuditRepository } from './repositories'
import type { Database } from './schema'

const VERIFY_PAGE = 2000

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value))

/**
 * Appends one entry inside the caller's transaction, so that it commits or
 * rolls back with the change it records. The head is bumped first: on
 * PostgreSQL its row lock makes concurrent writers take their turns, so no
 * two entries can claim the same place in the chain.
 */
export async function appendAudit(trx: Transaction<Database>, key: Buffer, record: AuditRecord): Promise<AuditRow> {
  const head = await trx.updateTable('audit_head').set({ seq: sql<number>`seq + 1` }).where('id', '=', 1)
    .returning(['seq', 'hash']).executeTakeFirstOrThrow()
  const unsealed: Omit<AuditRow, 'hash'> = {
    seq: Number(head.seq),
    at: record.at,
    actor_id: record.actor?.id ?? null,
    actor_name: record.actor?.name ?? null,
    actor_roles: JSON.stringify(record.actor?.roles ?? []),
    actor_department: record.actor?.departmentId ?? null,
    client_ip: record.clientIp,
    action: record.action,
    target_type: record.targetType ?? null,
    target_id: record.targetId ?? null,
    outcome: record.outcome,
    before_json: json(record.before),
    after_json: json(record.after),
    prev_hash: head.hash,
  }
  const row: AuditRow = { ...unsealed, hash: auditHash(key, unsealed) }
  await trx.insertInto('audit_log').values(row).execute()
  await trx.updateTable('audit_head').set({ hash: row.hash }).where('id', '=', 1).execute()
  return row
}

export function auditEntry(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    actorRoles: JSON.parse(row.actor_roles) as string[],
    actorDepartment: row.actor_department,
    clientIp: row.client_ip,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    outcome: row.outcome as AuditEntry['outcome'],
    before: row.before_json === null ? null : JSON.parse(row.before_json) as unknown,
    after: row.after_json === null ? null : JSON.parse(row.after_json) as unknown,
    prevHash: row.prev_hash,
    hash: row.hash,
  }
}

export function createAuditRepository(db: Kysely<Database>, key: Buffer): AuditRepository {
  return {
    async append(record) {
      return auditEntry(await db.transaction().execute(trx => appendAudit(trx, key, record)))
    },

    async list(q: AuditQuery) {
      let query = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(q.limit)
      if (q.before !== undefined)
        query = query.where('seq', '<', q.before)
      if (q.action)
        query = query.where('action', '=', q.action)
      if (q.actor)
        query = query.where(eb => eb.or([eb('actor_name', '=', q.actor ?? ''), eb('actor_id', '=', q.actor ?? '')]))
      if (q.targetId)
        query = query.where('target_id', '=', q.targetId)
      if (q.from)
        query = query.where('at', '>=', new Date(q.from).toISOString())
      if (q.to)
        query = query.where('at', '<', new Date(q.to).toISOString())
      return (await query.execute()).map(auditEntry)
    },

    async verify(): Promise<ChainVerdict> {
      const verifier = new ChainVerifier(key)
      // One snapshot for the whole walk: entries appended meanwhile neither tear a page nor move the head under it.
      // PostgreSQL needs REPEATABLE READ for that (READ COMMITTED takes a new snapshot per statement); SQLite's
      // read transaction holds one snapshot anyway.
      return db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
        let after = 0
        for (;;) {
          const page = await trx.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(VERIFY_PAGE).execute()
          let going = true
          for (const row of page) {
            going = verifier.next({ ...row, seq: Number(row.seq) })
            if (!going)
              break
          }
          if (!going || page.length < VERIFY_PAGE)
            break
          after = Number(page.at(-1)?.seq)
        }
        const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow()
        return verifier.finish({ seq: Number(head.seq), hash: head.hash })
      })
    },
  }
}
