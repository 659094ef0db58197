import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { HttpPullFeedConfig } from './config'
import type { FeedConfigInput } from './config'
import { HttpPullFeed } from './http-pull.feed'
import { sendJson, startTestServer } from './fixtures/http-server'
import type { TestServer } from './fixtures/http-server'
import { testContext } from './fixtures/recording-sink'

const AIR = { stationId: 'dg-01', observedAt: '2024-05-01T10:00:00+08:00', indicators: { pm25: 35, no2: 20 } }
const WAIT = { timeout: 5000, interval: 20 }

let server: TestServer | undefined
const stops: AbortController[] = []

afterEach(async () => {
  stops.splice(0).forEach(c => c.abort())
  await server?.close()
  server = undefined
})

function feed(url: string, extra: Partial<Extract<FeedConfigInput, { adapter: 'http-pull' }>> = {}): HttpPullFeed {
  const config = HttpPullFeedConfig.parse({ id: 'pull', adapter: 'http-pull', url, kind: 'air', intervalMs: 100, backoff: { baseMs: 10, maxMs: 40 }, ...extra })
  return new HttpPullFeed(config, { random: () => 0.5 })
}

function run(adapter: HttpPullFeed): ReturnType<typeof testContext> {
  const t = testContext()
  stops.push(t.controller)
  adapter.start(t.ctx)
  return t
}

describe(HttpPullFeed.name, () => {
  it('sends conditional requests and treats 304 as a good poll with nothing new', async () => {
    const ETAG = '"v1"'
    const LAST_MODIFIED = 'Wed, 01 May 2024 02:00:00 GMT'
    server = await startTestServer((req, res) => {
      if (req.headers['if-none-match'] === ETAG) {
        res.writeHead(304, { etag: ETAG })
        res.end()
        return
      }
      sendJson(res, 200, { records: [AIR] }, { 'etag': ETAG, 'last-modified': LAST_MODIFIED })
    })
    const t = run(feed(`${server.origin}/air`, { headers: { authorization: 'Bearer k1' } }))
    await vi.waitFor(() => expect(server?.requests.length).toBeGreaterThanOrEqual(3), WAIT)
    const [first, second, third] = server.requests
    expect(first?.headers['if-none-match']).toBeUndefined()
    expect(first?.headers.authorization).toBe('Bearer k1')
    expect(second?.headers['if-none-match']).toBe(ETAG)
    expect(second?.headers['if-modified-since']).toBe(LAST_MODIFIED)
    expect(third?.headers['if-none-match']).toBe(ETAG)
    // One body, one batch: the 304s added nothing.
    expect(t.sink.batches).toEqual([{ source: 'pull', kind: 'air', records: [AIR] }])
    expect(t.states.map(s => s.state)).toEqual(['connecting', 'connected'])
  })

  it('backs off on 5xx with `retrying` and recovers', async () => {
    server = await startTestServer((_req, res, n) => {
      if (n <= 2)
        sendJson(res, 503, { error: 'maintenance' })
      else
        sendJson(res, 200, [AIR, AIR])
    })
    const t = run(feed(`${server.origin}/air`))
    await vi.waitFor(() => expect(t.sink.records).toHaveLength(2), WAIT)
    const states = t.states.map(s => s.state)
    expect(states).toEqual(['connecting', 'retrying', 'retrying', 'connected'])
    expect(t.states[1]?.detail).toMatch(/HTTP 503/)
    expect(t.states[2]?.detail).toMatch(/retry 2/)
  })

  it('times out a request that does not answer', async () => {
    server = await startTestServer((_req, res, n) => {
      if (n === 1)
        setTimeout(() => sendJson(res, 200, AIR), 3000)
      else
        sendJson(res, 200, AIR)
    })
    const t = run(feed(`${server.origin}/air`, { timeoutMs: 100 }))
    await vi.waitFor(() => expect(t.sink.records).toHaveLength(1), WAIT)
    expect(t.states.find(s => s.state === 'retrying')?.detail).toMatch(/timed out/)
    expect(t.states.at(-1)?.state).toBe('connected')
  })

  it('dead-letters a body that is not JSON and backs off', async () => {
    server = await startTestServer((_req, res, n) => {
      res.writeHead(200, { 'content-type': 'application/json', 'etag': `"e${n}"` })
      res.end(n === 1 ? '{"records": [' : JSON.stringify(AIR))
    })
    const t = run(feed(`${server.origin}/air`))
    await vi.waitFor(() => expect(t.sink.records).toHaveLength(1), WAIT)
    expect(t.sink.rejections).toHaveLength(1)
    expect(t.sink.rejections[0]).toMatchObject({ source: 'pull', kind: 'air', code: 'parse', raw: '{"records": [' })
    expect(t.states.map(s => s.state)).toEqual(['connecting', 'retrying', 'connected'])
    // The bad body's validator was not kept: the next request was unconditional.
    expect(server.requests[1]?.headers['if-none-match']).toBeUndefined()
  })

  it('keeps the validators only after ingest took the body', async () => {
    server = await startTestServer((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304)
        res.end()
        return
      }
      sendJson(res, 200, [AIR], { etag: '"v1"' })
    })
    const t = testContext()
    stops.push(t.controller)
    t.sink.failWith = new Error('database is locked')
    feed(`${server.origin}/air`).start(t.ctx)
    await vi.waitFor(() => expect(t.sink.pushCalls).toBeGreaterThanOrEqual(2), WAIT)
    t.sink.failWith = null
    await vi.waitFor(() => expect(t.sink.records).toHaveLength(1), WAIT)
    const conditional = server.requests.findIndex(r => r.headers['if-none-match'] === '"v1"')
    // Every request until the first accepted body went out unconditional.
    expect(conditional).toBe(-1)
    await vi.waitFor(() => expect(server?.requests.some(r => r.headers['if-none-match'] === '"v1"')).toBe(true), WAIT)
    expect(t.states.find(s => s.state === 'retrying')?.detail).toMatch(/database is locked/)
  })

  it('decodes an NGSI-v2 entity list by entity type', async () => {
    const fiware = (path: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/fiware/${path}`, import.meta.url), 'utf8'))
    const entities = [fiware('AirQualityObserved/example-normalized.json'), fiware('TrafficFlowObserved/example.json'), { id: 'w', type: 'WeatherObserved' }]
    server = await startTestServer((_req, res) => sendJson(res, 200, entities))
    const t = run(feed(`${server.origin}/v2/entities`, { format: 'ngsi-v2', kind: undefined }))
    await vi.waitFor(() => expect(t.sink.batches.length).toBeGreaterThanOrEqual(2), WAIT)
    expect(t.sink.batches.slice(0, 2).map(b => [b.kind, b.records.length])).toEqual([['air', 1], ['traffic', 1]])
    expect(t.sink.rejections[0]).toMatchObject({ code: 'unsupported', kind: null })
  })

  it('stops polling when the signal aborts', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 200, AIR))
    const t = run(feed(`${server.origin}/air`))
    await vi.waitFor(() => expect(server?.requests.length).toBeGreaterThanOrEqual(1), WAIT)
    t.controller.abort()
    const count = server.requests.length
    await new Promise(resolve => setTimeout(resolve, 350))
    expect(server.requests.length).toBe(count)
  })

  it('refuses a native feed without a kind at construction', () => {
    const config = HttpPullFeedConfig.parse({ id: 'p', adapter: 'http-pull', url: 'http://127.0.0.1:1/x' })
    expect(() => new HttpPullFeed(config)).toThrow(/needs `kind`/)
  })
})
