/**
 * All four domains alive through the real server: the simulated city feeds
 * traffic, halls and 12345 incidents into their streams and REST endpoints,
 * feed health is published, and a drill scenario injected over REST plays
 * out in the incident stream.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { StreamEventSchema, SubscribeResultSchema } from '@shared/realtime/events'
import type { StreamName } from '@shared/realtime/streams'
import { CityModel } from '@shared/schemas/city'
import { FeedHealth } from '@shared/schemas/feeds'
import { HallReading, HallsSummary } from '@shared/schemas/halls'
import { Incident, IncidentsSummary } from '@shared/schemas/incidents'
import { ActiveScenario } from '@shared/schemas/scenarios'
import { CityTraffic, SegmentUpdate } from '@shared/schemas/traffic'
import { userSession } from '@server/auth/auth.support'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import type { ClientSocket } from './int.support'
import { baseUrl, connectClient, fastCityConfig, fastClock, getJson, subscribeOk, until, wallSession } from './int.support'

/** Monday 2026-11-23 09:30 in Dongguan: halls open, the morning's calls coming in. */
const T0 = Date.parse('2026-11-23T01:30:00.000Z')
/** A second of real time is ten simulated minutes. */
const SIM_MS_PER_REAL_MS = 600
const SHATIAN = '441900123'

describe('the four domains through the running server', { timeout: 90_000 }, () => {
  let dir: string
  let server: RunningServer
  let city: CityModel
  const opened: ClientSocket[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-city-streams-'))
    server = await startServer(fastCityConfig(join(dir, 'ioc.db')), { clock: fastClock(T0, SIM_MS_PER_REAL_MS) })
    city = CityModel.parse((await getJson(server, '/api/city')).body)
  })
  afterEach(() => {
    for (const socket of opened.splice(0))
      socket.disconnect()
  })
  afterAll(async () => {
    await server?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('serves every domain over REST, checked against the contract', async () => {
    const traffic = await until('traffic for every segment', async () => {
      const { body } = await getJson<{ segments: unknown[], city: unknown }>(server, '/api/traffic/latest')
      return body.segments.length === city.roads.length && body
    })
    traffic.segments.forEach(s => SegmentUpdate.parse(s))
    expect(CityTraffic.parse(traffic.city).segmentsTotal).toBe(city.roads.length)

    const halls = await until('every hall', async () => {
      const { body } = await getJson<{ halls: unknown[], summary: unknown }>(server, '/api/halls/latest')
      return body.halls.length === city.halls.length && body
    })
    halls.halls.forEach(h => HallReading.parse(h))
    expect(HallsSummary.parse(halls.summary).hallsTotal).toBe(36)
    // 09:30 on a working day: the halls are open and people are queueing.
    expect(HallsSummary.parse(halls.summary).windowsOpen).toBeGreaterThan(0)

    const incidents = await until('12345 incidents', async () => {
      const { body } = await getJson<{ incidents: unknown[] }>(server, '/api/incidents?limit=50')
      return body.incidents.length >= 5 && body.incidents
    })
    for (const i of incidents.map(i => Incident.parse(i))) {
      expect(i.source).toBe('simulator')
      expect(Date.parse(i.dueAt)).toBeGreaterThan(Date.parse(i.reportedAt))
      expect(city.departments.map(d => d.id)).toContain(i.departmentId)
    }
    const summary = IncidentsSummary.parse((await getJson(server, '/api/incidents/summary')).body)
    expect(summary.intakeToday).toBeGreaterThan(0)

    const feeds = (await getJson<{ feeds: unknown[] }>(server, '/api/feeds')).body.feeds.map(f => FeedHealth.parse(f))
    expect(feeds).toMatchObject([{ id: 'simulator', adapter: 'simulator', status: 'up' }])
  })

  it('gives each stream a snapshot and then numbered events', async () => {
    const c = await connectClient(server, opened)
    const streams: StreamName[] = ['traffic', 'halls', 'incidents', 'feed-health']
    const snapshots = await Promise.all(streams.map(stream => subscribeOk(c.socket, { stream })))
    for (const snap of snapshots)
      expect(snap.mode).toBe('snapshot')
    await until('events on every stream', () => streams.every(s => c.events.filter(e => e.stream === s).length >= 2), 600)
    // Every payload as the contract has it: traffic carries [id, km/h, grade] tuples, not full readings.
    for (const snap of snapshots)
      SubscribeResultSchema.parse(snap)
    for (const event of c.events)
      StreamEventSchema.parse(event)
    for (const [i, stream] of streams.entries()) {
      const seqs = c.events.filter(e => e.stream === stream).map(e => e.seq)
      expect(seqs[0]).toBe((snapshots[i]?.seq ?? 0) + 1)
      expect(seqs).toEqual(seqs.map((_, k) => (seqs[0] ?? 0) + k))
    }
  })

  it('plays a chemical-smell drill in 沙田 out as complaints from there', async () => {
    // Drills are the duty officer's (shared/auth/policy.ts).
    const duty = await userSession(server, baseUrl(server), ['duty_officer'])
    const post = (body: unknown): Promise<{ status: number, body: unknown }> => duty.request('POST', '/api/scenarios', body)
    expect((await post({ kind: 'volcano' })).status).toBe(400)
    expect((await post({ kind: 'chemical-smell', area: { townCodes: ['999999999'] } })).status).toBe(422)

    const created = await post({ kind: 'chemical-smell', area: { townCodes: [SHATIAN] }, intensity: 1, durationMin: 120 })
    expect(created.status).toBe(201)
    const scenario = ActiveScenario.parse(created.body)
    expect(scenario.area.townCodes).toContain(SHATIAN)
    expect((await duty.get<{ scenarios: ActiveScenario[] }>('/api/scenarios')).body.scenarios.map(s => s.id)).toContain(scenario.id)
    // A wall may watch, not play drills.
    expect((await (await wallSession(server)).request('POST', '/api/scenarios', { kind: 'heavy-rain' })).status).toBe(403)

    const started = Date.parse(scenario.startsAt)
    await until('environment complaints from 沙田 after the drill began', async () => {
      const { incidents } = (await getJson<{ incidents: Incident[] }>(server, '/api/incidents?limit=1000')).body
      return incidents.filter(i => i.townCode === SHATIAN && i.topic === 'environment' && Date.parse(i.reportedAt) >= started).length >= 3
    }, 600)

    expect((await duty.request('DELETE', `/api/scenarios/${scenario.id}`)).status).toBe(204)
    expect((await duty.request('DELETE', `/api/scenarios/${scenario.id}`)).status).toBe(404)
  })
})
