import { randomBytes } from 'node:crypto'
import { connect as tcpConnect } from 'node:net'
import mqtt from 'mqtt'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { MqttFeedConfig } from './config'
import { MqttFeed, topicMatches } from './mqtt.feed'
import { RecordingSink, testContext } from './fixtures/recording-sink'

const HOST = '127.0.0.1'
const PORT = 1883
const BROKER = `mqtt://${HOST}:${PORT}`
const WAIT = { timeout: 8000, interval: 25 }

function reachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: HOST, port: PORT, timeout: 1000 })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(false))
  })
}

const brokerUp = await reachable()
const inCi = Boolean(process.env.CI)
if (!brokerUp && !inCi)
  console.warn(`MQTT tests skipped: no Mosquitto broker on ${HOST}:${PORT} (in CI this fails)`)

const run = randomBytes(4).toString('hex')
const clientIds = new Set<string>()
const AIR = { stationId: 'dg-07', observedAt: '2024-05-01T10:00:00+08:00', indicators: { pm25: 35 } }

function feed(name: string, extra: Record<string, unknown> = {}): MqttFeed {
  const clientId = `ioc-test-${run}-${name}`
  clientIds.add(clientId)
  const config = MqttFeedConfig.parse({
    id: `mqtt-${name}`,
    adapter: 'mqtt',
    url: BROKER,
    clientId,
    topics: [{ filter: `ioc-test/${run}/${name}/air/+`, kind: 'air' }],
    ...extra,
  })
  return new MqttFeed(config, {}, { reconnectPeriodMs: 200, connectTimeoutMs: 3000 })
}

async function publish(topic: string, payload: string): Promise<void> {
  const client = await mqtt.connectAsync(BROKER, { clientId: `ioc-test-pub-${run}-${randomBytes(3).toString('hex')}` })
  await client.publishAsync(topic, payload, { qos: 1 })
  await client.endAsync()
}

/** Starts a feed and waits until its subscription is in place. */
async function started(adapter: MqttFeed, sink = new RecordingSink()): Promise<ReturnType<typeof testContext>> {
  const t = testContext(sink)
  adapter.start(t.ctx)
  await vi.waitFor(() => expect(t.logs.some(l => l.includes('subscribed'))).toBe(true), WAIT)
  return t
}

async function stop(adapter: MqttFeed, t: ReturnType<typeof testContext>): Promise<void> {
  t.controller.abort()
  await adapter.stopped
}

afterAll(async () => {
  if (!brokerUp)
    return
  // Persistent sessions outlive the test: connecting once with clean: true removes each one.
  for (const clientId of clientIds) {
    const client = await mqtt.connectAsync(BROKER, { clientId, clean: true })
    await client.endAsync()
  }
})

describe('topicMatches', () => {
  it('follows MQTT wildcard rules', () => {
    expect(topicMatches('city/+/air', 'city/dg/air')).toBe(true)
    expect(topicMatches('city/+/air', 'city/dg/x/air')).toBe(false)
    expect(topicMatches('city/#', 'city')).toBe(true)
    expect(topicMatches('city/#', 'city/a/b')).toBe(true)
    expect(topicMatches('$share/g/city/+', 'city/a')).toBe(true)
    expect(topicMatches('city/a', 'city/a/b')).toBe(false)
  })
})

/** In CI without a broker only the first test runs, and fails saying so. */
const live = it.runIf(brokerUp)

