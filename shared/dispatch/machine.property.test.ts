/**
 * The work-order machine under random play (fast-check): sequences of up to
 * 40 commands from the duty officer, the lead department, an assisting one,
 * another one and an operator without rights, with deadline checks between
 * them on a clock that only moves forward across 2026's holidays. A model
 * keeps every accepted transition's timeline entry and counts what the
 * version must be; after each step the order is checked against the schema
 * and the machine's invariants.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { INCIDENT_NATURES } from '@shared/schemas/incident-kinds'
import type { Satisfaction, WorkOrderAction, WorkOrderCommand, WorkOrderEvent, WorkOrderPriority } from '@shared/schemas/work-orders'
import { SATISFACTION_LEVELS, WORK_ORDER_ACTIONS, WorkOrder, isSatisfied, isTerminal } from '@shared/schemas/work-orders'
import type { Outcome } from './machine'
import { absorbDuplicate, applyCommand, applyDeadline, availableActions, newWorkOrder } from './machine'
import type { Role } from './machine.support'
import { DEPARTMENTS, ROLES, UNKNOWN_DEPARTMENT, calendar, command, contextFor, personFor, policy, validCommand } from './machine.support'
import type { SlaMark } from './sla'
import { dueMarks } from './sla'

const RUNS = 500
const MAX_STEPS = 40
const MINUTE_MS = 60_000
const ORDER_ID = 'hotline:prop'
const OTHER_ID = 'hotline:other'

/** Raw material for any command's fields; `commandOf` takes what an action needs. */
interface Fields {
  departmentId: string
  assisting: string[]
  priority: WorkOrderPriority | undefined
  decision: 'redispatch' | 'reject'
  reviewDepartment: string | undefined
  workingDays: number
  approve: boolean
  resolved: boolean
  satisfaction: Satisfaction
  intoSelf: boolean
}

type Step =
  | { kind: 'command', role: Role, guided: boolean, pick: number, fields: Fields, advanceMinutes: number }
  | { kind: 'deadlines', advanceMinutes: number }
  | { kind: 'absorb', duplicate: string, advanceMinutes: number }

/** Mostly known departments, so that guided commands usually go through. */
const department = fc.oneof({ weight: 6, arbitrary: fc.constantFrom<string>(...DEPARTMENTS) }, { weight: 1, arbitrary: fc.constant(UNKNOWN_DEPARTMENT) })
const fieldsArb: fc.Arbitrary<Fields> = fc.record({
  departmentId: department,
  assisting: fc.array(department, { maxLength: 2 }),
  priority: fc.option(fc.constantFrom<WorkOrderPriority>('normal', 'urgent'), { nil: undefined }),
  decision: fc.constantFrom('redispatch', 'reject'),
  reviewDepartment: fc.option(department, { nil: undefined }),
  workingDays: fc.integer({ min: 1, max: policy.maxExtensionWorkingDays + 5 }),
  approve: fc.boolean(),
  resolved: fc.boolean(),
  satisfaction: fc.constantFrom(...SATISFACTION_LEVELS),
  intoSelf: fc.boolean(),
})
/** Up to four days between steps, often none: deadlines of hours and of weeks are both reached. */
const advance = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 * 24 * 60 }))

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('command' as const), role: fc.constantFrom(...ROLES), guided: fc.integer({ min: 0, max: 9 }).map(n => n < 7), pick: fc.nat(), fields: fieldsArb, advanceMinutes: advance }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deadlines' as const), advanceMinutes: advance }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('absorb' as const), duplicate: fc.constantFrom('hotline:d1', 'hotline:d2'), advanceMinutes: advance }) },
)

const startArb = fc.record({
  // A call at any minute of 2026 up to December, so that holiday blocks and make-up days fall inside the deadlines.
  acceptedAt: fc.integer({ min: Date.parse('2026-01-01T00:00:00+08:00'), max: Date.parse('2026-12-01T00:00:00+08:00') }).map(t => new Date(t - (t % MINUTE_MS)).toISOString()),
  nature: fc.constantFrom(...INCIDENT_NATURES),
  priority: fc.constantFrom<WorkOrderPriority>('normal', 'urgent'),
  departmentId: fc.constantFrom(...DEPARTMENTS),
})

