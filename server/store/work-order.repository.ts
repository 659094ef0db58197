import type { Kysely, Transaction } from 'kysely'
import type { Outcome, Transition } from '@shared/dispatch/machine'
import type { SlaMark } from '@shared/dispatch/sla'
import type { WorkOrder, WorkOrderCommandAnswer, WorkOrderEvent } from '@shared/schemas/work-orders'
import { isTerminal, TERMINAL_STATES } from '@shared/schemas/work-orders'
import { appendAudit } from './audit.repository'
import { dialectOf } from './dialect'
import type { AuditRecord } from './repositories'
import type { Database } from './schema'

type Db = Kysely<Database> | Transaction<Database>

/** A command's result as the store settled it. */
export type CommandResult =
  | { kind: 'ok', answer: WorkOrderCommandAnswer }
  | { kind: 'conflict', order: WorkOrder }
  | { kind: 'refused', code: 'state' | 'forbidden' | 'invalid', message: string, order: WorkOrder }
  | { kind: 'not_found' }
  /** The idempotency key was already used for another order or by another person. */
  | { kind: 'key_reused' }

/** What a command decides, given the order it acts on; `also` are other orders it changes (a merge's target). */
export type Decision = Outcome | (Transition & { also: Transition[] })
export type Decide = (order: WorkOrder, lock: (id: string) => Promise<WorkOrder | undefined>) => Decision | Promise<Decision>

export interface CommandInput {
  commandId: string
  orderId: string
  actorId: string
  expectedVersion: number
  decide: Decide
  /** The audit entry of the attempt: after is null when it was refused or lost to another. */
  audit: (before: WorkOrder, after: WorkOrder | null, outcome: 'ok' | 'failed', why?: string) => AuditRecord
}

export interface DeadlineInput {
  orderId: string
  mark: SlaMark
  dueAt: string
  firedAt: string
  /** Null when the order, as now locked, no longer has this deadline due (signed meanwhile, say): nothing is fired. */
  decide: (order: WorkOrder) => Transition | null
  /** Only deadlines that change the order (an overdue one raising supervision) are audited. */
  audit: (before: WorkOrder, after: WorkOrder) => AuditRecord | null
}

export interface WorkOrderRepository {
  get: (id: string) => Promise<WorkOrder | undefined>
  timeline: (id: string) => Promise<WorkOrderEvent[]>
  /** Applies a person's command once: checked, stored with its timeline entry, its key and its audit entry in one transaction. */
  command: (input: CommandInput) => Promise<CommandResult>
  /** Fires a deadline event once per order, kind and deadline; false when it had been fired (or the order moved on). */
  deadline: (input: DeadlineInput) => Promise<{ order: WorkOrder, event: WorkOrderEvent } | null>
  /** A system transition (an upstream close), without idempotency key: the machine refuses a repeat by state. */
  system: (orderId: string, decide: (order: WorkOrder) => Outcome, audit: (before: WorkOrder, after: WorkOrder) => AuditRecord) => Promise<{ order: WorkOrder, event: WorkOrderEvent } | null>
  /** Orders whose deadlines are running (dispatched, returned, in progress). */
  running: () => Promise<WorkOrder[]>
  /** Makes the orders that do not exist yet (incidents stored before work orders were), each with its `create` entry. */
  createMissing: (orders: readonly WorkOrder[]) => Promise<number>
  /** Orders dispatched, closed or still open in [from, to) or overdue now, for the dispatch KPIs; drills' orders are left out. */
  forKpis: (q: { from: string, to: string }) => Promise<WorkOrder[]>
  /** Timeline entries of these actions in [from, to), of real orders (drills' are left out). */
  eventsBetween: (q: { actions: readonly string[], from: string, to: string }) => Promise<WorkOrderEvent[]>
}

export function workOrderRow(order: WorkOrder, eventCount: number): Database['work_orders'] {
  return {
    id: order.id,
    state: order.state,
    version: order.version,
    department_id: order.departmentId,
    assisting: `,${order.assistingDepartmentIds.join(',')},`,
    town_code: order.townCode,
    topic: order.topic,
    nature: order.nature,
    priority: order.priority,
    supervision: order.supervision,
    accepted_at: order.acceptedAt,
    dispatched_at: order.dispatchedAt,
    signed_at: order.signedAt,
    replied_at: order.repliedAt,
    closed_at: order.closedAt,
    sign_due_at: order.signDueAt,
    handle_due_at: order.handleDueAt,
    updated_at: order.updatedAt,
    event_count: eventCount,
    doc: JSON.stringify(order),
    drill_id: order.drillId ?? null,
  }
}

const orderOf = (row: { doc: string }): WorkOrder => JSON.parse(row.doc) as WorkOrder

