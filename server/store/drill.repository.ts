import type { Kysely } from 'kysely'
import type { AlertEvent } from '@shared/schemas/alerts'
import { AlertEventType } from '@shared/schemas/alerts'
import type { Drill, DrillSummary } from '@shared/schemas/drills'
import type { WorkOrder, WorkOrderEvent } from '@shared/schemas/work-orders'
import { alertOf } from './alert.repository'
import { appendAudit } from './audit.repository'
import type { AuditRecord } from './repositories'
import type { Database } from './schema'

/** A drill's own rows: what its after-action summary is made of. */
export interface DrillRows {
  alerts: ReturnType<typeof alertOf>[]
  alertEvents: AlertEvent[]
  orders: WorkOrder[]
  orderEvents: WorkOrderEvent[]
}

export interface DrillRepository {
  /** Records a drill just started, with its audit entry. */
  create: (drill: Drill, audit: AuditRecord) => Promise<void>
  /** Ends a running drill and keeps its summary; undefined when it is not running (ended already, or unknown). */
  end: (ended: Drill, summary: DrillSummary, audit: AuditRecord) => Promise<Drill | undefined>
  get: (id: string) => Promise<{ drill: Drill, summary: DrillSummary | null } | undefined>
  /** Newest first. */
  list: (limit: number) => Promise<Drill[]>
  running: () => Promise<Drill[]>
  rows: (id: string) => Promise<DrillRows>
}

const drillOf = (row: { doc: string }): Drill => JSON.parse(row.doc) as Drill

/** Drills over any Kysely dialect. */
export function createDrillRepository(db: Kysely<Database>, auditKey: Buffer): DrillRepository {
  return {
    async create(drill, audit) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('drills').values({ id: drill.id, status: drill.status, started_at: drill.startedAt, ends_at: drill.endsAt, ended_at: null, doc: JSON.stringify(drill), summary: null }).execute()
        await appendAudit(trx, auditKey, audit)
      })
    },

    async end(ended, summary, audit) {
      return db.transaction().execute(async (trx) => {
        // Only a running drill ends: two nodes or a timer and a person ending it at once end it once.
        const updated = await trx.updateTable('drills')
          .set({ status: 'ended', ended_at: ended.endedAt, doc: JSON.stringify(ended), summary: JSON.stringify(summary) })
          .where('id', '=', ended.id).where('status', '=', 'running').executeTakeFirst()
        if (Number(updated.numUpdatedRows) === 0)
          return undefined
        await appendAudit(trx, auditKey, audit)
        return ended
      })
    },

    async get(id) {
      const row = await db.selectFrom('drills').select(['doc', 'summary']).where('id', '=', id).executeTakeFirst()
      return row && { drill: drillOf(row), summary: row.summary ? JSON.parse(row.summary) as DrillSummary : null }
    },

    async list(limit) {
      return (await db.selectFrom('drills').select('doc').orderBy('started_at', 'desc').orderBy('id').limit(limit).execute()).map(drillOf)
    },

    async running() {
      return (await db.selectFrom('drills').select('doc').where('status', '=', 'running').orderBy('started_at').execute()).map(drillOf)
    },

    async rows(id) {
      const [alertRows, orderRows] = await Promise.all([
        db.selectFrom('alerts').selectAll().where('drill_id', '=', id).execute(),
        db.selectFrom('work_orders').select('doc').where('drill_id', '=', id).execute(),
      ])
      const alerts = alertRows.map(alertOf)
      const alertIds = alerts.map(a => a.id)
      const orders = orderRows.map(r => JSON.parse(r.doc) as WorkOrder)
      const orderIds = orders.map(o => o.id)
      const [alertEventRows, orderEventRows] = await Promise.all([
        alertIds.length > 0 ? db.selectFrom('alert_events').selectAll().where('alert_id', 'in', alertIds).execute() : [],
        orderIds.length > 0 ? db.selectFrom('work_order_events').select('event').where('order_id', 'in', orderIds).orderBy('order_id').orderBy('seq').execute() : [],
      ])
      return {
        alerts,
        alertEvents: alertEventRows.map((r): AlertEvent => ({ alertId: r.alert_id, type: AlertEventType.parse(r.type), at: r.at, by: r.by, detail: r.detail })),
        orders,
        orderEvents: orderEventRows.map(r => JSON.parse(r.event) as WorkOrderEvent),
      }
    },
  }
}
