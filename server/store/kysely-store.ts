import type { Kysely } from 'kysely'
import { Migrator } from 'kysely'
import { randomBytes } from 'node:crypto'
import { createAirRepository } from './air.repository'
import { createAlertRepository } from './alert.repository'
import { createAuditRepository } from './audit.repository'
import { createAuthRepository } from './auth.repository'
import { createDrillRepository } from './drill.repository'
import { createIncidentRepository } from './incident.repository'
import { migrationProvider } from './migrations'
import { createRejectRepository } from './reject.repository'
import { createReviewRepository } from './review.repository'
import { createReplayReader } from '@server/replay/replay.reader'
import type { Store } from './repositories'
import type { Database } from './schema'
import { createHistoryRepository, createTelemetryRepository } from './telemetry.repository'
import { createWallLayoutRepository } from './wall-layout.repository'
import { createWorkOrderRepository } from './work-order.repository'

/**
 * Brings a database to the newest schema; throws with the failing migration's
 * name. `migrationTableSchema` names the PostgreSQL schema of kysely's own
 * bookkeeping tables: without it kysely counts a `kysely_migration` table in
 * any schema of the database as ours.
 */
export async function migrate(db: Kysely<Database>, migrationTableSchema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider, ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }) })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find(r => r.status === 'Error')
  if (error)
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error })
}

export interface StoreOptions {
  /**
   * The key of the audit chain's HMAC (server/auth/secrets.ts). The server
   * always passes its own; without one (tests) a random key is made for this
   * open of the store, and the chain verifies only while it stays open.
   */
  auditKey?: Buffer
}

/** The repositories over one migrated database, whatever its dialect; `close()` destroys it. */
export function storeOver(db: Kysely<Database>, options: StoreOptions = {}): Store {
  const auditKey = options.auditKey ?? randomBytes(32)
  return {
    auth: createAuthRepository(db, auditKey),
    audit: createAuditRepository(db, auditKey),
    wallLayouts: createWallLayoutRepository(db, auditKey),
    alerts: createAlertRepository(db, auditKey),
    air: createAirRepository(db),
    telemetry: createTelemetryRepository(db),
    history: createHistoryRepository(db),
    incidents: createIncidentRepository(db),
    workOrders: createWorkOrderRepository(db, auditKey),
    drills: createDrillRepository(db, auditKey),
    review: createReviewRepository(db),
    rejects: createRejectRepository(db),
    replay: createReplayReader(db),
    close: () => db.destroy(),
  }
}