/** The order created with an incident, and its first timeline entry; inside the caller's transaction. */
export async function insertNewOrder(trx: Transaction<Database>, order: WorkOrder): Promise<boolean> {
  const inserted = await trx.insertInto('work_orders').values(workOrderRow(order, 1)).onConflict(oc => oc.doNothing()).executeTakeFirst()
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0)
    return false
  const event: WorkOrderEvent = { orderId: order.id, seq: 1, at: order.updatedAt, action: 'create', actor: { id: 'system', name: '系统', departmentId: null }, departmentId: order.departmentId, from: null, to: order.state, detail: { departmentId: order.departmentId } }
  await trx.insertInto('work_order_events').values({ order_id: order.id, seq: 1, at: event.at, action: event.action, event: JSON.stringify(event) }).execute()
  return true
}

/** Thrown inside a transaction to undo it: the order moved on between the read and the write. */
class VersionMoved extends Error {}

/** Work orders over any Kysely dialect. */
export function createWorkOrderRepository(db: Kysely<Database>, auditKey: Buffer): WorkOrderRepository {
  const postgres = dialectOf(db) === 'postgres'

  /** Reads an order for change: on PostgreSQL the row stays locked to this transaction (SQLite runs one writer at a time). */
  const lockOrder = async (trx: Transaction<Database>, id: string): Promise<{ order: WorkOrder, events: number } | undefined> => {
    let query = trx.selectFrom('work_orders').select(['doc', 'event_count']).where('id', '=', id)
    if (postgres)
      query = query.forUpdate()
    const row = await query.executeTakeFirst()
    return row && { order: orderOf(row), events: Number(row.event_count) }
  }

  /** Writes one transition: the order only where it still has the version it was read at, then its timeline entry. */
  const write = async (trx: Transaction<Database>, before: WorkOrder, events: number, t: Transition): Promise<WorkOrderEvent> => {
    const seq = events + 1
    const event: WorkOrderEvent = { ...t.event, seq }
    const updated = await trx.updateTable('work_orders').set(workOrderRow(t.order, seq))
      .where('id', '=', before.id).where('version', '=', before.version).executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1)
      throw new VersionMoved()
    await trx.insertInto('work_order_events').values({ order_id: event.orderId, seq, at: event.at, action: event.action, event: JSON.stringify(event) }).execute()
    if (isTerminal(t.order.state) && !isTerminal(before.state))
      await trx.updateTable('incidents').set({ status: 'closed' }).where('id', '=', before.id).execute()
    return event
  }

  const storedAnswer = async (trx: Db, commandId: string) =>
    trx.selectFrom('work_order_commands').select(['order_id', 'actor_id', 'answer']).where('command_id', '=', commandId).executeTakeFirst()

  const replay = (row: { order_id: string, actor_id: string, answer: string }, input: CommandInput): CommandResult =>
    row.order_id === input.orderId && row.actor_id === input.actorId
      ? { kind: 'ok', answer: { ...(JSON.parse(row.answer) as WorkOrderCommandAnswer), replayed: true } }
      : { kind: 'key_reused' }

  async function attempt(input: CommandInput): Promise<CommandResult> {
    return db.transaction().execute(async (trx) => {
      const stored = await storedAnswer(trx, input.commandId)
      if (stored)
        return replay(stored, input)
      const held = await lockOrder(trx, input.orderId)
      if (!held)
        return { kind: 'not_found' }
      // A repeat that waited on the lock behind its first try (PostgreSQL) finds that try's answer now.
      const storedMeanwhile = postgres ? await storedAnswer(trx, input.commandId) : undefined
      if (storedMeanwhile)
        return replay(storedMeanwhile, input)
      const before = held.order
      if (before.version !== input.expectedVersion) {
        await appendAudit(trx, auditKey, input.audit(before, null, 'failed', `conflict: version ${before.version}, expected ${input.expectedVersion}`))
        return { kind: 'conflict', order: before }
      }
      const others = new Map<string, { order: WorkOrder, events: number }>()
      const decision = await input.decide(before, async (id) => {
        const other = await lockOrder(trx, id)
        if (other)
          others.set(id, other)
        return other?.order
      })
      if (!decision.ok) {
        await appendAudit(trx, auditKey, input.audit(before, null, 'failed', decision.message))
        return { kind: 'refused', code: decision.code, message: decision.message, order: before }
      }
      const event = await write(trx, before, held.events, decision)
      for (const also of 'also' in decision ? decision.also : []) {
        const other = others.get(also.order.id)
        if (!other)
          throw new Error(`a command changed order ${also.order.id} without reading it first`)
        await write(trx, other.order, other.events, also)
      }
      const answer: WorkOrderCommandAnswer = { order: decision.order, event, replayed: false }
      await trx.insertInto('work_order_commands').values({ command_id: input.commandId, order_id: input.orderId, actor_id: input.actorId, action: event.action, at: event.at, answer: JSON.stringify(answer) }).execute()
      await appendAudit(trx, auditKey, input.audit(before, decision.order, 'ok'))
      return { kind: 'ok', answer }
    })
  }

  return {
    async get(id) {
      const row = await db.selectFrom('work_orders').select('doc').where('id', '=', id).executeTakeFirst()
      return row && orderOf(row)
    },

    async timeline(id) {
      const rows = await db.selectFrom('work_order_events').select('event').where('order_id', '=', id).orderBy('seq').execute()
      return rows.map(r => JSON.parse(r.event) as WorkOrderEvent)
    },

    async command(input) {
      try {
        return await attempt(input)
      }
      catch (err) {
        // Two writers read the same version (PostgreSQL, several nodes) or sent the same key at once: the
        // loser's transaction is undone, and the answer is what the winner left.
        const stored = await storedAnswer(db, input.commandId)
        if (stored)
          return replay(stored, input)
        if (!(err instanceof VersionMoved) && !isUniqueViolation(err))
          throw err
        const order = await this.get(input.orderId)
        if (!order)
          return { kind: 'not_found' }
        await db.transaction().execute(trx => appendAudit(trx, auditKey, input.audit(order, null, 'failed', `conflict: version ${order.version}, expected ${input.expectedVersion}`)))
        return { kind: 'conflict', order }
      }
    },

    async deadline(input) {
      try {
        return await db.transaction().execute(async (trx) => {
          const fired = await trx.insertInto('work_order_deadlines')
            .values({ order_id: input.orderId, mark: input.mark, due_at: input.dueAt, fired_at: input.firedAt })
            .onConflict(oc => oc.doNothing()).executeTakeFirst()
          if (Number(fired.numInsertedOrUpdatedRows ?? 0) === 0)
            return null
          const held = await lockOrder(trx, input.orderId)
          if (!held)
            return null
          const t = input.decide(held.order)
          if (!t)
            throw new VersionMoved()
          const event = await write(trx, held.order, held.events, t)
          const audit = t.order !== held.order ? input.audit(held.order, t.order) : null
          if (audit)
            await appendAudit(trx, auditKey, audit)
          return { order: t.order, event }
        })
      }
      catch (err) {
        // Another node fired it in the same instant, or a command changed the order: undone, and the next scan sees it again if still due.
        if (err instanceof VersionMoved || isUniqueViolation(err))
          return null
        throw err
      }
    },

    async system(orderId, decide, audit) {
      try {
        return await db.transaction().execute(async (trx) => {
          const held = await lockOrder(trx, orderId)
          if (!held)
            return null
          const t = decide(held.order)
          if (!t.ok)
            return null
          const event = await write(trx, held.order, held.events, t)
          await appendAudit(trx, auditKey, audit(held.order, t.order))
          return { order: t.order, event }
        })
      }
      catch (err) {
        if (err instanceof VersionMoved)
          return null
        throw err
      }
    },

    async running() {
      const rows = await db.selectFrom('work_orders').select('doc').where('state', 'in', ['dispatched', 'returned', 'in_progress']).execute()
      return rows.map(orderOf)
    },

    async createMissing(orders) {
      if (orders.length === 0)
        return 0
      return db.transaction().execute(async (trx) => {
        let made = 0
        for (const order of orders) {
          if (await insertNewOrder(trx, order))
            made++
        }
        return made
      })
    },

    async forKpis({ from, to }) {
      const rows = await db.selectFrom('work_orders').select('doc')
        .where(eb => eb.or([
          eb.and([eb('dispatched_at', '>=', from), eb('dispatched_at', '<', to)]),
          eb.and([eb('closed_at', '>=', from), eb('closed_at', '<', to)]),
          eb('state', 'not in', [...TERMINAL_STATES, 'accepted']),
        ]))
        // Drills are rehearsals: their orders are not the city's performance.
        .where('drill_id', 'is', null)
        .execute()
      return rows.map(orderOf)
    },

    async eventsBetween({ actions, from, to }) {
      if (actions.length === 0)
        return []
      const rows = await db.selectFrom('work_order_events').select('event')
        .where('action', 'in', [...actions]).where('at', '>=', from).where('at', '<', to)
        .where(eb => eb.not(eb.exists(eb.selectFrom('work_orders').select('work_orders.id').whereRef('work_orders.id', '=', 'work_order_events.order_id').where('work_orders.drill_id', 'is not', null))))
        .execute()
      return rows.map(r => JSON.parse(r.event) as WorkOrderEvent)
    },
  }
}

/** A unique-key violation, as SQLite and PostgreSQL each report it. */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string }
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE'
}
