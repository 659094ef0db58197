import type { Kysely, Transaction } from 'kysely'
import type { WallLayout, WallLayoutSettings, WallLayoutVersion } from '@shared/schemas/wall'
import { DEFAULT_WALL_LAYOUT, DEFAULT_WALL_LAYOUT_ID, readStoredWallLayout, storedWallLayout } from '@shared/schemas/wall'
import { appendAudit } from './audit.repository'
import type { AuditRecord, WallLayoutAuthor, WallLayoutRepository } from './repositories'
import type { Database } from './schema'

type Row = Database['wall_layouts']

/** A save over a version that is no longer the current one: the editor must start again from `current`. */
export class WallLayoutConflict extends Error {
  constructor(readonly id: string, readonly expectedVersion: number, readonly current: WallLayout | null) {
    super(current
      ? `wall layout ${id} is at version ${current.version} (saved by ${current.updatedBy} at ${current.updatedAt}), not ${expectedVersion}`
      : `wall layout ${id} does not exist (expected version ${expectedVersion})`)
  }
}

const versionOf = (r: Row): WallLayoutVersion => ({
  ...readStoredWallLayout(r.name, r.doc),
  id: r.id,
  version: Number(r.version),
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
  deleted: Number(r.deleted) === 1,
})

const layoutOf = (r: Row): WallLayout => {
  const { deleted: _deleted, ...layout } = versionOf(r)
  return layout
}

const newest = (db: Kysely<Database> | Transaction<Database>, id: string): Promise<Row | undefined> =>
  db.selectFrom('wall_layouts').selectAll().where('id', '=', id).orderBy('version', 'desc').limit(1).executeTakeFirst()

export function createWallLayoutRepository(db: Kysely<Database>, auditKey: Buffer): WallLayoutRepository {
  const current = async (id: string): Promise<WallLayout | undefined> => {
    const row = await newest(db, id)
    return row && Number(row.deleted) === 0 ? layoutOf(row) : undefined
  }

  /**
   * Adds the version after the newest, in one transaction with its audit
   * entry. Two writers that read the same newest version both try to add
   * the same (id, version): the key lets one in and fails the other, which
   * becomes a conflict below — on PostgreSQL's pool as on SQLite.
   */
  const append = async (id: string, settings: WallLayoutSettings, deleted: boolean, author: WallLayoutAuthor, check: (held: WallLayout | null) => void, audit: (before: WallLayout | null, after: WallLayout) => AuditRecord | null): Promise<WallLayout> => {
    return db.transaction().execute(async (trx) => {
      const held = await newest(trx, id)
      const live = held && Number(held.deleted) === 0 ? layoutOf(held) : null
      check(live)
      const row: Row = {
        id,
        version: (held ? Number(held.version) : 0) + 1,
        name: settings.name,
        doc: storedWallLayout(settings),
        deleted: deleted ? 1 : 0,
        updated_at: author.at,
        updated_by: author.by,
      }
      await trx.insertInto('wall_layouts').values(row).execute()
      const after = layoutOf(row)
      const record = audit(live, after)
      if (record)
        await appendAudit(trx, auditKey, record)
      return after
    })
  }

  return {
    async list() {
      const rows = await db.selectFrom('wall_layouts as w').selectAll()
        .where('w.version', '=', eb => eb.selectFrom('wall_layouts as v').select(e => e.fn.max('v.version').as('top')).whereRef('v.id', '=', 'w.id'))
        .where('w.deleted', '=', 0)
        .orderBy('w.id')
        .execute()
      return rows.map(layoutOf)
    },
    get: current,
    async versions(id) {
      return (await db.selectFrom('wall_layouts').selectAll().where('id', '=', id).orderBy('version', 'desc').execute()).map(versionOf)
    },
    async save(id, settings, expectedVersion, author, audit) {
      try {
        return await append(id, settings, false, author, (live) => {
          if ((live?.version ?? 0) !== expectedVersion)
            throw new WallLayoutConflict(id, expectedVersion, live)
        }, audit)
      }
      catch (err) {
        if (err instanceof WallLayoutConflict)
          throw err
        // A concurrent save took this version first (the key refused ours).
        const now = await current(id).catch(() => undefined)
        if ((now?.version ?? 0) !== expectedVersion)
          throw new WallLayoutConflict(id, expectedVersion, now ?? null)
        throw err
      }
    },
    async remove(id, author, audit) {
      const held = await current(id)
      if (!held)
        return undefined
      const { id: _id, version, updatedAt: _at, updatedBy: _by, ...settings } = held
      await append(id, settings, true, author, (live) => {
        if (live?.version !== version)
          throw new WallLayoutConflict(id, version, live)
      }, before => (before ? audit(before) : null))
      return held
    },
  }
}

/**
 * The default preset, made at first start like the first administrator
 * (server/auth/first-run.ts). Another node starting at the same moment may
 * have made it: its conflict is left as it is.
 */
export async function seedDefaultWallLayout(repo: WallLayoutRepository, at: string): Promise<WallLayout | undefined> {
  if ((await repo.versions(DEFAULT_WALL_LAYOUT_ID)).length > 0)
    return undefined
  try {
    return await repo.save(DEFAULT_WALL_LAYOUT_ID, DEFAULT_WALL_LAYOUT, 0, { at, by: 'system' }, (_before, after) => ({
      at, actor: null, clientIp: null, action: 'wall-layout.create', targetType: 'wall-layout', targetId: after.id, outcome: 'ok', before: null, after,
    }))
  }
  catch (err) {
    if (err instanceof WallLayoutConflict)
      return undefined
    throw err
  }
}
