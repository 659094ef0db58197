import type { Principal } from '@shared/auth/policy'
import type { CityModel } from '@shared/schemas/city'
import type { Incident } from '@shared/schemas/incidents'
import type { Satisfaction, WorkOrder, WorkOrderCommand } from '@shared/schemas/work-orders'
import { isTerminal } from '@shared/schemas/work-orders'
import type { IncidentState } from '@server/live/incident-state'
import type { DispatchService } from './dispatch-service'
import { suggestRouting } from './routing'

/**
 * The simulated city's duty officers and departments: they work the
 * simulator's own 12345 orders through the same commands people use, so a
 * demo wall shows orders dispatched, signed, replied to and revisited.
 * The simulated hotline platform still decides when an order is handled
 * (its closure plan, with its late ones): when its closed version comes,
 * the department replies, and the revisit follows. Each step's command id
 * is made of the order and its version, so two nodes or a restart never
 * apply one twice. Orders of any other source are left to people.
 */

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS

/** The simulator's note on a closure answered at the call (server/feeds/simulator/incident-closures.ts). */
const DIRECT_ANSWER_NOTE = '【直接答复】'

const DUTY: Principal = { kind: 'user', userId: 'sim-duty', username: '模拟值班长', roles: ['duty_officer'], departmentId: null }
const handlerOf = (departmentId: string): Principal => ({ kind: 'user', userId: `sim-${departmentId}`, username: '模拟承办人', roles: ['dept_handler'], departmentId })

/** A number in [0, 1) fixed by the order and what it is for (FNV-1a): the same on every node and after a restart. */
export function orderUnit(id: string, salt: string): number {
  let h = 0x811C9DC5
  for (const ch of `${salt}|${id}`)
    h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0
  return h / 0x1_0000_0000
}

const between = (id: string, salt: string, min: number, max: number): number => min + (max - min) * orderUnit(id, salt)

/** Ratings of revisits: most satisfied, a few not (重办), in the proportions 12345 centres report. */
const RATINGS: ReadonlyArray<[Satisfaction, number]> = [['very_satisfied', 0.55], ['satisfied', 0.3], ['basic', 0.09], ['unsatisfied', 0.04], ['very_unsatisfied', 0.02]]

function rating(id: string, reopens: number): Satisfaction {
  let u = orderUnit(id, `rating:${reopens}`)
  for (const [level, share] of RATINGS) {
    if (u < share)
      return level
    u -= share
  }
  return 'satisfied'
}

/** When the next step of an order is due by the simulated clock, and what it is; null while waiting for the platform's closure. */
export function nextStep(order: WorkOrder, incident: Pick<Incident, 'reportedAt' | 'nature' | 'urgency'>): { at: number, step: 'dispatch' | 'sign' | 'reply' | 'revisit' } | null {
  const urgent = order.priority === 'urgent'
  switch (order.state) {
    case 'accepted': {
      // 咨询 wait for a direct answer first (the platform gives most within 15 minutes).
      const [min, max] = urgent ? [2, 8] : incident.nature === 'consult' ? [20, 40] : [5, 30]
      return { at: Date.parse(order.acceptedAt) + between(order.id, 'dispatch', min, max) * MINUTE_MS, step: 'dispatch' }
    }
    case 'dispatched': {
      const dispatchedAt = Date.parse(order.dispatchedAt ?? order.acceptedAt)
      // A few sign late: an hour or so past the sign deadline.
      if (order.signDueAt && orderUnit(order.id, 'sign-late') < 0.04)
        return { at: Date.parse(order.signDueAt) + between(order.id, 'sign-late-by', 0.5, 3) * HOUR_MS, step: 'sign' }
      return { at: dispatchedAt + (urgent ? between(order.id, 'sign', 5, 25) : between(order.id, 'sign', 20, 300)) * MINUTE_MS, step: 'sign' }
    }
    case 'in_progress':
      // Reopened (重办): handled again within a day or two; otherwise the platform's closure says when.
      return order.reopens > 0 && order.revisit ? { at: Date.parse(order.revisit.at) + between(order.id, `redo:${order.reopens}`, 4, 40) * HOUR_MS, step: 'reply' } : null
    case 'pending_revisit':
      return { at: Date.parse(order.repliedAt ?? order.updatedAt) + (urgent ? between(order.id, 'revisit', 1, 3) : between(order.id, 'revisit', 1, 24)) * HOUR_MS, step: 'revisit' }
    default:
      return null
  }
}

