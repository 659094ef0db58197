import type { WorkingCalendar } from '@shared/calendar/working-days'
import type { Principal } from '@shared/auth/policy'
import { can } from '@shared/auth/policy'
import { absorbDuplicate, applyCommand, applyDeadline, applyUpstreamClose, newWorkOrder } from '@shared/dispatch/machine'
import type { MachineContext } from '@shared/dispatch/machine'
import type { SlaPolicy } from '@shared/dispatch/sla'
import { dueMarks } from '@shared/dispatch/sla'
import type { CityModel } from '@shared/schemas/city'
import type { Incident } from '@shared/schemas/incidents'
import type { WorkOrder, WorkOrderActor, WorkOrderCommandRequest } from '@shared/schemas/work-orders'
import { isTerminal } from '@shared/schemas/work-orders'
import { actorOf } from '@server/auth/auth-service'
import type { DomainBus } from '@server/bus'
import type { IncidentState } from '@server/live/incident-state'
import type { AuditRecord, Store } from '@server/store/repositories'
import type { CommandResult } from '@server/store/work-order.repository'

export interface DispatchDeps {
  store: Store
  incidents: IncidentState
  bus: DomainBus
  city: Pick<CityModel, 'departments'>
  calendar: WorkingCalendar
  policy: SlaPolicy
  /** The server's (simulated) now, epoch ms: deadlines and timeline entries are on it. */
  now: () => number
  /** How often deadlines are checked (real ms). */
  scanIntervalMs: number
  onError: (err: unknown) => void
  /**
   * Asked first when upstream closes a request whose order is open: true
   * when it finishes the order itself (the simulated city's officers
   * reply to their own orders); else the order closes as upstream says.
   */
  finishClosed?: (incident: Incident) => Promise<boolean>
}

/** Who acts, as an order's timeline names them; a display token never does. */
export function workOrderActor(principal: Principal): WorkOrderActor {
  if (principal.kind !== 'user')
    throw new Error('a display cannot act on work orders')
  return { id: principal.userId, name: principal.username, departmentId: principal.departmentId }
}

const brief = (o: WorkOrder) => ({ state: o.state, version: o.version, departmentId: o.departmentId, supervision: o.supervision, handleDueAt: o.handleDueAt })

/**
 * The work-order side of the leader: it applies commands (each once, under
 * its idempotency key, against the version the officer saw), fires deadline
 * events once per deadline, closes orders upstream closed, and publishes
 * every change as an incident update, so the wall follows each step.
 * Commands arrive here on the leader (other nodes pass them on).
 */
export class DispatchService {
  private timer: NodeJS.Timeout | undefined
  private scanning: Promise<void> | undefined
  private readonly departments: ReadonlySet<string>

  constructor(private readonly deps: DispatchDeps) {
    this.departments = new Set(deps.city.departments.map(d => d.id))
  }

  private iso(): string {
    return new Date(this.deps.now()).toISOString()
  }

  /** Leader work: makes the orders incidents stored before this version lack, then watches deadlines. */
  async start(): Promise<void> {
    await this.reconcile()
    this.timer = setInterval(() => {
      this.scanning ??= this.scanDeadlines().then(() => {}, this.deps.onError).finally(() => {
        this.scanning = undefined
      })
    }, this.deps.scanIntervalMs)
  }

