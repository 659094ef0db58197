/**
 * The simulated city's officers on the running server: the simulator's own
 * 12345 orders are dispatched, signed, replied to when the simulated
 * platform handles them, revisited and closed, through the same commands
 * (and timeline and audit) as people's; 咨询 answered at the call close
 * directly. Orders of any other feed are left alone.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditEntry } from '@shared/schemas/auth'
import { WorkOrderDetail, WorkOrderList } from '@shared/schemas/work-order-views'
import type { HttpSession } from '@server/auth/auth.support'
import { userSession } from '@server/auth/auth.support'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import { baseUrl, fastCityConfig, until } from '@server/realtime/int.support'
import { hotlineCall, incidentWebhook } from './dispatch.support'

const hooks = incidentWebhook()
let dir: string
let server: RunningServer
let duty: HttpSession
let admin: HttpSession

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ioc-sim-officers-'))
  // Eight simulated hours a real minute, a quieter city than the default: an order's cycle to its revisit takes hours.
  server = await startServer(fastCityConfig(join(dir, 'ioc.db'), { simSpeed: 480, simIncidentsPerDay: 1200, simDispatch: true, alerts: false, feeds: [hooks.feedConfig] }))
  duty = await userSession(server, baseUrl(server), ['duty_officer'])
  admin = await userSession(server, baseUrl(server), ['admin'])
}, 60_000)

afterAll(async () => {
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

const queue = async (query: string) => WorkOrderList.parse((await duty.get(`/api/work-orders?${query}`)).body)

describe('the simulated officers', () => {
  it('work the simulator\'s orders through the whole cycle, and leave other feeds\' orders to people', { timeout: 300_000 }, async () => {
    await hooks.push(baseUrl(server), [hotlineCall('PEOPLE-1', new Date().toISOString())])
    // Within simulated hours: orders at every step, and closed ones revisited.
    const list = await until('orders revisited and closed by the simulated officers', async () => {
      const l = await queue('limit=500')
      return l.byState.dispatched && l.byState.in_progress && (l.byState.closed ?? 0) >= 3 && l.items.some(i => i.handling.state === 'closed' && i.handling.revisit !== null) ? l : undefined
    }, 480, 500)
    expect(list.byState.accepted ?? 0).toBeGreaterThan(0)
    const revisited = list.items.find(i => i.handling.state === 'closed' && i.handling.revisit !== null)!
    const timeline = WorkOrderDetail.parse((await duty.get(`/api/work-orders/${encodeURIComponent(revisited.id)}`)).body).timeline
    // The steps, among the deadline entries a late sign or reply adds.
    expect(timeline.map(e => e.action).filter(a => !/_(?:warning|overdue)$/.test(a))).toEqual(['create', 'dispatch', 'sign', 'reply', 'revisit'])
    expect(timeline[1]!.actor.id).toBe('sim-duty')
    expect(timeline[2]!.actor.departmentId).toBe(revisited.handling.departmentId)
    // A 咨询 the platform answered at the call: closed with a direct answer, never dispatched.
    const answered = await until('a direct answer', async () => (await queue('state=closed&nature=consult&limit=500')).items.find(i => i.handling.dispatchedAt === null))
    expect(answered.handling.reply?.resolved).toBe(true)
    // Audited like people's commands, by the simulated officers.
    const audit = AuditEntry.array().parse((await admin.get<{ entries: unknown[] }>('/api/admin/audit?action=workorder.dispatch&actor=sim-duty&limit=5')).body.entries)
    expect(audit.length).toBeGreaterThan(0)
    // The webhook's order is the people's: still as it arrived.
    const people = WorkOrderDetail.parse((await duty.get(`/api/work-orders/${encodeURIComponent(`${hooks.id}:PEOPLE-1`)}`)).body)
    expect(people.incident.handling.state).toBe('accepted')
  })
})
