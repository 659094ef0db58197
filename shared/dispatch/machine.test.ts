import { describe, expect, it } from 'vitest'
import type { WorkOrder, WorkOrderCommandInput } from '@shared/schemas/work-orders'
import { WORK_ORDER_ACTIONS, WorkOrder as WorkOrderSchema } from '@shared/schemas/work-orders'
import type { Outcome, Refusal, Transition } from './machine'
import { SYSTEM_ACTOR, absorbDuplicate, applyCommand, applyDeadline, availableActions } from './machine'
import type { Role } from './machine.support'
import { ORDER_ID, ROLES, T0, UNKNOWN_DEPARTMENT, at, calendar, command, contextFor, fixtures, freshOrder, must, personFor, policy, validCommand } from './machine.support'
import { endOfWorkingDay, extendedDueAt, signDueAt } from './sla'

/** Deep-frozen, so that a machine writing into the order it was given throws. */
function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value))
      frozen(v)
    Object.freeze(value)
  }
  return value
}

function run(order: WorkOrder, role: Role, input: WorkOrderCommandInput, now = at(100)): Outcome {
  return applyCommand(frozen(structuredClone(order)), command(input), contextFor(personFor(role, order), now))
}

function accepted(outcome: Outcome): Transition {
  if (!outcome.ok)
    throw new Error(`refused (${outcome.code}): ${outcome.message}`)
  expect(WorkOrderSchema.safeParse(outcome.order).success).toBe(true)
  return outcome
}

function refused(outcome: Outcome, code: Refusal['code']): void {
  expect(outcome.ok).toBe(false)
  expect(outcome.ok ? null : outcome.code).toBe(code)
}

const F = fixtures()

