/**
 * Drills through the running server, simulator and all: a duty officer
 * starts a named drill; the 12345 calls its scenario causes arrive marked
 * with its id and stay out of the wall's 12345 counts; it is ended by hand
 * and keeps its after-action summary; leaders read it; others may not start
 * one; with the simulator off there is nothing to start it on.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditEntry } from '@shared/schemas/auth'
import type { DrillRequestInput } from '@shared/schemas/drills'
import { DrillDetail, DrillList } from '@shared/schemas/drills'
import type { HttpSession } from '@server/auth/auth.support'
import { userSession } from '@server/auth/auth.support'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import { baseUrl, fastCityConfig, fastClock, until } from '@server/realtime/int.support'

/** Monday 2026-11-23, 10:00 in Dongguan; ten simulated minutes a real second. */
const T0 = Date.parse('2026-11-23T02:00:00.000Z')
const SHATIAN = '441900123'
const request: DrillRequestInput = { name: '2026年第4季度沙田异味应急演练', scenario: { kind: 'chemical-smell', area: { townCodes: [SHATIAN] }, durationMin: 24 * 60, intensity: 1 } }

let dir: string
let server: RunningServer
let duty: HttpSession
let leader: HttpSession
let operator: HttpSession
let handler: HttpSession
let admin: HttpSession
const clock = fastClock(T0, 600)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ioc-drills-'))
  // A third of the city's calls: the open ones fit in one page of GET /api/incidents.
  server = await startServer(fastCityConfig(join(dir, 'ioc.db'), { alerts: false, simIncidentsPerDay: 2000 }), { clock })
  const base = baseUrl(server)
  duty = await userSession(server, base, ['duty_officer'])
  leader = await userSession(server, base, ['leader'])
  operator = await userSession(server, base, ['operator'])
  handler = await userSession(server, base, ['dept_handler'], 'dg-eco-env')
  admin = await userSession(server, base, ['admin'])
}, 60_000)

afterAll(async () => {
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('/api/drills', () => {
  it('starts a named drill whose calls carry its id, ends it and keeps its summary', { timeout: 120_000 }, async () => {
    const started = await duty.request('POST', '/api/drills', request)
    expect(started.status).toBe(201)
    const { drill } = DrillDetail.parse(started.body)
    expect(drill).toMatchObject({ name: request.name, status: 'running', startedBy: expect.any(String) as string, scenario: { kind: 'chemical-smell', drillId: drill.id } })

    // The scenario's calls come in marked with the drill.
    const sofar = await until('the drill\'s first calls', async () => {
      const d = DrillDetail.parse((await leader.get(`/api/drills/${drill.id}`)).body)
      return d.summary.orders.total >= 3 && d
    }, 600, 100)
    expect(sofar.summary.final).toBe(false)
    // The city stands still while it is counted twice (a round made just before is let in first: rounds leave every 200 ms).
    clock.frozen = true
    await new Promise(resolve => setTimeout(resolve, 600))
    await server.drained()
    const incidents = (await duty.get<{ incidents: { id: string, drillId?: string }[] }>('/api/incidents?status=open&limit=500')).body.incidents
    const summary = (await duty.get<{ open: number }>('/api/incidents/summary')).body
    clock.frozen = false
    expect(incidents.length).toBeLessThan(500)
    const marked = incidents.filter(i => i.drillId === drill.id)
    expect(marked.length).toBeGreaterThanOrEqual(3)
    // The wall's open count is the real calls only.
    expect(summary.open).toBe(incidents.length - marked.length)

    expect(DrillList.parse((await leader.get('/api/drills')).body).drills.map(d => d.id)).toEqual([drill.id])

    const ended = await duty.request('POST', `/api/drills/${drill.id}/end`)
    expect(ended.status).toBe(200)
    const after = DrillDetail.parse(ended.body)
    expect(after.drill).toMatchObject({ status: 'ended', endedBy: after.drill.startedBy })
    expect(after.summary.final).toBe(true)
    expect(after.summary.orders.total).toBeGreaterThanOrEqual(sofar.summary.orders.total)
    expect(after.summary.timeline.map(m => m.kind)).toEqual(expect.arrayContaining(['drill-start', 'drill-end', 'first-call']))
    // Its scenario stopped with it.
    expect((await duty.get<{ scenarios: unknown[] }>('/api/scenarios')).body.scenarios).toEqual([])
    expect((await duty.request('POST', `/api/drills/${drill.id}/end`)).status).toBe(409)
    // The kept summary, as it was made at the end.
    expect(DrillDetail.parse((await leader.get(`/api/drills/${drill.id}`)).body).summary).toEqual(after.summary)

    const audit = (await admin.get<unknown[]>(`/api/admin/audit?targetId=${drill.id}`))
    const entries = AuditEntry.array().parse(Array.isArray(audit.body) ? audit.body : (audit.body as { entries: unknown[] }).entries)
    expect(entries.map(e => e.action).sort()).toEqual(['drill.end', 'drill.start'])
  })

  it('lets only those who run scenarios start or end one, and leaders read them', async () => {
    expect((await leader.request('POST', '/api/drills', request)).status).toBe(403)
    expect((await operator.request('POST', '/api/drills', request)).status).toBe(403)
    expect((await handler.request('POST', '/api/drills/x/end')).status).toBe(403)
    expect((await operator.get('/api/drills')).status).toBe(403)
    expect((await handler.get('/api/drills')).status).toBe(403)
    expect((await leader.get('/api/drills')).status).toBe(200)
    expect((await leader.get('/api/drills/no-such')).status).toBe(404)
    expect((await duty.request('POST', '/api/drills/no-such/end')).status).toBe(404)
  })

  it('refuses a malformed drill and a town the city does not have', async () => {
    expect((await duty.request('POST', '/api/drills', { ...request, name: '' })).status).toBe(400)
    expect((await duty.request('POST', '/api/drills', { ...request, scenario: { kind: 'chemical-smell', area: { townCodes: ['441900999'] } } })).status).toBe(422)
  })
})

describe('/api/drills with the simulator off', () => {
  it('answers 409 to a start, and lists nothing', { timeout: 60_000 }, async () => {
    const offDir = await mkdtemp(join(tmpdir(), 'ioc-drills-off-'))
    const off = await startServer(fastCityConfig(join(offDir, 'ioc.db'), { simulator: false, alerts: false }))
    try {
      const who = await userSession(off, baseUrl(off), ['duty_officer'])
      expect((await who.request('POST', '/api/drills', request)).status).toBe(409)
      expect((await who.get('/api/drills')).body).toEqual({ drills: [] })
    }
    finally {
      await off.close()
      await rm(offDir, { recursive: true, force: true })
    }
  })
})
