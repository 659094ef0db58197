import { describe, expect, it } from 'vitest'
import { fixtures } from '@shared/dispatch/machine.support'
import { withHandling } from '@shared/dispatch/handled'
import { incident } from '@shared/realtime/mirror.support'
import type { WorkOrder } from '@shared/schemas/work-orders'
import * as words from '@client/i18n/dispatch'
import { handlingLabel, supervisionLabel, workOrderMarks } from './work-order-marks'

/** t() over this file's own messages, as vue-i18n resolves a dotted key. */
const translator = (messages: object) => (key: string): string => {
  const found = key.replace(/^dispatch\./, '').split('.').reduce<unknown>((m, k) => (m as Record<string, unknown> | undefined)?.[k], messages)
  if (typeof found !== 'string')
    throw new Error(`no message ${key}`)
  return found
}
const zh = translator(words.zhCN)
const en = translator(words.en)

const orders = fixtures()
const handled = (order: WorkOrder) => withHandling(incident('hotline:1', 0, 0), order)

describe(handlingLabel.name, () => {
  it('names each state in Chinese as the center says it', () => {
    expect(handlingLabel(handled(orders.accepted!), zh)).toBe('受理')
    expect(handlingLabel(handled(orders.dispatched!), zh)).toBe('待签收')
    expect(handlingLabel(handled(orders.returnedUnsigned!), zh)).toBe('退单待审')
    expect(handlingLabel(handled(orders.inProgress!), zh)).toBe('办理中')
    expect(handlingLabel(handled(orders.pendingRevisit!), zh)).toBe('待回访')
    expect(handlingLabel(handled(orders.closed!), zh)).toBe('办结')
    expect(handlingLabel(handled(orders.merged!), zh)).toBe('已合并')
    // 重办 sends the order back to the department: 办理中 again.
    expect(handlingLabel(handled(orders.reopened!), zh)).toBe('办理中')
  })

  it('speaks English when asked, and says nothing of an incident without an order', () => {
    expect(handlingLabel(handled(orders.dispatched!), en)).toBe('To sign')
    expect(handlingLabel(incident('hotline:2', 0, 0), zh)).toBeNull()
  })
})

describe(workOrderMarks.name, () => {
  it('gives the state, the department holding the order and its supervision level', () => {
    const marks = workOrderMarks(handled(orders.publiclyNoted!), Date.parse(orders.publiclyNoted!.updatedAt))
    expect(marks).toMatchObject({ state: 'in_progress', departmentId: 'env', supervision: 3, overdue: false, done: false })
    expect(supervisionLabel(marks!.supervision, zh)).toBe('通报')
    expect(supervisionLabel(2, zh)).toBe('督办')
    expect(supervisionLabel(0, zh)).toBeNull()
  })

  it('marks 超期 once the running deadline is past: signing while unsigned, handling after', () => {
    const dispatched = orders.dispatched!
    expect(workOrderMarks(handled(dispatched), Date.parse(dispatched.signDueAt!) - 1)?.overdue).toBe(false)
    expect(workOrderMarks(handled(dispatched), Date.parse(dispatched.signDueAt!))?.overdue).toBe(true)
    const inProgress = orders.inProgress!
    expect(workOrderMarks(handled(inProgress), Date.parse(inProgress.handleDueAt) - 1)?.overdue).toBe(false)
    expect(workOrderMarks(handled(inProgress), Date.parse(inProgress.handleDueAt))?.overdue).toBe(true)
  })

  it('never marks a closed or merged order overdue', () => {
    const late = Date.parse(orders.closed!.handleDueAt) + 86_400_000
    expect(workOrderMarks(handled(orders.closed!), late)).toMatchObject({ overdue: false, done: true })
    expect(workOrderMarks(handled(orders.merged!), late)).toMatchObject({ overdue: false, done: true })
  })

  it('has no marks for an incident the center does not handle', () => {
    expect(workOrderMarks(incident('hotline:2', 0, 0), Date.now())).toBeNull()
  })
})