describe(applyCommand.name, () => {
  describe('dispatch (派单)', () => {
    it('sends an accepted order to a department with its co-handlers and a sign deadline', () => {
      const { order, event } = accepted(run(F.accepted!, 'duty', { action: 'dispatch', departmentId: 'urban', assistingDepartmentIds: ['env', 'market'], note: '请速办' }))
      expect(order).toMatchObject({ state: 'dispatched', departmentId: 'urban', assistingDepartmentIds: ['env', 'market'], dispatchedAt: at(100), signedAt: null, version: 2, updatedAt: at(100) })
      // Fri 09-18 10:40 local: signed by the end of the make-up Sunday 09-20.
      expect(order.signDueAt).toBe('2026-09-20T16:00:00.000Z')
      expect(order.handleDueAt).toBe(F.accepted!.handleDueAt)
      expect(event).toEqual({
        orderId: ORDER_ID,
        at: at(100),
        action: 'dispatch',
        actor: personFor('duty', F.accepted!).actor,
        // The lead department when it happened: before dispatch, the one routing suggested.
        departmentId: 'env',
        from: 'accepted',
        to: 'dispatched',
        detail: { departmentId: 'urban', assistingDepartmentIds: ['env', 'market'], note: '请速办' },
      })
    })

    it('recomputes both deadlines in hours when the order is made urgent', () => {
      const { order } = accepted(run(F.accepted!, 'duty', { action: 'dispatch', departmentId: 'env', priority: 'urgent' }))
      expect(order.priority).toBe('urgent')
      expect(order.signDueAt).toBe(new Date(Date.parse(at(100)) + 30 * 60_000).toISOString())
      expect(order.handleDueAt).toBe(new Date(Date.parse(T0) + 24 * 3_600_000).toISOString())
    })

    it('is refused to anyone but the duty officer', () => {
      for (const role of ['lead', 'assisting', 'other', 'operator'] as const)
        refused(run(F.accepted!, role, { action: 'dispatch', departmentId: 'env' }), 'forbidden')
    })

    it('refuses unknown departments, a lead that also assists, and a department named twice', () => {
      refused(run(F.accepted!, 'duty', { action: 'dispatch', departmentId: UNKNOWN_DEPARTMENT }), 'invalid')
      refused(run(F.accepted!, 'duty', { action: 'dispatch', departmentId: 'env', assistingDepartmentIds: [UNKNOWN_DEPARTMENT] }), 'invalid')
      refused(run(F.accepted!, 'duty', { action: 'dispatch', departmentId: 'env', assistingDepartmentIds: ['env'] }), 'invalid')
      refused(run(F.accepted!, 'duty', { action: 'dispatch', departmentId: 'env', assistingDepartmentIds: ['urban', 'urban'] }), 'invalid')
    })

    it('is refused once the order has been dispatched', () => {
      refused(run(F.dispatched!, 'duty', { action: 'dispatch', departmentId: 'urban' }), 'state')
    })
  })

  describe('answer (直接答复)', () => {
    it('closes an accepted order with a resolved reply', () => {
      const { order, event } = accepted(run(F.accepted!, 'duty', { action: 'answer', summary: '按知识库答复' }))
      expect(order).toMatchObject({ state: 'closed', closedAt: at(100), repliedAt: at(100), version: 2 })
      expect(order.reply).toEqual({ summary: '按知识库答复', resolved: true, by: personFor('duty', F.accepted!).actor, at: at(100) })
      expect(event).toMatchObject({ action: 'answer', from: 'accepted', to: 'closed', detail: { summary: '按知识库答复' } })
    })

    it('is refused after dispatch and to departments', () => {
      refused(run(F.dispatched!, 'duty', { action: 'answer', summary: 'x' }), 'state')
      refused(run(F.accepted!, 'lead', { action: 'answer', summary: 'x' }), 'forbidden')
    })
  })

  describe('sign (签收)', () => {
    it('lets the lead department sign', () => {
      const { order, event } = accepted(run(F.dispatched!, 'lead', { action: 'sign' }))
      expect(order).toMatchObject({ state: 'in_progress', signedAt: at(100), version: F.dispatched!.version + 1 })
      expect(event).toMatchObject({ action: 'sign', from: 'dispatched', to: 'in_progress', detail: {}, actor: { departmentId: 'env' } })
    })

    it('is refused to the assisting and other departments, the duty officer and an operator, and when already signed', () => {
      for (const role of ['assisting', 'other', 'duty', 'operator'] as const)
        refused(run(F.dispatched!, role, { action: 'sign' }), 'forbidden')
      refused(run(F.inProgress!, 'lead', { action: 'sign' }), 'state')
    })
  })

  describe('return (退单) and its review', () => {
    it('returns an unsigned or a signed order, remembering where from', () => {
      for (const [from, order] of [['dispatched', F.dispatched!], ['in_progress', F.inProgress!]] as const) {
        const { order: next, event } = accepted(run(order, 'lead', { action: 'return', reason: '不属本部门' }))
        expect(next).toMatchObject({ state: 'returned', returns: 1, returnRequest: { reason: '不属本部门', from, at: at(100) } })
        expect(event).toMatchObject({ action: 'return', from, to: 'returned', detail: { reason: '不属本部门' } })
      }
    })

    it('drops a pending extension request with the return', () => {
      expect(accepted(run(F.extensionAsked!, 'lead', { action: 'return', reason: 'x' })).order.extensionRequest).toBeNull()
    })

    it('is refused to another department', () => {
      refused(run(F.dispatched!, 'other', { action: 'return', reason: 'x' }), 'forbidden')
    })

    it('rejected, sends the order back to the state it was returned from', () => {
      for (const [returned, back] of [[F.returnedUnsigned!, 'dispatched'], [F.returnedSigned!, 'in_progress']] as const) {
        const { order, event } = accepted(run(returned, 'duty', { action: 'review_return', decision: 'reject' }))
        expect(order).toMatchObject({ state: back, returnRequest: null, departmentId: 'env', signedAt: returned.signedAt })
        expect(event).toMatchObject({ action: 'review_return', from: 'returned', to: back })
      }
    })

    it('redispatched, sends it to another department, unsigned, with a fresh sign deadline', () => {
      const { order, event } = accepted(run(F.returnedSigned!, 'duty', { action: 'review_return', decision: 'redispatch', departmentId: 'market', assistingDepartmentIds: ['transport'] }))
      expect(order).toMatchObject({ state: 'dispatched', departmentId: 'market', assistingDepartmentIds: ['transport'], returnRequest: null, signedAt: null, dispatchedAt: at(100) })
      expect(order.signDueAt).toBe(signDueAt(at(100), 'normal', policy, calendar))
      // The return counts for the department that returned it.
      expect(event).toMatchObject({ action: 'review_return', departmentId: 'env', from: 'returned', to: 'dispatched' })
    })

    it('refuses a redispatch without a department, to the same one, or to an unknown one, and a review by a department', () => {
      refused(run(F.returnedSigned!, 'duty', { action: 'review_return', decision: 'redispatch' }), 'invalid')
      refused(run(F.returnedSigned!, 'duty', { action: 'review_return', decision: 'redispatch', departmentId: 'env' }), 'invalid')
      refused(run(F.returnedSigned!, 'duty', { action: 'review_return', decision: 'redispatch', departmentId: UNKNOWN_DEPARTMENT }), 'invalid')
      refused(run(F.returnedSigned!, 'lead', { action: 'review_return', decision: 'reject' }), 'forbidden')
      refused(run(F.inProgress!, 'duty', { action: 'review_return', decision: 'reject' }), 'state')
    })
  })

  describe('extensions (延期)', () => {
    it('records a request from the lead department', () => {
      const { order, event } = accepted(run(F.inProgress!, 'lead', { action: 'request_extension', workingDays: 5, reason: '需现场勘查' }))
      expect(order.state).toBe('in_progress')
      expect(order.extensionRequest).toEqual({ workingDays: 5, reason: '需现场勘查', by: personFor('lead', F.inProgress!).actor, at: at(100) })
      expect(order.handleDueAt).toBe(F.inProgress!.handleDueAt)
      expect(event).toMatchObject({ action: 'request_extension', from: 'in_progress', to: 'in_progress', detail: { workingDays: 5, reason: '需现场勘查' } })
    })

    it('refuses a second request while one is pending, a second extension once one was granted, and more days than the policy allows', () => {
      refused(run(F.extensionAsked!, 'lead', { action: 'request_extension', workingDays: 1, reason: 'x' }), 'state')
      refused(run(F.extended!, 'lead', { action: 'request_extension', workingDays: 1, reason: 'x' }), 'state')
      refused(run(F.inProgress!, 'lead', { action: 'request_extension', workingDays: policy.maxExtensionWorkingDays + 1, reason: 'x' }), 'invalid')
    })

    it('approved, moves the handling deadline by the working days asked for', () => {
      const { order } = accepted(run(F.extensionAsked!, 'duty', { action: 'review_extension', approve: true }))
      expect(order).toMatchObject({ extensionRequest: null, extensionsGranted: 1 })
      expect(order.handleDueAt).toBe(extendedDueAt(F.extensionAsked!.handleDueAt, 3, calendar))
      // 投诉 of Fri 09-18, 15 working days: Sun 09-20, 21 … 24, 28, 29, 30, 10-08, 09, Sat 10, 12, 13, 14, 15; 3 more: 10-16, 19, 20.
      expect(F.extensionAsked!.handleDueAt).toBe('2026-10-15T16:00:00.000Z')
      expect(order.handleDueAt).toBe('2026-10-20T16:00:00.000Z')
    })

    it('rejected, leaves the deadline as it was', () => {
      const { order, event } = accepted(run(F.extensionAsked!, 'duty', { action: 'review_extension', approve: false, note: '理由不足' }))
      expect(order).toMatchObject({ extensionRequest: null, extensionsGranted: 0, handleDueAt: F.extensionAsked!.handleDueAt })
      expect(event.detail).toEqual({ approve: false, note: '理由不足' })
    })

    it('refuses a review with nothing to review, or by a department', () => {
      refused(run(F.inProgress!, 'duty', { action: 'review_extension', approve: true }), 'state')
      refused(run(F.extensionAsked!, 'lead', { action: 'review_extension', approve: true }), 'forbidden')
    })
  })

  describe('reply (反馈) and revisit (回访)', () => {
    it('a reply waits for the revisit and drops a pending extension request', () => {
      const { order, event } = accepted(run(F.extensionAsked!, 'lead', { action: 'reply', summary: '已清理', resolved: false }))
      expect(order).toMatchObject({ state: 'pending_revisit', repliedAt: at(100), extensionRequest: null, reply: { summary: '已清理', resolved: false } })
      expect(event).toMatchObject({ action: 'reply', from: 'in_progress', to: 'pending_revisit', detail: { summary: '已清理', resolved: false } })
      refused(run(F.inProgress!, 'assisting', { action: 'reply', summary: 'x', resolved: true }), 'forbidden')
    })

    it('a satisfied or basically satisfied citizen closes the order', () => {
      for (const satisfaction of ['very_satisfied', 'satisfied', 'basic'] as const) {
        const { order, event } = accepted(run(F.pendingRevisit!, 'duty', { action: 'revisit', satisfaction }))
        expect(order).toMatchObject({ state: 'closed', closedAt: at(100), revisit: { satisfaction, note: '' }, reopens: 0 })
        expect(event).toMatchObject({ from: 'pending_revisit', to: 'closed' })
      }
    })

    it('an unsatisfied one reopens it (重办) with fresh handling time', () => {
      for (const satisfaction of ['unsatisfied', 'very_unsatisfied'] as const) {
        const { order, event } = accepted(run(F.pendingRevisit!, 'duty', { action: 'revisit', satisfaction, note: '问题未解决' }))
        expect(order).toMatchObject({ state: 'in_progress', closedAt: null, reply: null, repliedAt: null, reopens: 1, revisit: { satisfaction, note: '问题未解决' } })
        // Fresh time from the revisit, or what was left of the original limit when that is later.
        const fresh = endOfWorkingDay(at(100), policy.reopenWorkingDays, calendar)
        expect(order.handleDueAt).toBe(fresh > F.pendingRevisit!.handleDueAt ? fresh : F.pendingRevisit!.handleDueAt)
        expect(order.handleDueAt >= fresh).toBe(true)
        expect(event).toMatchObject({ action: 'revisit', from: 'pending_revisit', to: 'in_progress' })
      }
      // …and the department handles it again.
      expect(accepted(run(F.reopened!, 'lead', { action: 'reply', summary: '再次处理', resolved: true })).order.state).toBe('pending_revisit')
    })

    it('is refused to departments and before a reply', () => {
      refused(run(F.pendingRevisit!, 'lead', { action: 'revisit', satisfaction: 'satisfied' }), 'forbidden')
      refused(run(F.inProgress!, 'duty', { action: 'revisit', satisfaction: 'satisfied' }), 'state')
    })
  })

  describe('supervise (督办)', () => {
    it('raises one level at a time up to 通报, then refuses', () => {
      let order = F.inProgress!
      for (const level of [1, 2, 3]) {
        const t = accepted(run(order, 'duty', { action: 'supervise', note: `第${level}次` }))
        expect(t.order.supervision).toBe(level)
        expect(t.event).toMatchObject({ action: 'supervise', from: 'in_progress', to: 'in_progress', detail: { note: `第${level}次` } })
        order = t.order
      }
      refused(run(order, 'duty', { action: 'supervise' }), 'state')
    })

    it('is refused before dispatch and to departments', () => {
      refused(run(F.accepted!, 'duty', { action: 'supervise' }), 'state')
      refused(run(F.inProgress!, 'lead', { action: 'supervise' }), 'forbidden')
    })
  })

  describe('merge (合并)', () => {
    it('merges a duplicate into another order and ends it', () => {
      const { order, event } = accepted(run(F.dispatched!, 'duty', { action: 'merge', intoId: 'hotline:first' }))
      expect(order).toMatchObject({ state: 'merged', mergedInto: 'hotline:first', closedAt: at(100) })
      expect(event).toMatchObject({ action: 'merge', from: 'dispatched', to: 'merged', detail: { intoId: 'hotline:first' } })
    })

    it('refuses a merge into itself, and once signed', () => {
      refused(run(F.accepted!, 'duty', { action: 'merge', intoId: ORDER_ID }), 'invalid')
      refused(run(F.inProgress!, 'duty', { action: 'merge', intoId: 'hotline:first' }), 'state')
    })
  })

  describe('assist_note (协办意见)', () => {
    it('is written by an assisting department without changing the state', () => {
      const { order, event } = accepted(run(F.inProgress!, 'assisting', { action: 'assist_note', text: '已配合执法' }))
      expect(order).toEqual({ ...F.inProgress!, version: F.inProgress!.version + 1, updatedAt: at(100) })
      expect(event).toMatchObject({ action: 'assist_note', from: 'in_progress', to: 'in_progress', detail: { text: '已配合执法' }, actor: { departmentId: 'urban' } })
    })

    it('is refused to the lead and other departments, the duty officer, and before signing', () => {
      for (const role of ['lead', 'other', 'duty', 'operator'] as const)
        refused(run(F.inProgress!, role, { action: 'assist_note', text: 'x' }), 'forbidden')
      refused(run(F.dispatched!, 'assisting', { action: 'assist_note', text: 'x' }), 'state')
    })
  })

  it('raises the version by one per command through a whole cycle', () => {
    let order = freshOrder()
    const steps: Array<[Role, WorkOrderCommandInput]> = [
      ['duty', { action: 'dispatch', departmentId: 'urban' }],
      ['lead', { action: 'return', reason: '属环保' }],
      ['duty', { action: 'review_return', decision: 'redispatch', departmentId: 'env', assistingDepartmentIds: ['urban'] }],
      ['lead', { action: 'sign' }],
      ['assisting', { action: 'assist_note', text: '配合' }],
      ['lead', { action: 'request_extension', workingDays: 2, reason: '检测' }],
      ['duty', { action: 'review_extension', approve: true }],
      ['lead', { action: 'reply', summary: '已处理', resolved: true }],
      ['duty', { action: 'revisit', satisfaction: 'unsatisfied' }],
      ['lead', { action: 'reply', summary: '再次处理', resolved: true }],
      ['duty', { action: 'revisit', satisfaction: 'satisfied' }],
    ]
    for (const [i, [role, input]] of steps.entries()) {
      order = must(order, role, input, at(10 * (i + 1)))
      expect(order.version, input.action).toBe(i + 2)
    }
    expect(order).toMatchObject({ state: 'closed', returns: 1, reopens: 1, extensionsGranted: 1 })
  })

  it('accepts nothing from anyone on a closed or merged order', () => {
    for (const order of [F.closed!, F.answered!, F.merged!]) {
      expect(ROLES.flatMap(role => availableActions(order, { ...personFor(role, order), policy }))).toEqual([])
      for (const role of ROLES) {
        for (const action of WORK_ORDER_ACTIONS)
          expect(run(order, role, validCommand(action, order)).ok, `${order.state} ${action} by ${role}`).toBe(false)
      }
    }
  })
})