function commandOf(action: WorkOrderAction, f: Fields, order: WorkOrder): WorkOrderCommand {
  switch (action) {
    case 'dispatch': return command({ action, departmentId: f.departmentId, assistingDepartmentIds: f.assisting, priority: f.priority })
    case 'answer': return command({ action, summary: '答复' })
    case 'sign': return command({ action })
    case 'return': return command({ action, reason: '非本部门' })
    case 'review_return': return command({ action, decision: f.decision, departmentId: f.reviewDepartment, assistingDepartmentIds: f.assisting })
    case 'request_extension': return command({ action, workingDays: f.workingDays, reason: '延期' })
    case 'review_extension': return command({ action, approve: f.approve })
    case 'reply': return command({ action, summary: '已处理', resolved: f.resolved })
    case 'revisit': return command({ action, satisfaction: f.satisfaction })
    case 'supervise': return command({ action })
    case 'merge': return command({ action, intoId: f.intoSelf ? order.id : OTHER_ID })
    case 'assist_note': return command({ action, text: '协办' })
  }
}

/** Commands that end the order at once, or hold it where it is, are drawn less often, so that runs reach the later states. */
const GUIDED_WEIGHT = (action: WorkOrderAction): number => {
  switch (action) {
    case 'answer': case 'merge': return 1
    case 'return': case 'supervise': return 2
    default: return 6
  }
}

/** A guided step: one of the (person, action) pairs availableActions offers anyone, by weight; null when none is. */
function guidedChoice(order: WorkOrder, pick: number): [Role, WorkOrderAction] | null {
  const offers = ROLES.flatMap(role => availableActions(order, { ...personFor(role, order), policy }).map(a => [role, a] as [Role, WorkOrderAction]))
  const total = offers.reduce((sum, [, a]) => sum + GUIDED_WEIGHT(a), 0)
  let left = total > 0 ? pick % total : 0
  for (const offer of offers) {
    left -= GUIDED_WEIGHT(offer[1])
    if (left < 0)
      return offer
  }
  return null
}

/** Deep-frozen: a machine that writes into the order it was given throws. */
function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value))
      frozen(v)
    Object.freeze(value)
  }
  return value
}

const LEVEL: Record<SlaMark, number> = { sign_warning: 0, handle_warning: 0, sign_overdue: 1, handle_overdue: 2 }

function checkInvariants(order: WorkOrder, where: string): void {
  const parsed = WorkOrder.safeParse(order)
  expect(parsed.success, `${where}: ${parsed.success ? '' : parsed.error.message}`).toBe(true)
  expect(order.state === 'returned', `${where}: returned ⇔ returnRequest`).toBe(order.returnRequest !== null)
  if (order.extensionRequest !== null)
    expect(order.state, `${where}: extension request outside in_progress`).toBe('in_progress')
  expect(order.closedAt !== null, `${where}: closedAt ⇔ terminal`).toBe(isTerminal(order.state))
  expect(order.mergedInto !== null, `${where}: mergedInto ⇔ merged`).toBe(order.state === 'merged')
  if (order.state === 'closed' && order.revisit)
    expect(isSatisfied(order.revisit.satisfaction), `${where}: closed after an unsatisfied revisit`).toBe(true)
  if (order.state === 'dispatched' || order.state === 'in_progress') {
    expect(order.dispatchedAt, `${where}: dispatchedAt`).not.toBeNull()
    expect(order.signDueAt, `${where}: signDueAt`).not.toBeNull()
  }
  if (order.state === 'in_progress')
    expect(order.signedAt, `${where}: signedAt`).not.toBeNull()
  expect(order.supervision).toBeGreaterThanOrEqual(0)
  expect(order.supervision).toBeLessThanOrEqual(3)
  expect(order.extensionsGranted).toBeLessThanOrEqual(policy.maxExtensions)
  expect(Date.parse(order.handleDueAt), `${where}: handleDueAt before acceptedAt`).toBeGreaterThanOrEqual(Date.parse(order.acceptedAt))
}

/** Once terminal, nobody can do anything, and no deadline fires. */
function checkTerminal(order: WorkOrder, now: string): void {
  for (const role of ROLES) {
    const person = personFor(role, order)
    expect(availableActions(order, { ...person, policy })).toEqual([])
    for (const action of WORK_ORDER_ACTIONS)
      expect(applyCommand(order, validCommand(action, order), contextFor(person, now)).ok, `${order.state}: ${action} by ${role}`).toBe(false)
  }
  expect(absorbDuplicate(order, 'hotline:late', personFor('duty', order).actor, now).ok).toBe(false)
  expect(dueMarks(order, Date.parse(now) + 365 * 24 * 60 * MINUTE_MS)).toEqual([])
}

/** What the model expects of one accepted step, and the timeline entry it keeps. */
function acceptStep(outcome: Outcome, before: WorkOrder, now: string, where: string): WorkOrder {
  if (!outcome.ok)
    throw new Error('not accepted')
  const { order, event } = outcome
  expect(event.orderId).toBe(before.id)
  expect(event.departmentId, `${where}: event.departmentId`).toBe(before.departmentId)
  expect(event.at).toBe(now)
  expect(event.from, `${where}: event.from`).toBe(before.state)
  expect(event.to, `${where}: event.to`).toBe(order.state)
  return order
}

