import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { NgsiFeedConfig } from './config'
import { NgsiFeed, TOKEN_HEADER } from './ngsi.feed'
import { testContext } from './fixtures/recording-sink'
import type { PushRequest } from './types'

const TOKEN = 'orion-subscription-token'
const fiwareText = (path: string): string => readFileSync(new URL(`./fixtures/fiware/${path}`, import.meta.url), 'utf8')
const fiware = (path: string): unknown => JSON.parse(fiwareText(path))

function setup(token: boolean = true): { feed: NgsiFeed, t: ReturnType<typeof testContext> } {
  const config = NgsiFeedConfig.parse({ id: 'orion', adapter: 'ngsi', maxBodyBytes: 8192, ...(token ? { token: { value: TOKEN } } : {}) })
  const feed = new NgsiFeed(config)
  const t = testContext()
  feed.start(t.ctx)
  return { feed, t }
}

function post(body: unknown, headers: Record<string, string> = { [TOKEN_HEADER]: TOKEN }): PushRequest {
  return { headers, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), receivedAt: Date.now() }
}

describe(NgsiFeed.name, () => {
  it('takes an Orion NGSI-v2 notification (normalized and key-values) after the push resolved', async () => {
    const { feed, t } = setup()
    const notification = {
      subscriptionId: '57458eb60962ef754e7c0998',
      data: [fiware('AirQualityObserved/example-normalized.json'), fiware('AirQualityObserved/example.json'), fiware('TrafficFlowObserved/example-normalized.json')],
    }
    const answer = await feed.receive(post(notification))
    expect(answer).toEqual({ status: 200, body: { accepted: 3, rejected: 0, duplicates: 0, late: 0, undecodable: 0 } })
    expect(t.sink.batches.map(b => [b.source, b.kind, b.records.length])).toEqual([['orion', 'air', 2], ['orion', 'traffic', 1]])
    expect(t.sink.batches[0]?.records[0]).toEqual({
      stationId: '28079004-Pza.deEspanya',
      observedAt: '2016-03-15T11:00:00Z',
      indicators: { co: 500, no2: 69, so2: 11 },
    })
  })

  it('takes an NGSI-LD notification, @context present or not', async () => {
    const { feed, t } = setup()
    const withoutContext = fiware('TrafficFlowObserved/example-normalized.jsonld') as Record<string, unknown>
    delete withoutContext['@context']
    const notification = {
      'id': 'urn:ngsi-ld:Notification:5fd0fa684eb81930c97005f3',
      'type': 'Notification',
      'subscriptionId': 'urn:ngsi-ld:Subscription:aqo',
      'notifiedAt': '2024-05-01T02:00:00.000Z',
      '@context': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld',
      'data': [fiware('AirQualityObserved/example.jsonld'), fiware('AirQualityObserved/example-normalized.jsonld'), fiware('AirQualityObserved/example-normalized-ld.jsonld'), fiware('TrafficFlowObserved/example.jsonld'), withoutContext],
    }
    const answer = await feed.receive(post(notification))
    expect(answer.status).toBe(200)
    expect(t.sink.batches.map(b => [b.kind, b.records.length])).toEqual([['air', 3], ['traffic', 2]])
    expect(new Set(t.sink.batches[0]?.records.map(r => (r as { stationId: string }).stationId))).toEqual(new Set(['28079004-Pza.deEspanya']))
    expect(t.sink.batches[1]?.records[1]).toEqual({ segmentId: 'TrafficFlowObserved-Valladolid-osm-60821110', observedAt: '2016-12-07T11:15:00Z', speedKmh: 52.6, volume: 197, occupancy: 0.76 })
  })

  it('refuses a missing or wrong token with 401 and takes nothing', async () => {
    const { feed, t } = setup()
    const body = { subscriptionId: 's', data: [fiware('AirQualityObserved/example.json')] }
    expect((await feed.receive(post(body, {}))).status).toBe(401)
    expect((await feed.receive(post(body, { [TOKEN_HEADER]: `${TOKEN}x` }))).status).toBe(401)
    expect((await feed.receive(post(body, { [TOKEN_HEADER]: 'o' }))).status).toBe(401)
    expect(t.sink.pushCalls + t.sink.rejections.length).toBe(0)
    // Without a configured token anyone may notify.
    const open = setup(false)
    expect((await open.feed.receive(post(body, {}))).status).toBe(200)
  })

  it('dead-letters entities of an unsupported type without failing the notification', async () => {
    const { feed, t } = setup()
    const parking = { id: 'urn:ngsi-ld:OffStreetParking:p1', type: 'OffStreetParking', availableSpotNumber: { type: 'Property', value: 12 } }
    const answer = await feed.receive(post({ subscriptionId: 's', data: [parking, fiware('TrafficFlowObserved/example.json')] }))
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ accepted: 1, undecodable: 1 })
    expect(t.sink.rejections).toEqual([expect.objectContaining({ source: 'orion', kind: null, code: 'unsupported', raw: parking })])
    expect(t.sink.rejections[0]?.reasons[0]?.message).toMatch(/OffStreetParking is not supported/)
  })

  it('answers 400 for what is not a notification, dead-lettering it', async () => {
    const { feed, t } = setup()
    expect((await feed.receive(post(fiwareText('TrafficFlowObserved/example.10c8edb.jsonld')))).status).toBe(400)
    expect((await feed.receive(post({ subscriptionId: 's', data: 'nope' }))).status).toBe(400)
    expect((await feed.receive(post({ type: 'Subscription', data: [] }))).status).toBe(400)
    expect(t.sink.rejections.map(r => r.code)).toEqual(['parse', 'schema', 'schema'])
    expect(t.sink.pushCalls).toBe(0)
  })

  it('answers 413 over maxBodyBytes and 503 when ingest fails', async () => {
    const { feed, t } = setup()
    const entity = fiware('AirQualityObserved/example.json')
    expect((await feed.receive(post({ subscriptionId: 's', data: Array.from({ length: 20 }, () => entity) }))).status).toBe(413)
    t.sink.failWith = new Error('ingest down')
    expect((await feed.receive(post({ subscriptionId: 's', data: [entity] }))).status).toBe(503)
    expect(t.sink.batches).toHaveLength(0)
  })
})