describe(availableActions.name, () => {
  it('offers what applyCommand accepts and nothing it refuses, for every fixture and person', () => {
    let offered = 0
    for (const [name, order] of Object.entries(F)) {
      for (const role of ROLES) {
        const offers = availableActions(order, { ...personFor(role, order), policy })
        offered += offers.length
        for (const action of WORK_ORDER_ACTIONS) {
          const outcome = run(order, role, validCommand(action, order))
          expect(outcome.ok, `${name}: ${action} by ${role}${outcome.ok ? '' : ` (${outcome.message})`}`).toBe(offers.includes(action))
        }
      }
    }
    expect(offered).toBeGreaterThan(20)
  })

  it('offers the duty officer the center\'s commands and the lead department its own', () => {
    const ctx = (role: Role, order: WorkOrder) => ({ ...personFor(role, order), policy })
    expect(availableActions(F.accepted!, ctx('duty', F.accepted!)).sort()).toEqual(['answer', 'dispatch', 'merge'])
    expect(availableActions(F.dispatched!, ctx('lead', F.dispatched!)).sort()).toEqual(['return', 'sign'])
    expect(availableActions(F.inProgress!, ctx('lead', F.inProgress!)).sort()).toEqual(['reply', 'request_extension', 'return'])
    expect(availableActions(F.inProgress!, ctx('assisting', F.inProgress!))).toEqual(['assist_note'])
    expect(availableActions(F.inProgress!, ctx('other', F.inProgress!))).toEqual([])
    expect(availableActions(F.inProgress!, ctx('operator', F.inProgress!))).toEqual([])
  })
})