export interface SimOfficersDeps {
  dispatch: Pick<DispatchService, 'command'>
  incidents: IncidentState
  city: Pick<CityModel, 'departments' | 'routing' | 'towns'>
  /** The simulator's feed id: only its orders are worked. */
  source: string
  now: () => number
  intervalMs: number
  onError: (err: unknown) => void
}

export class SimOfficers {
  private timer: NodeJS.Timeout | undefined
  private stepping: Promise<void> | undefined
  /** Orders with commands on their way, and when those end: never two at once for one order. */
  private readonly inflight = new Map<string, Promise<void>>()

  constructor(private readonly deps: SimOfficersDeps) {}

  start(): Promise<void> {
    this.timer = setInterval(() => {
      this.stepping ??= this.step().then(() => {}, this.deps.onError).finally(() => {
        this.stepping = undefined
      })
    }, this.deps.intervalMs)
    return Promise.resolve()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.stepping
  }

  /** Gives every simulated order whose next step is due its command. Returns how many were given. */
  async step(): Promise<number> {
    const now = this.deps.now()
    let given = 0
    for (const incident of this.deps.incidents.list(Number.POSITIVE_INFINITY)) {
      const order = incident.handling
      if (incident.source !== this.deps.source || !order || isTerminal(order.state) || this.inflight.has(order.id))
        continue
      const next = nextStep(order, incident)
      if (next && next.at <= now) {
        await this.run(incident, order, [next.step])
        given++
      }
    }
    return given
  }

  /**
   * The simulated platform closed an order (its closed version arrived):
   * answered at the call, or handled by the department, which replies now.
   * False for orders that are not the simulator's: those close as upstream says.
   */
  async finishClosed(incident: Incident): Promise<boolean> {
    if (incident.source !== this.deps.source || !incident.handling)
      return false
    // A step of this order under way (a sign, say): the reply follows it, on the order as it then is.
    await this.inflight.get(incident.id)
    const order = this.deps.incidents.get(incident.id)?.handling ?? incident.handling
    if (isTerminal(order.state))
      return true
    const direct = order.state === 'accepted' && incident.description.includes(DIRECT_ANSWER_NOTE)
    const steps: Array<'answer' | 'dispatch' | 'sign' | 'reply'> = direct
      ? ['answer']
      : [...(order.state === 'accepted' ? ['dispatch' as const] : []), ...(order.state === 'accepted' || order.state === 'dispatched' ? ['sign' as const] : []), ...(order.state === 'returned' || order.state === 'pending_revisit' ? [] : ['reply' as const])]
    await this.run(incident, order, steps)
    return true
  }

  private async run(incident: Incident, first: WorkOrder, steps: ReadonlyArray<'answer' | 'dispatch' | 'sign' | 'reply' | 'revisit'>): Promise<void> {
    const done = (async () => {
      let order = first
      for (const step of steps) {
        const { who, command } = this.commandFor(step, incident, order)
        const result = await this.deps.dispatch.command(order.id, { commandId: `sim:${order.id}:${step}:${order.version}`, expectedVersion: order.version, command }, who, null)
        // Someone else acted first (a person on the console): their order, their cycle.
        if (result.kind !== 'ok')
          return
        order = result.answer.order
      }
    })()
    this.inflight.set(first.id, done)
    try {
      await done
    }
    finally {
      if (this.inflight.get(first.id) === done)
        this.inflight.delete(first.id)
    }
  }

  private commandFor(step: 'answer' | 'dispatch' | 'sign' | 'reply' | 'revisit', incident: Incident, order: WorkOrder): { who: Principal, command: WorkOrderCommand } {
    switch (step) {
      case 'answer':
        return { who: DUTY, command: { action: 'answer', summary: '话务员已根据知识库答复来电人。' } }
      case 'dispatch': {
        const suggestion = suggestRouting(incident, this.deps.city)
        return { who: DUTY, command: { action: 'dispatch', departmentId: suggestion.departmentId, assistingDepartmentIds: [], priority: suggestion.priority, note: '按建议派单' } }
      }
      case 'sign':
        return { who: handlerOf(order.departmentId), command: { action: 'sign' } }
      case 'reply':
        return { who: handlerOf(order.departmentId), command: { action: 'reply', summary: '已核实处理并回复来电人。', resolved: orderUnit(order.id, `resolved:${order.reopens}`) < 0.95 } }
      case 'revisit':
        return { who: DUTY, command: { action: 'revisit', satisfaction: rating(order.id, order.reopens), note: '' } }
    }
  }
}