describe.skipIf(!brokerUp && !inCi)(`${MqttFeed.name} against Mosquitto on ${HOST}:${PORT}`, { timeout: 20_000 }, () => {
  it('has the broker', () => {
    expect(brokerUp, `no MQTT broker on ${HOST}:${PORT}`).toBe(true)
  })

  live('subscribes with QoS 1 and hands records to the sink', async () => {
    const adapter = feed('live')
    const t = await started(adapter)
    expect(t.states[0]?.state).toBe('connecting')
    expect(t.states.at(-1)).toEqual({ state: 'connected', detail: `${HOST}:${PORT}, new session` })
    await publish(`ioc-test/${run}/live/air/dg-07`, JSON.stringify({ records: [AIR] }))
    await vi.waitFor(() => expect(t.sink.batches).toEqual([{ source: 'mqtt-live', kind: 'air', records: [AIR] }]), WAIT)
    await stop(adapter, t)
  })

  live('gets a QoS 1 message published while it was offline when it comes back', async () => {
    const first = feed('offline')
    const t1 = await started(first)
    await stop(first, t1)
    await publish(`ioc-test/${run}/offline/air/dg-07`, JSON.stringify(AIR))
    const second = feed('offline')
    const t2 = await started(second)
    await vi.waitFor(() => expect(t2.sink.records).toEqual([AIR]), WAIT)
    expect(t2.states.find(s => s.state === 'connected')?.detail).toMatch(/session resumed/)
    expect(t1.sink.records).toEqual([])
    await stop(second, t2)
  })

  live('acknowledges only after the push resolved: a message held in ingest when we died comes again', async () => {
    const first = feed('held')
    const t1 = await started(first)
    t1.sink.hold()
    await publish(`ioc-test/${run}/held/air/dg-07`, JSON.stringify(AIR))
    await vi.waitFor(() => expect(t1.sink.pushCalls).toBe(1), WAIT)
    // Ingest never answered; the process goes away.
    await stop(first, t1)
    const second = feed('held')
    const t2 = await started(second)
    await vi.waitFor(() => expect(t2.sink.records).toEqual([AIR]), WAIT)
    await stop(second, t2)
    // Once acknowledged, it is not sent a third time.
    const third = feed('held')
    const t3 = await started(third)
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(t3.sink.pushCalls).toBe(0)
    await stop(third, t3)
  })

  live('leaves a message unacknowledged when ingest fails and gets it again after reconnecting', async () => {
    const adapter = feed('retry')
    const t = await started(adapter)
    t.sink.failWith = new Error('ingest down')
    await publish(`ioc-test/${run}/retry/air/dg-07`, JSON.stringify(AIR))
    await vi.waitFor(() => expect(t.sink.pushCalls).toBe(1), WAIT)
    t.sink.failWith = null
    await vi.waitFor(() => expect(t.sink.records).toEqual([AIR]), WAIT)
    expect(t.states.some(s => s.state === 'retrying' && s.detail?.includes('ingest down'))).toBe(true)
    expect(t.states.at(-1)).toEqual({ state: 'connected', detail: `${HOST}:${PORT}, session resumed` })
    await stop(adapter, t)
  })

  live('dead-letters a payload that is not JSON, and decodes NGSI entities by their type', async () => {
    const adapter = feed('ngsi', { format: 'ngsi-v2', topics: [{ filter: `ioc-test/${run}/ngsi/#` }] })
    const t = await started(adapter)
    await publish(`ioc-test/${run}/ngsi/x`, '{oops')
    const entity = { id: 'seg-9', type: 'TrafficFlowObserved', dateObserved: '2024-05-01T02:00:00Z/2024-05-01T02:05:00Z', averageVehicleSpeed: { value: 31.5 } }
    await publish(`ioc-test/${run}/ngsi/y`, JSON.stringify(entity))
    await vi.waitFor(() => expect(t.sink.batches).toHaveLength(1), WAIT)
    expect(t.sink.rejections).toEqual([expect.objectContaining({ source: 'mqtt-ngsi', code: 'parse', raw: '{oops' })])
    expect(t.sink.batches[0]).toEqual({ source: 'mqtt-ngsi', kind: 'traffic', records: [{ segmentId: 'seg-9', observedAt: '2024-05-01T02:05:00Z', speedKmh: 31.5 }] })
    await stop(adapter, t)
  })

  live('reports retrying while the broker cannot be reached, and releases the client on abort', async () => {
    const config = MqttFeedConfig.parse({ id: 'mqtt-down', adapter: 'mqtt', url: 'mqtt://127.0.0.1:1', topics: [{ filter: 'x', kind: 'air' }] })
    const adapter = new MqttFeed(config, {}, { reconnectPeriodMs: 100, connectTimeoutMs: 500 })
    const t = testContext()
    adapter.start(t.ctx)
    await vi.waitFor(() => expect(t.states.filter(s => s.state === 'retrying').length).toBeGreaterThanOrEqual(2), WAIT)
    await stop(adapter, t)
  })
})
