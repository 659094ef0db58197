import type { Kysely, Transaction } from 'kysely'
import type { Alert, AlertEvent, AlertListQuery } from '@shared/schemas/alerts'
import { ALERT_EVENT_TYPES, AlertDomain, AlertEventType, AlertSeverity, AlertStatus } from '@shared/schemas/alerts'
import { AlertRuleSet, AlertSilence } from '@shared/schemas/alert-rules'
import { appendAudit } from './audit.repository'
import type { AlertRepository, NotificationBatch } from './repositories'
import type { Database } from './schema'

type AlertRow = Database['alerts']
type Db = Kysely<Database> | Transaction<Database>

/** A rules save over a revision that is no longer the newest: the editor starts again from `current`. */
export class AlertRulesConflict extends Error {
  constructor(readonly expectedRevision: number, readonly current: AlertRuleSet | undefined) {
    super(current
      ? `the alert rules are at revision ${current.revision} (saved by ${current.updatedBy ?? '?'} at ${current.updatedAt ?? '?'}), not ${expectedRevision}`
      : `no alert rules are saved yet (expected revision ${expectedRevision})`)
  }
}

/** Instants as the tables keep them (UTC, milliseconds), so that text order is time order. */
const utc = (instant: string): string => new Date(instant).toISOString()

const rowOf = (a: Alert): AlertRow => ({
  id: a.id,
  rule_id: a.ruleId,
  entity_id: a.entityId,
  domain: a.domain,
  severity: a.severity,
  status: a.status,
  title: a.title,
  town_code: a.townCode,
  group_key: a.groupKey,
  value: a.value,
  raised_at: utc(a.raisedAt),
  updated_at: utc(a.updatedAt),
  acknowledged_by: a.acknowledgedBy,
  acknowledged_at: a.acknowledgedAt && utc(a.acknowledgedAt),
  resolved_at: a.resolvedAt && utc(a.resolvedAt),
  escalation_level: a.escalationLevel,
  muted: a.muted ? 1 : 0,
  work_order_id: a.workOrderId,
  drill_id: a.drillId ?? null,
})

export const alertOf = (r: AlertRow): Alert => ({
  id: r.id,
  ruleId: r.rule_id,
  entityId: r.entity_id,
  domain: AlertDomain.parse(r.domain),
  severity: AlertSeverity.parse(r.severity),
  status: AlertStatus.parse(r.status),
  title: r.title,
  townCode: r.town_code,
  groupKey: r.group_key,
  value: r.value === null ? null : Number(r.value),
  raisedAt: r.raised_at,
  updatedAt: r.updated_at,
  acknowledgedBy: r.acknowledged_by,
  acknowledgedAt: r.acknowledged_at,
  resolvedAt: r.resolved_at,
  escalationLevel: Number(r.escalation_level),
  muted: Number(r.muted) === 1,
  workOrderId: r.work_order_id,
  ...(r.drill_id ? { drillId: r.drill_id } : {}),
})

const newestRules = async (db: Db): Promise<AlertRuleSet | undefined> => {
  const row = await db.selectFrom('alert_rule_sets').selectAll().orderBy('revision', 'desc').limit(1).executeTakeFirst()
  return row && AlertRuleSet.parse(JSON.parse(row.doc))
}