describe(applyDeadline.name, () => {
  const due = '2026-09-21T16:00:00.000Z'

  it('urges an overdue sign (level 1) and supervises an overdue handling (level 2)', () => {
    const signLate = applyDeadline(F.dispatched!, 'sign_overdue', due, at(5000))
    expect(signLate.order).toMatchObject({ supervision: 1, version: F.dispatched!.version + 1, updatedAt: at(5000) })
    expect(signLate.event).toEqual({ orderId: ORDER_ID, at: at(5000), action: 'sign_overdue', actor: SYSTEM_ACTOR, departmentId: 'env', from: 'dispatched', to: 'dispatched', detail: { dueAt: due, supervision: 1 } })
    const handleLate = applyDeadline(signLate.order, 'handle_overdue', due, at(6000))
    expect(handleLate.order).toMatchObject({ supervision: 2, version: F.dispatched!.version + 2 })
    expect(handleLate.event.detail).toEqual({ dueAt: due, supervision: 2 })
  })

  it('never lowers a level and leaves the order alone for warnings', () => {
    const supervised = must(F.dispatched!, 'duty', { action: 'supervise' }, at(20))
    const twice = must(supervised, 'duty', { action: 'supervise' }, at(21))
    for (const [order, mark] of [[twice, 'sign_overdue'], [F.publiclyNoted!, 'handle_overdue'], [F.dispatched!, 'sign_warning'], [F.inProgress!, 'handle_warning']] as const) {
      const { order: after, event } = applyDeadline(order, mark, due, at(5000))
      expect(after, mark).toEqual(order)
      expect(event).toMatchObject({ action: mark, actor: SYSTEM_ACTOR, from: order.state, to: order.state, detail: { dueAt: due } })
      expect(event.detail).not.toHaveProperty('supervision')
    }
  })
})

describe(absorbDuplicate.name, () => {
  const officer = personFor('duty', F.inProgress!).actor

  it('lists the duplicate on the order it was merged into, without changing its state', () => {
    const { order, event } = accepted(absorbDuplicate(F.inProgress!, 'hotline:dup1', officer, at(100)))
    expect(order).toEqual({ ...F.inProgress!, mergedIds: ['hotline:dup1'], version: F.inProgress!.version + 1, updatedAt: at(100) })
    expect(event).toEqual({ orderId: ORDER_ID, at: at(100), action: 'merged_from', actor: officer, departmentId: 'env', from: 'in_progress', to: 'in_progress', detail: { duplicateId: 'hotline:dup1' } })
    expect(F.inProgress!.mergedIds).toEqual([])
  })

  it('refuses the same duplicate twice and a closed or merged target', () => {
    const once = accepted(absorbDuplicate(F.inProgress!, 'hotline:dup1', officer, at(100))).order
    refused(absorbDuplicate(once, 'hotline:dup1', officer, at(101)), 'invalid')
    refused(absorbDuplicate(F.closed!, 'hotline:dup1', officer, at(101)), 'state')
    refused(absorbDuplicate(F.merged!, 'hotline:dup1', officer, at(101)), 'state')
  })
})
