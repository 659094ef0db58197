import type { Kysely } from 'kysely'
import type { AlertEvent } from '@shared/schemas/alerts'
import { AlertEventType } from '@shared/schemas/alerts'
import type { Incident, IncidentReport } from '@shared/schemas/incidents'
import type { WorkOrder, WorkOrderEvent } from '@shared/schemas/work-orders'
import { withHandling } from '@shared/dispatch/handled'
import type { Database } from '@server/store/schema'

/** One version of an incident as it arrived. */
export interface ReplayIncidentVersion { incidentId: string, version: string, receivedAt: string, report: IncidentReport }

/** What a replay of [from, to) needs of the durable events, read in a few statements. */
export interface ReplayEvents {
  /** Each incident that may show in the window, as it is now (with its order). */
  incidents: Incident[]
  /** Their versions. */
  versions: ReplayIncidentVersion[]
  /** Their orders' timeline entries before `to`. */
  orderEvents: WorkOrderEvent[]
  /** Ids of the alerts active at some instant of the window. */
  alertIds: string[]
  /** Their events before `to`. */
  alertEvents: AlertEvent[]
}

export interface ReplayReader {
  events: (q: { from: string, to: string }) => Promise<ReplayEvents>
}

/**
 * Closed incidents stay on the live wall a day after their report and their
 * closures count for today (server/live/incident-state.ts): an incident
 * closed this long before the window may still be on the wall at its start.
 */
const CLOSED_LOOKBACK_MS = 25 * 3_600_000

/**
 * The store reader of the replay (server/replay/replay.builder.ts folds what
 * it returns). Instants compare as text: the tables keep them as UTC ISO.
 */
export function createReplayReader(db: Kysely<Database>): ReplayReader {
  return {
    async events({ from, to }) {
      const closedSince = new Date(Date.parse(from) - CLOSED_LOOKBACK_MS).toISOString()
      // Reported before the window's end, and open now or closed (by upstream or by its order) recently enough to matter.
      const shown = db.selectFrom('incidents').select('incidents.id')
        .where('incidents.reported_at', '<', to)
        .where(eb => eb.or([
          eb('incidents.status', '=', 'open'),
          eb('incidents.version', '>=', closedSince),
          eb.exists(eb.selectFrom('work_orders').select('work_orders.id').whereRef('work_orders.id', '=', 'incidents.id').where('work_orders.closed_at', '>=', closedSince)),
        ]))
      const [incidents, versions, orderEvents, alerts] = await Promise.all([
        db.selectFrom('incidents').leftJoin('work_orders', 'work_orders.id', 'incidents.id')
          .select(['incidents.incident', 'work_orders.doc']).where('incidents.id', 'in', shown).orderBy('incidents.id').execute(),
        // Every version: which came by `to` is decided on the version's own time (see replay.project.ts), which may carry any offset.
        db.selectFrom('incident_versions').select(['incident_id', 'version', 'received_at', 'report'])
          .where('incident_id', 'in', shown)
          .orderBy('incident_id').orderBy('version').orderBy('received_at').execute(),
        db.selectFrom('work_order_events').select('event')
          .where('order_id', 'in', shown).where('at', '<', to)
          .orderBy('order_id').orderBy('seq').execute(),
        db.selectFrom('alerts').select('id')
          .where('raised_at', '<', to)
          .where(eb => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', from)]))
          .orderBy('id').execute(),
      ])
      const alertIds = alerts.map(a => a.id)
      const alertEvents = alertIds.length === 0
        ? []
        : await db.selectFrom('alert_events').select(['alert_id', 'type', 'at', 'by', 'detail'])
          .where('alert_id', 'in', db.selectFrom('alerts').select('id').where('raised_at', '<', to).where(eb => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', from)])))
          .where('at', '<', to)
          .orderBy('alert_id').orderBy('at').orderBy('type').execute()
      return {
        incidents: incidents.map(r => withHandling(JSON.parse(r.incident) as Incident, r.doc ? JSON.parse(r.doc) as WorkOrder : undefined)),
        versions: versions.map(v => ({ incidentId: v.incident_id, version: v.version, receivedAt: v.received_at, report: JSON.parse(v.report) as IncidentReport })),
        orderEvents: orderEvents.map(r => JSON.parse(r.event) as WorkOrderEvent),
        alertIds,
        alertEvents: alertEvents.map(r => ({ alertId: r.alert_id, type: AlertEventType.parse(r.type), at: r.at, by: r.by, detail: r.detail })),
      }
    },
  }
}