type Start = typeof startArb extends fc.Arbitrary<infer S> ? S : never

function play(start: Start, steps: Step[]): void {
  let now = Date.parse(start.acceptedAt)
  let order = newWorkOrder({ id: ORDER_ID, nature: start.nature, topic: 'environment', townCode: null, acceptedAt: start.acceptedAt, departmentId: start.departmentId, priority: start.priority }, policy, calendar, start.acceptedAt)
  // The model: the timeline as the store would keep it (starting with the order's creation), and the version it must reach.
  const timeline: Array<Pick<WorkOrderEvent, 'action' | 'from' | 'to'>> = [{ action: 'create', from: null, to: 'accepted' }]
  let expectedVersion = 1
  let commandsAccepted = 0
  /** The store fires each deadline mark once per kind and deadline. */
  const fired = new Set<string>()
  let terminalChecked = false
  checkInvariants(order, 'new')

  for (const [i, step] of steps.entries()) {
    now += step.advanceMinutes * MINUTE_MS
    const nowIso = new Date(now).toISOString()
    const before = frozen(order)
    const snapshot = structuredClone(before)
    const where = `step ${i} (${step.kind})`

    if (step.kind === 'deadlines') {
      for (const { mark, dueAt } of dueMarks(before, now)) {
        if (fired.has(`${mark}@${dueAt}`))
          continue
        fired.add(`${mark}@${dueAt}`)
        const previous = order
        const t = applyDeadline(frozen(previous), mark, dueAt, nowIso)
        order = acceptStep(t, previous, nowIso, `${where} ${mark}`)
        timeline.push(t.event)
        if (LEVEL[mark] > previous.supervision)
          expectedVersion++
        expect(order.supervision, `${where}: ${mark} level`).toBe(Math.max(previous.supervision, LEVEL[mark]))
        expect(order.state).toBe(previous.state)
      }
    }
    else {
      let outcome: Outcome
      let role: Role | 'system' = 'system'
      if (step.kind === 'absorb') {
        outcome = absorbDuplicate(before, step.duplicate, personFor('duty', before).actor, nowIso)
      }
      else {
        // Unguided (or nothing on offer): this step's person, any action, mostly refused.
        const [chosenRole, action] = (step.guided ? guidedChoice(before, step.pick) : null) ?? [step.role, WORK_ORDER_ACTIONS[step.pick % WORK_ORDER_ACTIONS.length]!]
        role = chosenRole
        const person = personFor(role, before)
        const offered = availableActions(before, { ...person, policy })
        // availableActions agrees with applyCommand for this person and order.
        for (const a of WORK_ORDER_ACTIONS)
          expect(applyCommand(before, validCommand(a, before), contextFor(person, nowIso)).ok, `${where}: ${a} by ${role} in ${before.state}`).toBe(offered.includes(a))
        outcome = applyCommand(before, commandOf(action, step.fields, before), contextFor(person, nowIso))
        if (outcome.ok)
          expect(outcome.event.actor).toEqual(person.actor)
      }
      if (outcome.ok) {
        order = acceptStep(outcome, before, nowIso, `${where} by ${role}`)
        timeline.push(outcome.event)
        expectedVersion++
        commandsAccepted++
        expect(order.updatedAt).toBe(nowIso)
      }
      expect(before, `${where}: the order given was changed`).toEqual(snapshot)
    }

    checkInvariants(order, where)
    expect(order.version, `${where}: version`).toBe(expectedVersion)
    // The timeline chains, with nothing lost: each entry starts where the last ended, and ends at the order's state.
    for (let k = 1; k < timeline.length; k++)
      expect(timeline[k]!.from, `${where}: timeline entry ${k}`).toBe(timeline[k - 1]!.to)
    expect(timeline.at(-1)!.to).toBe(order.state)
    expect(timeline.filter(e => !(e.action in LEVEL)).length).toBe(1 + commandsAccepted)
    if (isTerminal(order.state) && !terminalChecked) {
      checkTerminal(order, nowIso)
      terminalChecked = true
    }
  }
}

describe('work-order machine under random play', () => {
  it(`keeps its invariants over ${RUNS} random runs of up to ${MAX_STEPS} steps`, { timeout: 120_000 }, () => {
    fc.assert(fc.property(startArb, fc.array(stepArb, { maxLength: MAX_STEPS, size: 'max' }), play), { numRuns: RUNS })
  })
})
