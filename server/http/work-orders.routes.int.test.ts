/**
 * Work orders through the running server: 12345 calls arrive on a webhook
 * feed; a duty officer dispatches, the department signs, asks for more time,
 * replies, the revisit closes (or reopens) the order. Commands are applied
 * once under their idempotency key; two officers on one version get one
 * winner and one conflict; handlers see only their department's orders;
 * deadlines fire once; every step is audited and reaches the incidents
 * stream the wall reads.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditEntry } from '@shared/schemas/auth'
import { CityModel } from '@shared/schemas/city'
import { WorkOrderDetail, WorkOrderList } from '@shared/schemas/work-order-views'
import { DispatchKpis, WorkOrderBatchAnswer, WorkOrderCommandAnswer, WorkOrderConflict } from '@shared/schemas/work-orders'
import type { WorkOrder } from '@shared/schemas/work-orders'
import type { HttpSession } from '@server/auth/auth.support'
import { userSession } from '@server/auth/auth.support'
import { hotlineCall, incidentWebhook, sendCommand } from '@server/dispatch/dispatch.support'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import type { ClientSocket } from '@server/realtime/int.support'
import { baseUrl, connectClient, fastCityConfig, subscribeOk, until } from '@server/realtime/int.support'

const hooks = incidentWebhook()
let dir: string
let server: RunningServer
let base: string
let admin: HttpSession
let duty: HttpSession
let duty2: HttpSession
let eco: HttpSession
let otherDept: HttpSession
let ecoId: string
let urbanId: string
const sockets: ClientSocket[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ioc-work-orders-'))
  server = await startServer(fastCityConfig(join(dir, 'ioc.db'), { simulator: false, alerts: false, feeds: [hooks.feedConfig], dispatchScanMs: 200 }))
  base = baseUrl(server)
  admin = await userSession(server, base, ['admin'])
  duty = await userSession(server, base, ['duty_officer'])
  duty2 = await userSession(server, base, ['duty_officer'])
  const city = CityModel.parse((await duty.get('/api/city')).body)
  ecoId = city.departments.find(d => d.id.endsWith('-eco-env'))!.id
  urbanId = city.departments.find(d => d.id.endsWith('-urban-mgmt'))!.id
  eco = await userSession(server, base, ['dept_handler'], ecoId)
  otherDept = await userSession(server, base, ['dept_handler'], urbanId)
}, 60_000)

afterAll(async () => {
  for (const s of sockets)
    s.close()
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

const detail = async (who: HttpSession, id: string) => {
  const res = await who.get(`/api/work-orders/${encodeURIComponent(id)}`)
  return { status: res.status, body: res.status === 200 ? WorkOrderDetail.parse(res.body) : undefined }
}

/** Pushes calls and waits until their orders are in the queue. */
async function arrive(...tickets: Array<[string, Parameters<typeof hotlineCall>[2]?]>): Promise<string[]> {
  const at = new Date().toISOString()
  await hooks.push(base, tickets.map(([no, fields]) => hotlineCall(no, at, fields)))
  const ids = tickets.map(([no]) => `${hooks.id}:${no}`)
  await until('the orders in the queue', async () => {
    const list = WorkOrderList.parse((await duty.get('/api/work-orders?state=accepted')).body)
    return ids.every(id => list.items.some(i => i.id === id))
  }, 200, 50)
  return ids
}

const ok = (res: { status: number, body: unknown }): WorkOrder => {
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return WorkOrderCommandAnswer.parse(res.body).order
}