  /** Reports that closed their request upstream (as ingestion stored them): their open orders close, or are finished by who works them. */
  closedUpstream(reports: readonly Incident[]): void {
    for (const report of reports) {
      const held = this.deps.incidents.get(report.id)
      if (held?.handling && !isTerminal(held.handling.state))
        void this.closeUpstream({ ...held, version: report.version, description: report.description }).catch(this.deps.onError)
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.scanning
  }

  private async reconcile(): Promise<void> {
    // Open ones only: a request upstream closed before orders existed stays as upstream left it.
    const missing = this.deps.incidents.list(Number.POSITIVE_INFINITY).filter(i => !i.handling && i.status === 'open')
    const now = this.iso()
    const orders = missing.map(i => newWorkOrder({ id: i.id, nature: i.nature, topic: i.topic, townCode: i.townCode, acceptedAt: i.reportedAt, departmentId: i.departmentId, priority: i.urgency }, this.deps.policy, this.deps.calendar, now))
    if (await this.deps.store.workOrders.createMissing(orders) > 0)
      await this.publish(await Promise.all(orders.map(o => this.deps.store.workOrders.get(o.id))))
  }

  /** The machine's view of this person on this server. */
  private context(principal: Principal): MachineContext {
    return {
      actor: workOrderActor(principal),
      may: { dispatch: can(principal, 'workorders.dispatch'), handle: can(principal, 'workorders.handle') },
      now: this.iso(),
      calendar: this.deps.calendar,
      policy: this.deps.policy,
      departments: this.departments,
    }
  }

  /** One person's command on one order: applied once, or refused with why; the change is published after it commits. */
  async command(orderId: string, request: WorkOrderCommandRequest, principal: Principal, clientIp: string | null): Promise<CommandResult> {
    const ctx = this.context(principal)
    const auditActor = actorOf(principal)
    const result = await this.deps.store.workOrders.command({
      commandId: request.commandId,
      orderId,
      actorId: ctx.actor.id,
      expectedVersion: request.expectedVersion,
      decide: async (order, lock) => {
        const outcome = applyCommand(order, request.command, ctx)
        if (!outcome.ok || request.command.action !== 'merge')
          return outcome
        const target = await lock(request.command.intoId)
        if (!target)
          return { ok: false, code: 'invalid', message: `没有工单 ${request.command.intoId}` }
        const absorbed = absorbDuplicate(target, order.id, ctx.actor, ctx.now)
        return absorbed.ok ? { ...outcome, also: [absorbed] } : absorbed
      },
      audit: (before, after, outcome, why): AuditRecord => ({
        at: new Date().toISOString(),
        actor: auditActor,
        clientIp,
        action: `workorder.${request.command.action}`,
        targetType: 'work_order',
        targetId: orderId,
        outcome,
        before: brief(before),
        after: after ? { ...brief(after), commandId: request.commandId } : { commandId: request.commandId, refused: why ?? null },
      }),
    })
    if (result.kind === 'ok' && !result.answer.replayed) {
      const merged = request.command.action === 'merge' ? await this.deps.store.workOrders.get(request.command.intoId) : undefined
      await this.publish([result.answer.order, merged])
    }
    return result
  }

  /** Fires the deadline events due by now, each once (the store keeps the key); publishes what changed. */
  async scanDeadlines(): Promise<number> {
    const now = this.deps.now()
    const at = new Date(now).toISOString()
    const changed: WorkOrder[] = []
    let fired = 0
    for (const order of await this.deps.store.workOrders.running()) {
      for (const { mark, dueAt } of dueMarks(order, now)) {
        const done = await this.deps.store.workOrders.deadline({
          orderId: order.id,
          mark,
          dueAt,
          firedAt: at,
          // The order as locked, not as listed: a sign or reply in between takes the deadline away.
          decide: held => (dueMarks(held, now).some(m => m.mark === mark && m.dueAt === dueAt) ? applyDeadline(held, mark, dueAt, at) : null),
          audit: (before, after) => ({ at: new Date().toISOString(), actor: null, clientIp: null, action: `workorder.${mark}`, targetType: 'work_order', targetId: order.id, outcome: 'ok', before: brief(before), after: brief(after) }),
        })
        if (done) {
          fired++
          changed.push(done.order)
        }
      }
    }
    await this.publish(changed)
    return fired
  }

  private async closeUpstream(incident: Incident): Promise<void> {
    if (await this.deps.finishClosed?.(incident))
      return
    const at = this.iso()
    const done = await this.deps.store.workOrders.system(incident.id, order => applyUpstreamClose(order, incident.version, at), (before, after) => ({
      at: new Date().toISOString(),
      actor: null,
      clientIp: null,
      action: 'workorder.upstream_close',
      targetType: 'work_order',
      targetId: incident.id,
      outcome: 'ok',
      before: brief(before),
      after: brief(after),
    }))
    if (done)
      await this.publish([done.order])
  }

  /** Each changed order as an incident update on the bus: the wall's layer and stream, the KPIs, the alert rules follow it. */
  private async publish(orders: ReadonlyArray<WorkOrder | undefined>): Promise<void> {
    const incidents: Incident[] = []
    for (const order of orders) {
      if (!order)
        continue
      const held = this.deps.incidents.get(order.id) ?? await this.deps.store.incidents.get(order.id)
      if (held)
        incidents.push({ ...held, handling: order })
    }
    const changed = this.deps.incidents.apply(incidents)
    if (changed.length > 0)
      this.deps.bus.emit('incidents.updated', { incidents: changed, summary: this.deps.incidents.summary() })
  }
}
