/**
 * Alerts through the running server and its simulator: a chemical-smell drill
 * in 沙田 raises the correlated air-plus-complaints alert; operators list,
 * acknowledge and silence alerts, a duty officer turns one into a work order
 * (linked both ways) and takes its CAP document; administrators change the
 * rules as versioned data and dry-run them over the recorded history.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditEntry } from '@shared/schemas/auth'
import { AlertAnswer, AlertDetail, AlertList } from '@shared/schemas/alerts'
import type { Alert } from '@shared/schemas/alerts'
import { AlertDryRunResult, AlertRulesAnswer, AlertSilenceList } from '@shared/schemas/alert-rules'
import type { AlertRuleInput } from '@shared/schemas/alert-rules'
import { Incident } from '@shared/schemas/incidents'
import type { HttpSession } from '@server/auth/auth.support'
import { userSession } from '@server/auth/auth.support'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import { baseUrl, fastCityConfig, until } from '@server/realtime/int.support'

const SHATIAN = '441900123'

let dir: string
let server: RunningServer
let admin: HttpSession
let duty: HttpSession
let operator: HttpSession

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ioc-alert-routes-'))
  // An hour of the city a minute; the rules every half second.
  server = await startServer(fastCityConfig(join(dir, 'ioc.db'), { simSpeed: 60, alertEvalMs: 500, alertGroupWaitMs: 0 }))
  const base = baseUrl(server)
  admin = await userSession(server, base, ['admin'])
  duty = await userSession(server, base, ['duty_officer'])
  operator = await userSession(server, base, ['operator'])
}, 60_000)

afterAll(async () => {
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

const active = async (query: string): Promise<Alert[]> => AlertList.parse((await operator.get(`/api/alerts?${query}`)).body).alerts

describe('alerts over REST', () => {
  let correlated: Alert

  it('raises the correlated air-plus-smell alert for a chemical-smell drill in one town', { timeout: 150_000 }, async () => {
    const drill = await duty.request('POST', '/api/scenarios', { kind: 'chemical-smell', area: { townCodes: [SHATIAN] }, intensity: 0.9 })
    expect(drill.status).toBe(201)
    correlated = (await until('the air-plus-smell alert in 沙田', async () =>
      (await active(`ruleId=cross.air-smell&town=${SHATIAN}`))[0], 1200, 100))
    expect(correlated).toMatchObject({ domain: 'cross', severity: 'critical', status: 'firing', townCode: SHATIAN })
    expect(correlated.title).toMatch(/空气污染与异味投诉关联.*沙田镇/)
    // Its sources are alerts of their own, in the same town.
    expect((await active(`ruleId=hotline.smell&town=${SHATIAN}`)).length).toBe(1)
  })

  it('acknowledges once, by whom, and keeps the events', { timeout: 30_000 }, async () => {
    const first = await operator.request('POST', `/api/alerts/${encodeURIComponent(correlated.id)}/ack`, { comment: '已通知生态环境分局' })
    expect(first.status).toBe(200)
    expect(AlertAnswer.parse(first.body).alert).toMatchObject({ status: 'acknowledged', acknowledgedBy: operator.info.principal.kind === 'user' ? operator.info.principal.username : '' })
    const again = await duty.request('POST', `/api/alerts/${encodeURIComponent(correlated.id)}/ack`, {})
    expect(AlertAnswer.parse(again.body).alert.acknowledgedBy).toBe(AlertAnswer.parse(first.body).alert.acknowledgedBy)
    const detail = AlertDetail.parse((await operator.get(`/api/alerts/${encodeURIComponent(correlated.id)}`)).body)
    expect(detail.events.map(e => e.type)).toEqual(['raised', 'acknowledged'])
    expect(detail.events[1]?.detail).toBe('已通知生态环境分局')
    const audit = AuditEntry.array().parse((await admin.get<{ entries: unknown[] }>('/api/admin/audit?action=alert.acknowledge&limit=5')).body.entries)
    expect(audit.map(e => e.targetId)).toEqual([correlated.id])
    // A wall's token and a leader may look, not act.
    expect((await userSession(server, baseUrl(server), ['leader']).then(l => l.request('POST', `/api/alerts/${encodeURIComponent(correlated.id)}/ack`, {}))).status).toBe(403)
  })

  it('turns the alert into a work order once, linked both ways, and gives its CAP 1.2 document', { timeout: 30_000 }, async () => {
    expect((await operator.request('POST', `/api/alerts/${encodeURIComponent(correlated.id)}/work-order`, {})).status).toBe(403)
    const made = await duty.request('POST', `/api/alerts/${encodeURIComponent(correlated.id)}/work-order`, { description: '请核查沙田镇工业区异味来源' })
    expect(made.status).toBe(201)
    const { alert } = AlertAnswer.parse(made.body)
    expect(alert.workOrderId).toMatch(/^GJ[0-9A-F]{12}$/)
    const order = Incident.parse((await duty.get<{ incident: unknown }>(`/api/incidents/ioc:${alert.workOrderId}`)).body.incident)
    expect(order).toMatchObject({ source: 'ioc', alertId: correlated.id, townCode: SHATIAN, topic: 'emergency', urgency: 'urgent', description: '请核查沙田镇工业区异味来源' })
    expect((await duty.request('POST', `/api/alerts/${encodeURIComponent(correlated.id)}/work-order`, {})).status).toBe(409)
    const detail = AlertDetail.parse((await operator.get(`/api/alerts/${encodeURIComponent(correlated.id)}`)).body)
    expect(detail.events.at(-1)).toMatchObject({ type: 'work-order', detail: alert.workOrderId })

    const cap = await fetch(`${baseUrl(server)}/api/alerts/${encodeURIComponent(correlated.id)}/cap`, { headers: { cookie: operator.cookie } })
    expect(cap.headers.get('content-type')).toMatch(/^application\/cap\+xml/)
    const xml = await cap.text()
    expect(xml).toContain('<msgType>Update</msgType>')
    expect(xml).toContain('<areaDesc>沙田镇</areaDesc>')
  })

  it('mutes a town\'s alerts for the time a silence lasts, and lifts it', { timeout: 60_000 }, async () => {
    expect((await userSession(server, baseUrl(server), ['leader']).then(l => l.request('POST', '/api/alert-silences', { matchers: { townCode: SHATIAN }, durationMin: 60 }))).status).toBe(403)
    expect((await operator.request('POST', '/api/alert-silences', { matchers: {}, durationMin: 60 })).status).toBe(400)
    const made = await operator.request<{ silence: { id: string } }>('POST', '/api/alert-silences', { matchers: { townCode: SHATIAN }, durationMin: 60, comment: '现场处置中' })
    expect(made.status).toBe(201)
    const listed = AlertSilenceList.parse((await operator.get('/api/alert-silences')).body).silences
    expect(listed.map(s => [s.id, s.matchers.townCode, s.comment])).toEqual([[made.body.silence.id, SHATIAN, '现场处置中']])
    const shatian = await active(`town=${SHATIAN}`)
    expect(shatian.length).toBeGreaterThan(0)
    expect(shatian.every(a => a.muted)).toBe(true)
    expect((await operator.request('DELETE', `/api/alert-silences/${made.body.silence.id}`)).status).toBe(200)
    expect(AlertSilenceList.parse((await operator.get('/api/alert-silences')).body).silences).toEqual([])
    expect((await active(`town=${SHATIAN}`)).every(a => !a.muted)).toBe(true)
  })

  it('keeps the rules as revisions: validated, stale saves refused, every save audited', { timeout: 30_000 }, async () => {
    const first = AlertRulesAnswer.parse((await admin.get('/api/alert-rules')).body)
    expect(first.ruleSet.revision).toBe(1)
    expect(first.ruleSet.rules.length).toBe(25)
    const rules = first.ruleSet.rules as AlertRuleInput[]
    const bad = rules.map((r, i) => (i === 3 ? { ...r, value: 'high' } : r))
    const refused = await admin.request<{ issues: { path: (string | number)[] }[] }>('PUT', '/api/alert-rules', { expectedRevision: 1, rules: bad })
    expect(refused.status).toBe(400)
    expect(refused.body.issues[0]?.path).toEqual(['rules', 3, 'value'])
    expect((await operator.request('PUT', '/api/alert-rules', { expectedRevision: 1, rules })).status).toBe(403)

    const stricter = rules.map(r => (r.id === 'air.station.aqi-150' ? { ...r, forMin: 30 } : r))
    const saved = await admin.request('PUT', '/api/alert-rules', { expectedRevision: 1, rules: stricter })
    expect(saved.status).toBe(200)
    const second = AlertRulesAnswer.parse(saved.body)
    expect(second.ruleSet).toMatchObject({ revision: 2 })
    expect(second.ruleSet.rules.find(r => r.id === 'air.station.aqi-150')?.forMin).toBe(30)
    expect(second.revisions.map(r => r.revision)).toEqual([2, 1])
    const stale = await admin.request<{ ruleSet: { revision: number } }>('PUT', '/api/alert-rules', { expectedRevision: 1, rules })
    expect(stale.status).toBe(409)
    expect(stale.body.ruleSet.revision).toBe(2)
    const audit = AuditEntry.array().parse((await admin.get<{ entries: unknown[] }>('/api/admin/audit?action=alert-rules.save&limit=5')).body.entries)
    expect(audit).toHaveLength(1)
  })

  it('dry-runs rules over the recorded history without raising anything', { timeout: 60_000 }, async () => {
    const before = AlertList.parse((await operator.get('/api/alerts?status=all&limit=500')).body).total
    const anyAir: AlertRuleInput = { id: 'dry.any-air', name: '任一站点有 AQI', kind: 'threshold', domain: 'air', severity: 'info', entityKind: 'station', metric: 'aqi', op: '>=', value: 0, forMin: 0 }
    const deadline: AlertRuleInput = { id: 'dry.deadline', name: '超期', kind: 'deadline', domain: 'hotline', severity: 'info', mode: 'overdue' }
    const res = await admin.request('POST', '/api/alert-rules/dry-run', { rules: [anyAir, deadline], hours: 1, stepMin: 5 })
    expect(res.status).toBe(200)
    const result = AlertDryRunResult.parse(res.body)
    expect(result.steps).toBeGreaterThan(0)
    const byRule = new Map(result.byRule.map(r => [r.ruleId, r]))
    // Every station that reported in the hour: one alert each, raised once (it held throughout).
    expect(byRule.get('dry.any-air')?.entities).toBeGreaterThan(20)
    expect(byRule.get('dry.any-air')?.raised).toBe(byRule.get('dry.any-air')?.entities)
    expect(result.notReplayed.map(n => n.ruleId)).toEqual(['dry.deadline'])
    expect((await admin.request('POST', '/api/alert-rules/dry-run', { rules: [{ ...anyAir, op: '≈' }] })).status).toBe(400)
    expect(AlertList.parse((await operator.get('/api/alerts?status=all&limit=500')).body).alerts.some(a => a.ruleId.startsWith('dry.'))).toBe(false)
    expect(before).toBeGreaterThan(0)
  })
})
