import { describe, expect, it } from 'vitest'
import type { DeadlineFact } from './facts'
import { evaluateDeadline } from './deadline'
import { context, facts, MINUTE_MS, rule, T0 } from './test-support'

const item = (id: string, dueInMin: number, over: Partial<DeadlineFact> = {}): DeadlineFact =>
  ({ id, source: 'incident', townCode: '441900003', title: `工单 ${id}`, dueAt: T0 + dueInMin * MINUTE_MS, open: true, ...over })

describe(evaluateDeadline.name, () => {
  const near = rule({ id: 'near', name: '临期', kind: 'deadline', domain: 'hotline', severity: 'info', mode: 'near', withinMin: 240 })
  const overdue = rule({ id: 'over', name: '超期', kind: 'deadline', domain: 'hotline', severity: 'warning', mode: 'overdue', sources: ['incident'] })
  const items = [item('a', 30), item('b', 300), item('c', -90), item('d', -90, { open: false }), item('e', -5, { source: 'work-order' })]

  it('finds open items due within the limit', () => {
    const out = evaluateDeadline(near, context(T0, facts({ deadlines: items })))
    expect(out.map(c => [c.entityId, c.value, c.title])).toEqual([['a', -30, '工单 a 距办理时限 30 分钟']])
  })

  it('finds open overdue items of the chosen sources', () => {
    const out = evaluateDeadline(overdue, context(T0, facts({ deadlines: items })))
    expect(out.map(c => [c.entityId, c.value, c.title])).toEqual([['c', 90, '工单 c 已超期 1 小时']])
  })
})
