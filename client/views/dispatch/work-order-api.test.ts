import { describe, expect, it } from 'vitest'
import { readCommandAnswer } from './work-order-api'

const order = {
  id: 'hooks:1', state: 'dispatched', version: 2, nature: 'complaint', topic: 'environment', townCode: null, priority: 'normal',
  departmentId: 'dg-env', assistingDepartmentIds: [], acceptedAt: '2026-12-01T02:00:00.000Z', dispatchedAt: '2026-12-01T03:00:00.000Z', signedAt: null,
  repliedAt: null, closedAt: null, signDueAt: '2026-12-02T16:00:00.000Z', handleDueAt: '2026-12-11T16:00:00.000Z', extensionRequest: null,
  extensionsGranted: 0, returnRequest: null, reply: null, revisit: null, supervision: 0, returns: 0, reopens: 0, mergedInto: null, mergedIds: [],
  updatedAt: '2026-12-01T03:00:00.000Z',
}

describe('readCommandAnswer', () => {
  it('reads a 409 as a conflict with the order as it now is', () => {
    const outcome = readCommandAnswer(409, { error: 'conflict', message: '工单已被他人更新（当前版本 2，状态 dispatched）', order })
    expect(outcome).toMatchObject({ kind: 'conflict', order: { version: 2, state: 'dispatched' } })
  })
  it('reads a 422 or 403 as a refusal with the server\'s message', () => {
    expect(readCommandAnswer(422, { error: 'refused', code: 'state', message: '没有待审批的延期申请', order })).toEqual({ kind: 'refused', status: 422, message: '没有待审批的延期申请' })
    expect(readCommandAnswer(403, { error: 'refused', code: 'forbidden', message: '工单不在本部门' })).toEqual({ kind: 'refused', status: 403, message: '工单不在本部门' })
    expect(readCommandAnswer(404, { error: 'no such work order' })).toEqual({ kind: 'refused', status: 404, message: 'no such work order' })
  })
  it('refuses a 200 whose body is not an answer', () => {
    expect(() => readCommandAnswer(200, { order })).toThrow(/unexpected command answer/)
  })
})
