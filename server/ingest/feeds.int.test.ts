/**
 * Real connectors through the real server: a record published to the
 * Mosquitto broker and a signed webhook batch each change the live state;
 * a forged signature changes nothing; bad records land in the dead-letter
 * list with reasons; feed health shows both feeds.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StationReading } from '@shared/schemas/air'
import type { FeedHealth, RejectedRecord } from '@shared/schemas/feeds'
import type { Incident, IncidentIntake } from '@shared/schemas/incidents'
import { Config } from '@server/config'
import { signWebhook } from '@server/feeds/webhook.feed'
import { operatorSession } from '@server/realtime/int.support'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'

const BROKER_URL = 'mqtt://127.0.0.1:1883'
const SECRET = 'a-test-secret-for-the-webhook'

/** Whether the broker answers; under CI a missing broker is a failure, elsewhere the test skips saying why. */
async function brokerUp(): Promise<boolean> {
  const client = mqtt.connect(BROKER_URL, { connectTimeout: 2000, reconnectPeriod: 0 })
  const up = await new Promise<boolean>((resolve) => {
    client.once('connect', () => resolve(true))
    client.once('error', () => resolve(false))
    setTimeout(() => resolve(false), 2500)
  })
  client.end(true)
  if (!up && process.env.CI)
    throw new Error(`CI: no MQTT broker at ${BROKER_URL}; the MQTT path must be tested against a real broker`)
  if (!up)
    console.warn(`[skip] no MQTT broker at ${BROKER_URL}: the MQTT connector test is skipped`)
  return up
}

async function until<T>(what: string, probe: () => Promise<T>, tries = 200, everyMs = 50): Promise<NonNullable<T>> {
  for (let i = 0; i < tries; i++) {
    const value = await probe()
    if (value)
      return value
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
  throw new Error(`gave up waiting for ${what}`)
}

describe('real connectors through the running server', { timeout: 60_000 }, async () => {
  const haveBroker = await brokerUp()
  const topic = `ioc-test/${randomUUID()}/air`
  let dir: string
  let server: RunningServer
  // An operator's view: incidents and the dead-letter list are beyond a wall's.
  const api = async <T>(path: string): Promise<T> => (await (await operatorSession(server)).get<T>(path)).body

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-feeds-'))
    server = await startServer(Config.parse({
      port: 0,
      host: '127.0.0.1',
      dbFile: join(dir, 'ioc.db'),
      buildClient: false,
      simulator: false,
      feeds: [
        { id: 'dg-webhook', adapter: 'webhook', secret: { value: SECRET } },
        ...(haveBroker ? [{ id: 'dg-mqtt', adapter: 'mqtt', url: BROKER_URL, clientId: `ioc-test-${randomUUID().slice(0, 8)}`, topics: [{ filter: topic, kind: 'air' }] }] : []),
      ],
    }))
  })

  afterAll(async () => {
    await server?.close()
    await rm(dir, { recursive: true, force: true })
  })

  async function postSigned(body: string, signature?: string): Promise<Response> {
    const timestamp = Math.floor(Date.now() / 1000)
    return fetch(`${server.url}/api/feeds/dg-webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ioc-timestamp': String(timestamp), 'x-ioc-signature': signature ?? signWebhook(SECRET, timestamp, body) },
      body,
    })
  }

  it('takes a signed webhook batch: the incident is stored and live; a forged one changes nothing', async () => {
    const now = new Date().toISOString()
    const report = { ticketNo: 'WH-0001', version: now, reportedAt: now, nature: 'help', topic: 'utilities', title: '小区停水', location: { lng: 113.6726, lat: 22.8148 } }
    const forged = await postSigned(JSON.stringify({ kind: 'incident', records: [{ ...report, ticketNo: 'WH-FORGED' }] }), 'sha256=00')
    expect(forged.status).toBe(401)

    const res = await postSigned(JSON.stringify({ kind: 'incident', records: [report, { ...report, ticketNo: 'WH-0002', nature: 'gossip' }] }))
    expect(res.status).toBe(202)
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: 1 })

    const { incident } = await api<{ incident: Incident }>('/api/incidents/dg-webhook:WH-0001')
    expect(incident).toMatchObject({ status: 'open', townCode: '441900121', title: '小区停水' })
    expect((await api<{ incidents: Incident[] }>('/api/incidents')).incidents.map(i => i.ticketNo)).toEqual(['WH-0001'])
    // The hourly intake counts it in the hour it was reported.
    const hour = Math.floor(Date.parse(now) / 3_600_000) * 3_600_000
    const span = `from=${new Date(hour - 3_600_000).toISOString()}&to=${new Date(hour + 3_600_000).toISOString()}`
    expect((await api<IncidentIntake>(`/api/incidents/intake?${span}`)).hours).toEqual([{ t: new Date(hour).toISOString(), count: 1 }])
    const tooLong = await (await operatorSession(server)).get<{ error: string }>(`/api/incidents/intake?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z`)
    expect(tooLong.status).toBe(400)

    const { records } = await api<{ records: RejectedRecord[] }>('/api/ingest/rejects?source=dg-webhook')
    expect(records).toHaveLength(1)
    expect(records[0]?.reasons.map(r => `${r.path}:${r.code}`)).toEqual(['nature:invalid_value'])
  })

  it.runIf(haveBroker)('takes an MQTT publish: the station reading changes', async () => {
    await until('the MQTT feed connected', async () => (await api<{ feeds: FeedHealth[] }>('/api/feeds')).feeds.find(f => f.id === 'dg-mqtt' && f.detail !== 'connecting'))
    const publisher = await mqtt.connectAsync(BROKER_URL)
    const observedAt = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString()
    await publisher.publishAsync(topic, JSON.stringify({ stationId: 'DG-AQ-HUMEN', observedAt, indicators: { pm25: 80, pm25_24h: 80 } }), { qos: 1 })
    await publisher.endAsync()
    const reading = await until('the MQTT reading', async () =>
      (await api<{ readings: StationReading[] }>('/api/air/latest')).readings.find(r => r.stationId === 'DG-AQ-HUMEN'))
    // PM2.5 80 µg/m³ → IAQI 107 (HJ 633-2012, domain.md §1.2).
    expect(reading).toMatchObject({ observedAt, aqi: { aqi: 107, primary: ['pm25'] } })
    const health = (await api<{ feeds: FeedHealth[] }>('/api/feeds')).feeds.find(f => f.id === 'dg-mqtt')
    expect(health).toMatchObject({ status: 'up', totals: { accepted: 1 } })
  })
})