export function createAlertRepository(db: Kysely<Database>, auditKey: Buffer): AlertRepository {
  const byStatus = (q: AlertListQuery) => {
    let query = db.selectFrom('alerts')
    if (q.status === 'active')
      query = query.where('status', '<>', 'resolved')
    else if (q.status !== 'all')
      query = query.where('status', '=', q.status)
    if (q.severity)
      query = query.where('severity', '=', q.severity)
    if (q.domain)
      query = query.where('domain', '=', q.domain)
    if (q.town)
      query = query.where('town_code', '=', q.town)
    if (q.ruleId)
      query = query.where('rule_id', '=', q.ruleId)
    if (q.from)
      query = query.where('raised_at', '>=', utc(q.from))
    if (q.to)
      query = query.where('raised_at', '<', utc(q.to))
    return query
  }

  /** The active row of the same rule and entity, when there is one with another id. */
  const heldInstead = async (trx: Transaction<Database>, a: Alert): Promise<Alert | undefined> => {
    const row = await trx.selectFrom('alerts').selectAll()
      .where('rule_id', '=', a.ruleId).where('entity_id', '=', a.entityId).where('status', '<>', 'resolved')
      .executeTakeFirst()
    return row && row.id !== a.id ? alertOf(row) : undefined
  }

  return {
    rules: () => newestRules(db),

    async revisions() {
      const rows = await db.selectFrom('alert_rule_sets').selectAll().orderBy('revision', 'desc').limit(100).execute()
      return rows.map(r => ({ revision: Number(r.revision), updatedAt: r.updated_at, updatedBy: r.updated_by, rules: (JSON.parse(r.doc) as { rules: unknown[] }).rules.length }))
    },

    async saveRules(set, expectedRevision, author, audit) {
      const saved = AlertRuleSet.parse({ ...set, revision: expectedRevision + 1, updatedAt: author.at, updatedBy: author.by })
      try {
        return await db.transaction().execute(async (trx) => {
          const held = await newestRules(trx)
          if ((held?.revision ?? 0) !== expectedRevision)
            throw new AlertRulesConflict(expectedRevision, held)
          await trx.insertInto('alert_rule_sets').values({ revision: saved.revision, doc: JSON.stringify(saved), updated_at: author.at, updated_by: author.by }).execute()
          if (audit)
            await appendAudit(trx, auditKey, audit)
          return saved
        })
      }
      catch (err) {
        if (err instanceof AlertRulesConflict)
          throw err
        // A concurrent save took this revision first (the key refused ours).
        const now = await newestRules(db).catch(() => undefined)
        if ((now?.revision ?? 0) !== expectedRevision)
          throw new AlertRulesConflict(expectedRevision, now)
        throw err
      }
    },

    async write(change) {
      const adopted = new Map<string, Alert>()
      await db.transaction().execute(async (trx) => {
        for (const a of change.raised ?? []) {
          const result = await trx.insertInto('alerts').values(rowOf(a)).onConflict(oc => oc.doNothing()).executeTakeFirst()
          if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) {
            const held = await heldInstead(trx, a)
            if (held)
              adopted.set(a.id, held)
          }
        }
        for (const a of change.updated ?? []) {
          const { id, raised_at: _raised, ...fields } = rowOf(a)
          await trx.updateTable('alerts').set(fields).where('id', '=', id).execute()
        }
        const renamed = (id: string): string => adopted.get(id)?.id ?? id
        for (const e of change.events ?? [])
          await trx.insertInto('alert_events').values({ alert_id: renamed(e.alertId), type: e.type, at: utc(e.at), by: e.by, detail: e.detail }).onConflict(oc => oc.doNothing()).execute()
        for (const n of change.notifications ?? []) {
          await trx.insertInto('alert_notifications').values({ alert_id: renamed(n.alertId), type: n.type, group_key: n.groupKey, created_at: utc(n.at), batch: null, sent_at: null, outcome: null })
            .onConflict(oc => oc.doNothing()).execute()
        }
        if (change.engineState) {
          const { json, savedAt } = change.engineState
          await trx.insertInto('alert_engine_state').values({ id: 'engine', state: json, saved_at: savedAt })
            .onConflict(oc => oc.column('id').doUpdateSet({ state: json, saved_at: savedAt })).execute()
        }
        for (const record of change.audit ?? [])
          await appendAudit(trx, auditKey, record)
      })
      return adopted
    },

    async active() {
      return (await db.selectFrom('alerts').selectAll().where('status', '<>', 'resolved').orderBy('raised_at', 'desc').execute()).map(alertOf)
    },

    async list(q) {
      const [count, rows] = await Promise.all([
        byStatus(q).select(eb => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
        byStatus(q).selectAll().orderBy('raised_at', 'desc').orderBy('id').limit(q.limit).execute(),
      ])
      return { total: Number(count.n), alerts: rows.map(alertOf) }
    },

    async get(id) {
      const row = await db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst()
      return row && alertOf(row)
    },

    async events(alertId) {
      const rows = await db.selectFrom('alert_events').selectAll().where('alert_id', '=', alertId).orderBy('at').execute()
      // Events of one instant in the order they can happen (an alert acknowledged the moment it was raised).
      const rank = (type: string): number => ALERT_EVENT_TYPES.indexOf(type as AlertEvent['type'])
      return rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : rank(a.type) - rank(b.type)))
        .map((r): AlertEvent => ({ alertId: r.alert_id, type: AlertEventType.parse(r.type), at: r.at, by: r.by, detail: r.detail }))
    },

    async silences(now) {
      const rows = await db.selectFrom('alert_silences').selectAll().where('ends_at', '>', utc(now)).orderBy('ends_at').execute()
      return rows.map(r => AlertSilence.parse(JSON.parse(r.doc)))
    },

    async saveSilence(silence, audit) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('alert_silences').values({ id: silence.id, doc: JSON.stringify(silence), ends_at: utc(silence.endsAt) })
          .onConflict(oc => oc.column('id').doUpdateSet({ doc: JSON.stringify(silence), ends_at: utc(silence.endsAt) })).execute()
        if (audit)
          await appendAudit(trx, auditKey, audit)
      })
    },

    async engineState() {
      return (await db.selectFrom('alert_engine_state').select('state').where('id', '=', 'engine').executeTakeFirst())?.state
    },

    async claimNotifications(batch, upTo) {
      // One statement: on either database a row goes to exactly one batch, however many nodes claim at once.
      await db.updateTable('alert_notifications').set({ batch }).where('batch', 'is', null).where('created_at', '<=', utc(upTo)).execute()
      const rows = await db.selectFrom('alert_notifications as n').innerJoin('alerts as a', 'a.id', 'n.alert_id')
        .selectAll('a').select(['n.type as notification_type', 'n.group_key as notification_group'])
        .where('n.batch', '=', batch).orderBy('n.created_at').execute()
      const groups = new Map<string, NotificationBatch>()
      for (const r of rows) {
        let group = groups.get(r.notification_group)
        if (!group)
          groups.set(r.notification_group, group = { groupKey: r.notification_group, alerts: [], types: [] })
        group.alerts.push(alertOf(r))
        group.types.push(r.notification_type)
      }
      return [...groups.values()]
    },

    async markSent(batch, groupKey, outcome, at) {
      await db.updateTable('alert_notifications').set({ sent_at: utc(at), outcome }).where('batch', '=', batch).where('group_key', '=', groupKey).execute()
    },
  }
}