describe('work orders over REST', () => {
  it('takes a call through 受理 → 派单 → 签收 → 延期 → 反馈 → 回访 → 办结, with its timeline, audit and the wall\'s stream at each step', { timeout: 60_000 }, async () => {
    const wall = await connectClient(server, sockets)
    await subscribeOk(wall.socket, { stream: 'incidents' })
    const [id] = await arrive(['WO-1001'])
    const first = await detail(duty, id!)
    expect(first.body!.incident.handling).toMatchObject({ state: 'accepted', version: 1, departmentId: ecoId })
    expect(first.body!.suggestion.departmentId).toBe(ecoId)
    expect(first.body!.suggestion.reasons.join(' ')).toContain('环境保护')
    expect(first.body!.actions).toEqual(expect.arrayContaining(['dispatch', 'answer', 'merge']))
    expect(first.body!.timeline.map(e => e.action)).toEqual(['create'])

    let order = ok(await sendCommand(duty, id!, 1, { action: 'dispatch', departmentId: ecoId, assistingDepartmentIds: [urbanId], note: '请核查' }))
    expect(order).toMatchObject({ state: 'dispatched', version: 2, assistingDepartmentIds: [urbanId] })
    expect(order.signDueAt).not.toBeNull()
    // The handler's inbox: its own order, with what it may do.
    const inbox = WorkOrderList.parse((await eco.get('/api/work-orders')).body)
    expect(inbox.items.map(i => i.id)).toContain(id)
    expect((await detail(eco, id!)).body!.actions).toEqual(expect.arrayContaining(['sign', 'return']))
    // The assisting department sees it too, and may only add its note once the order is being handled.
    expect((await detail(otherDept, id!)).body!.actions).toEqual([])
    order = ok(await sendCommand(eco, id!, 2, { action: 'sign' }))
    ok(await sendCommand(otherDept, id!, order.version, { action: 'assist_note', text: '城管已到场配合' }))
    order = ok(await sendCommand(eco, id!, 4, { action: 'request_extension', workingDays: 5, reason: '需第三方检测' }))
    const dueBefore = order.handleDueAt
    order = ok(await sendCommand(duty, id!, 5, { action: 'review_extension', approve: true }))
    expect(order.handleDueAt > dueBefore).toBe(true)
    expect(order.extensionsGranted).toBe(1)
    order = ok(await sendCommand(eco, id!, 6, { action: 'reply', summary: '已责令整改，复查达标', resolved: true }))
    expect(order.state).toBe('pending_revisit')
    order = ok(await sendCommand(duty, id!, 7, { action: 'revisit', satisfaction: 'satisfied', note: '市民表示满意' }))
    expect(order).toMatchObject({ state: 'closed', version: 8 })

    const done = (await detail(duty, id!)).body!
    expect(done.timeline.map(e => [e.action, e.from, e.to])).toEqual([
      ['create', null, 'accepted'],
      ['dispatch', 'accepted', 'dispatched'],
      ['sign', 'dispatched', 'in_progress'],
      ['assist_note', 'in_progress', 'in_progress'],
      ['request_extension', 'in_progress', 'in_progress'],
      ['review_extension', 'in_progress', 'in_progress'],
      ['reply', 'in_progress', 'pending_revisit'],
      ['revisit', 'pending_revisit', 'closed'],
    ])
    expect(done.incident.status).toBe('closed')
    // Each command once in the audit log, by whom.
    const audit = AuditEntry.array().parse((await admin.get<{ entries: unknown[] }>(`/api/admin/audit?targetId=${encodeURIComponent(id!)}&limit=50`)).body.entries)
    expect(audit.filter(e => e.outcome === 'ok').map(e => e.action).sort()).toEqual(['workorder.assist_note', 'workorder.dispatch', 'workorder.reply', 'workorder.request_extension', 'workorder.review_extension', 'workorder.revisit', 'workorder.sign'].sort())
    // The wall's stream carried every state of the order.
    await until('the stream to carry the close', () => wall.events.some(e => e.stream === 'incidents' && (e.data as { incidents: { id: string, handling?: WorkOrder }[] }).incidents.some(i => i.id === id && i.handling?.state === 'closed')))
    const states = wall.events.filter(e => e.stream === 'incidents')
      .flatMap(e => (e.data as { incidents: { id: string, handling?: WorkOrder }[] }).incidents.filter(i => i.id === id).map(i => i.handling?.state))
    expect(new Set(states)).toEqual(new Set(['accepted', 'dispatched', 'in_progress', 'pending_revisit', 'closed']))
  })

  it('applies a repeated command once, answers it the same, and refuses the key for another order', { timeout: 30_000 }, async () => {
    const [a, b] = await arrive(['WO-2001'], ['WO-2002'])
    const commandId = randomUUID()
    const first = await sendCommand(duty, a!, 1, { action: 'dispatch', departmentId: ecoId }, commandId)
    const again = await sendCommand(duty, a!, 1, { action: 'dispatch', departmentId: ecoId }, commandId)
    expect(ok(again)).toEqual(ok(first))
    expect(WorkOrderCommandAnswer.parse(again.body).replayed).toBe(true)
    expect((await detail(duty, a!)).body!.timeline.filter(e => e.action === 'dispatch')).toHaveLength(1)
    expect((await sendCommand(duty, b!, 1, { action: 'dispatch', departmentId: ecoId }, commandId)).status).toBe(422)
  })

  it('lets one of two officers acting on the same version win; the other gets the order as it now is', { timeout: 30_000 }, async () => {
    const [id] = await arrive(['WO-3001'])
    const [x, y] = await Promise.all([
      sendCommand(duty, id!, 1, { action: 'dispatch', departmentId: ecoId }),
      sendCommand(duty2, id!, 1, { action: 'dispatch', departmentId: urbanId }),
    ])
    const statuses = [x.status, y.status].sort()
    expect(statuses).toEqual([200, 409])
    const loser = WorkOrderConflict.parse((x.status === 409 ? x : y).body)
    const winner = WorkOrderCommandAnswer.parse((x.status === 200 ? x : y).body)
    expect(loser.order).toEqual(winner.order)
    // Both attempts audited: one accepted, one refused.
    const audit = AuditEntry.array().parse((await admin.get<{ entries: unknown[] }>(`/api/admin/audit?targetId=${encodeURIComponent(id!)}&limit=10`)).body.entries)
    expect(audit.map(e => e.outcome).sort()).toEqual(['failed', 'ok'])
  })

  it('keeps a department to its own orders, and the wrong department or role out', { timeout: 30_000 }, async () => {
    const [id] = await arrive(['WO-4001'])
    // Not dispatched to them: not in their queue, not found, and no command.
    expect(WorkOrderList.parse((await otherDept.get('/api/work-orders')).body).items.map(i => i.id)).not.toContain(id)
    expect((await detail(otherDept, id!)).status).toBe(404)
    ok(await sendCommand(duty, id!, 1, { action: 'dispatch', departmentId: ecoId }))
    expect((await sendCommand(otherDept, id!, 2, { action: 'sign' })).status).toBe(403)
    // A handler cannot dispatch, an officer cannot sign for a department, an operator cannot act at all.
    expect((await sendCommand(eco, id!, 2, { action: 'supervise' })).status).toBe(403)
    expect((await sendCommand(duty, id!, 2, { action: 'sign' })).status).toBe(403)
    const operator = await userSession(server, base, ['operator'])
    expect((await sendCommand(operator, id!, 2, { action: 'sign' })).status).toBe(403)
    // A command the state does not allow: 422 with why.
    const early = await sendCommand(eco, id!, 2, { action: 'reply', summary: '已处理', resolved: true })
    expect(early.status).toBe(422)
    expect(early.body.message).toContain('dispatched')
  })

  it('returns an order, reassigns it (改派), reopens it on an unsatisfied revisit (重办), merges a duplicate and answers one directly', { timeout: 30_000 }, async () => {
    const [id, dup, consult] = await arrive(['WO-5001'], ['WO-5002'], ['WO-5003', { nature: 'consult', title: '咨询垃圾分类时间' }])
    let order = ok(await sendCommand(duty, id!, 1, { action: 'dispatch', departmentId: urbanId }))
    order = ok(await sendCommand(otherDept, id!, order.version, { action: 'return', reason: '属环保职能' }))
    expect(order).toMatchObject({ state: 'returned', returns: 1 })
    order = ok(await sendCommand(duty, id!, order.version, { action: 'review_return', decision: 'redispatch', departmentId: ecoId }))
    expect(order).toMatchObject({ state: 'dispatched', departmentId: ecoId })
    order = ok(await sendCommand(eco, id!, order.version, { action: 'sign' }))
    order = ok(await sendCommand(eco, id!, order.version, { action: 'reply', summary: '已处理', resolved: false }))
    order = ok(await sendCommand(duty, id!, order.version, { action: 'revisit', satisfaction: 'unsatisfied', note: '气味仍在' }))
    expect(order).toMatchObject({ state: 'in_progress', reopens: 1 })

    const merged = ok(await sendCommand(duty, dup!, 1, { action: 'merge', intoId: id! }))
    expect(merged).toMatchObject({ state: 'merged', mergedInto: id })
    expect((await detail(duty, id!)).body!.incident.handling.mergedIds).toEqual([dup])

    const answered = ok(await sendCommand(duty, consult!, 1, { action: 'answer', summary: '每周一、三、五晚 7–9 点' }))
    expect(answered).toMatchObject({ state: 'closed', reply: { resolved: true } })
  })

  it('dispatches in bulk, each order answered on its own', { timeout: 30_000 }, async () => {
    const ids = await arrive(['WO-6001'], ['WO-6002'], ['WO-6003'])
    ok(await sendCommand(duty, ids[2]!, 1, { action: 'answer', summary: '已答复' }))
    const res = await duty.request('POST', '/api/work-orders/commands', {
      items: ids.map(orderId => ({ orderId, commandId: randomUUID(), expectedVersion: 1, command: { action: 'dispatch', departmentId: ecoId } })),
    })
    expect(res.status).toBe(200)
    const { results } = WorkOrderBatchAnswer.parse(res.body)
    expect(results.map(r => r.outcome)).toEqual(['ok', 'ok', 'conflict'])
  })

  it('gives an urgent order 30 minutes to sign, and counts every step in the dispatch KPIs, per department', { timeout: 60_000 }, async () => {
    const [id] = await arrive(['WO-7001', { urgency: 'urgent', title: '燃气泄漏' }])
    const order = ok(await sendCommand(duty, id!, 1, { action: 'dispatch', departmentId: ecoId }))
    expect(Date.parse(order.signDueAt!) - Date.parse(order.dispatchedAt!)).toBe(30 * 60_000)
    expect(order.priority).toBe('urgent')
    const kpis = DispatchKpis.parse((await duty.get('/api/dispatch/kpis')).body)
    expect(kpis.city.dispatched).toBeGreaterThanOrEqual(8)
    expect(kpis.city.closed).toBeGreaterThanOrEqual(3)
    expect(kpis.city.returned).toBe(1)
    expect(kpis.city.reopened).toBe(1)
    expect(kpis.city.satisfied).toBe(1)
    expect(kpis.departments.find(d => d.departmentId === urbanId)?.returned).toBe(1)
    expect((await otherDept.get('/api/dispatch/kpis')).status).toBe(403)
  })
})
