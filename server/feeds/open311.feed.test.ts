import { afterEach, describe, expect, it, vi } from 'vitest'
import { Open311FeedConfig } from './config'
import { CURSOR_OVERLAP_MS, Open311Feed } from './open311.feed'
import { sendJson, startTestServer } from './fixtures/http-server'
import type { TestServer } from './fixtures/http-server'
import { testContext } from './fixtures/recording-sink'

const WAIT = { timeout: 5000, interval: 20 }

function request(id: number, requested: string, updated?: string): Record<string, unknown> {
  return {
    service_request_id: id,
    status: 'open',
    service_name: '占道经营投诉',
    service_code: 'TS-02',
    description: '商铺占用人行道摆卖',
    requested_datetime: requested,
    ...(updated ? { updated_datetime: updated } : {}),
    lat: 23.0173,
    long: 113.7552,
  }
}

let server: TestServer | undefined
const stops: AbortController[] = []

afterEach(async () => {
  stops.splice(0).forEach(c => c.abort())
  await server?.close()
  server = undefined
})

function feed(origin: string, env: NodeJS.ProcessEnv = {}): Open311Feed {
  const config = Open311FeedConfig.parse({
    id: 'dg-12345',
    adapter: 'open311',
    url: `${origin}/open311/v2/`,
    jurisdictionId: 'dongguan.gov.cn',
    apiKey: { env: 'OPEN311_KEY' },
    crs: 'GCJ02',
    intervalMs: 100,
    backoff: { baseMs: 10, maxMs: 40 },
  })
  return new Open311Feed(config, { OPEN311_KEY: 'k-123', ...env }, { random: () => 0 })
}

const startDates = (s: TestServer): (string | null)[] => s.requests.map(r => new URL(r.url, s.origin).searchParams.get('start_date'))

describe(Open311Feed.name, () => {
  it('polls requests.json, maps service requests to incidents and moves the cursor after ingest accepted them', async () => {
    const pages = [
      [request(1, '2024-05-01T08:00:00+08:00'), request(2, '2024-05-01T07:00:00+08:00', '2024-05-01T09:30:00+08:00')],
      [request(3, '2024-05-01T10:00:00+08:00')],
    ]
    server = await startTestServer((_req, res, n) => sendJson(res, 200, pages[n - 1] ?? []))
    const adapter = feed(server.origin)
    const t = testContext()
    stops.push(t.controller)
    t.sink.hold()
    adapter.start(t.ctx)
    await vi.waitFor(() => expect(t.sink.pushCalls).toBe(1), WAIT)
    // Ingest has not answered: the cursor has not moved and no second poll went out.
    expect(adapter.cursor).toBeUndefined()
    await new Promise(resolve => setTimeout(resolve, 250))
    expect(server.requests).toHaveLength(1)
    t.sink.release()
    await vi.waitFor(() => expect(t.sink.records).toHaveLength(3), WAIT)

    const first = new URL(server.requests[0]?.url ?? '', server.origin)
    expect(first.pathname).toBe('/open311/v2/requests.json')
    expect(first.searchParams.get('start_date')).toBeNull()
    expect(first.searchParams.get('jurisdiction_id')).toBe('dongguan.gov.cn')
    expect(first.searchParams.get('api_key')).toBe('k-123')
    // The newest change of the first page (request 2's update), less the overlap.
    const expected = new Date(Date.parse('2024-05-01T09:30:00+08:00') - CURSOR_OVERLAP_MS).toISOString()
    expect(startDates(server)[1]).toBe(expected)
    await vi.waitFor(() => expect(startDates(server!)[2]).toBe(new Date(Date.parse('2024-05-01T10:00:00+08:00') - CURSOR_OVERLAP_MS).toISOString()), WAIT)

    const [one] = t.sink.batches[0]?.records as Record<string, unknown>[]
    expect(t.sink.batches[0]).toMatchObject({ source: 'dg-12345', kind: 'incident' })
    expect(one).toMatchObject({ ticketNo: '1', nature: 'complaint', topic: 'city-management', version: '2024-05-01T08:00:00+08:00' })
    // GCJ-02 in, WGS-84 out.
    expect((one?.location as { lng: number }).lng).toBeCloseTo(113.75, 3)
  })

  it('does not move the cursor when ingest fails, and polls the same window again', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 200, [request(7, '2024-05-01T08:00:00+08:00')]))
    const adapter = feed(server.origin)
    const t = testContext()
    stops.push(t.controller)
    t.sink.failWith = new Error('disk full')
    adapter.start(t.ctx)
    await vi.waitFor(() => expect(t.sink.pushCalls).toBeGreaterThanOrEqual(3), WAIT)
    expect(adapter.cursor).toBeUndefined()
    expect(startDates(server).every(d => d === null)).toBe(true)
    expect(t.states.filter(s => s.state === 'retrying').at(-1)?.detail).toMatch(/disk full/)
    t.sink.failWith = null
    await vi.waitFor(() => expect(adapter.cursor).toBeDefined(), WAIT)
    expect(t.states.at(-1)?.state).toBe('connected')
  })

  it('backs off on 5xx and a body that is not JSON (dead-lettered), then recovers', async () => {
    server = await startTestServer((_req, res, n) => {
      if (n === 1)
        return sendJson(res, 500, [{ code: 500, description: 'internal error' }])
      if (n === 2) {
        res.writeHead(200, { 'content-type': 'application/json' })
        return res.end('<html>maintenance</html>')
      }
      sendJson(res, 200, [request(9, '2024-05-01T08:00:00+08:00')])
    })
    const t = testContext()
    stops.push(t.controller)
    feed(server.origin).start(t.ctx)
    await vi.waitFor(() => expect(t.sink.records).toHaveLength(1), WAIT)
    expect(t.states.map(s => s.state)).toEqual(['connecting', 'retrying', 'retrying', 'connected'])
    expect(t.states[1]?.detail).toMatch(/HTTP 500/)
    expect(t.sink.rejections).toEqual([expect.objectContaining({ code: 'parse', kind: 'incident', raw: '<html>maintenance</html>' })])
  })

  it('dead-letters items that are not service requests and still takes the rest', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 200, [request(1, '2024-05-01T08:00:00+08:00'), 'garbage']))
    const t = testContext()
    stops.push(t.controller)
    feed(server.origin).start(t.ctx)
    await vi.waitFor(() => expect(t.sink.records.length).toBeGreaterThanOrEqual(1), WAIT)
    expect(t.sink.rejections[0]).toMatchObject({ code: 'schema', kind: 'incident', raw: 'garbage' })
  })

  it('names a missing api_key variable at construction', () => {
    const config = Open311FeedConfig.parse({ id: 'x', adapter: 'open311', url: 'http://127.0.0.1:1/v2', apiKey: { env: 'NOPE_KEY' } })
    expect(() => new Open311Feed(config, {})).toThrow(/NOPE_KEY/)
  })
})
