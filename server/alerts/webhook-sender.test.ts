import { createHmac } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@server/feeds/webhook.feed'
import { AlertNotification, notificationStatus } from '@shared/schemas/alert-notifications'
import { alertFixture } from '@shared/schemas/alerts.fixture'
import type { DeliveryOptions, RetryInfo } from './webhook-sender'
import { deliver, DELIVERY_HEADER, parseRetryAfter } from './webhook-sender'

const SECRET = 'gateway-s3cret'

interface Received {
  headers: IncomingMessage['headers']
  body: string
}
type Reply = (res: ServerResponse) => void

/** A real HTTP receiver on a free port that answers each request with the next reply, then 200. */
interface Receiver {
  url: string
  requests: Received[]
  /** Resolves when the n-th request (from 1) has arrived. */
  arrived: (n: number) => Promise<void>
}

const servers: { close: () => Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(s => s.close()))
})

async function receiver(...replies: Reply[]): Promise<Receiver> {
  const requests: Received[] = []
  const waiters: { n: number, resolve: () => void }[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      for (const w of waiters.filter(w => w.n <= requests.length))
        w.resolve()
      const reply = replies[requests.length - 1] ?? ok
      reply(res)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  servers.push({
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/alerts`,
    requests,
    arrived: n => new Promise<void>(resolve => requests.length >= n ? resolve() : waiters.push({ n, resolve })),
  }
}

const ok: Reply = res => res.writeHead(200).end('ok')
const status = (code: number, body = '', headers: Record<string, string> = {}): Reply => res => res.writeHead(code, headers).end(body)
/** Never answers: the attempt can only end by its timeout or an abort. */
const hang: Reply = () => {}

function options(url: string, over: Partial<DeliveryOptions> = {}): DeliveryOptions {
  return { url, secret: SECRET, maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 2_000, ...over }
}

const payload: AlertNotification = (() => {
  const alerts = [
    alertFixture({ id: 'aqi-high|DG-AIR-06|1', townCode: '441900006', title: '站点中度污染：莞城 AQI 162 <&>' }),
    alertFixture({ id: 'tpi-high|DG-R-1|2', townCode: '441900006', domain: 'traffic', status: 'resolved', resolvedAt: '2026-11-23T03:00:00.000Z' }),
  ]
  return { v: 1, groupKey: 'town:441900006', status: notificationStatus(alerts), alerts, cap: '<?xml version="1.0"?><alert/>' }
})()

describe(deliver.name, () => {
  it('POSTs the notification as JSON, signed like our incoming webhook feed', async () => {
    const r = await receiver()
    const result = await deliver(payload, options(r.url, { deliveryId: 'n-42', now: () => 1_795_399_200_900 }))
    expect(result).toEqual({ outcome: 'delivered', attempts: 1, status: 200 })
    expect(r.requests).toHaveLength(1)
    const [req] = r.requests
    expect(req!.headers['content-type']).toBe('application/json')
    expect(req!.headers[DELIVERY_HEADER]).toBe('n-42')
    expect(req!.headers[TIMESTAMP_HEADER]).toBe('1795399200')
    const independent = createHmac('sha256', SECRET).update(`1795399200.${req!.body}`).digest('hex')
    expect(req!.headers[SIGNATURE_HEADER]).toBe(`sha256=${independent}`)
    const received = AlertNotification.parse(JSON.parse(req!.body))
    expect(received).toEqual(payload)
    expect(received.status).toBe('firing')
  })

  it('sends unsigned when no secret is configured', async () => {
    const r = await receiver()
    expect((await deliver(payload, options(r.url, { secret: undefined }))).outcome).toBe('delivered')
    expect(r.requests[0]!.headers[SIGNATURE_HEADER]).toBeUndefined()
    expect(r.requests[0]!.headers[TIMESTAMP_HEADER]).toMatch(/^\d+$/)
  })

  it('retries 5xx and 408 with growing jittered waits, signing every attempt afresh, until delivered', async () => {
    const r = await receiver(status(503, 'busy'), status(500), status(408))
    const retries: RetryInfo[] = []
    let clock = 1_000_000_000_000
    const result = await deliver(payload, options(r.url, { random: () => 0.999, now: () => (clock += 1000), deliveryId: 'n-1', onRetry: x => retries.push(x) }))
    expect(result).toEqual({ outcome: 'delivered', attempts: 4, status: 200 })
    expect(r.requests).toHaveLength(4)
    expect(retries.map(x => [x.attempt, x.error])).toEqual([[1, 'HTTP 503: busy'], [2, 'HTTP 500'], [3, 'HTTP 408']])
    // base 5 ms doubling per failure, capped at 50: with the jitter near its top, 5, 10, 20.
    expect(retries.map(x => x.delayMs)).toEqual([5, 10, 20])
    const stamps = r.requests.map(q => q.headers[TIMESTAMP_HEADER])
    expect(new Set(stamps).size).toBe(4)
    for (const q of r.requests) {
      expect(q.headers[SIGNATURE_HEADER]).toBe(`sha256=${createHmac('sha256', SECRET).update(`${String(q.headers[TIMESTAMP_HEADER])}.${q.body}`).digest('hex')}`)
      expect(q.headers[DELIVERY_HEADER]).toBe('n-1')
    }
  })

  it('gives up after maxAttempts with the last error and the attempt count', async () => {
    const r = await receiver(status(502, 'bad gateway'), status(502, 'bad gateway'), status(500, 'x'.repeat(1000)))
    const result = await deliver(payload, options(r.url, { maxAttempts: 3 }))
    expect(result).toMatchObject({ outcome: 'gave-up', attempts: 3, status: 500, permanent: false })
    expect(result.outcome === 'gave-up' && result.error).toBe(`HTTP 500: ${'x'.repeat(200)}`)
    expect(r.requests).toHaveLength(3)
  })

  it.each([400, 401, 403, 404, 413, 422])('takes %i as permanent: one attempt, no retry', async (code) => {
    const r = await receiver(status(code, '{"error":"no"}'))
    const result = await deliver(payload, options(r.url))
    expect(result).toEqual({ outcome: 'gave-up', attempts: 1, status: code, error: `HTTP ${code}: {"error":"no"}`, permanent: true })
    expect(r.requests).toHaveLength(1)
  })

  it('does not follow a redirect, which would carry the signed alert elsewhere', async () => {
    const r = await receiver(status(307, '', { location: '/elsewhere' }))
    const result = await deliver(payload, options(r.url))
    expect(result).toMatchObject({ outcome: 'gave-up', attempts: 1, status: 307, permanent: true })
    expect(r.requests).toHaveLength(1)
  })

  it('waits the Retry-After of a 429 (delay-seconds) before sending again', async () => {
    const r = await receiver(status(429, 'slow down', { 'retry-after': '1' }))
    const retries: RetryInfo[] = []
    const result = await deliver(payload, options(r.url, { maxDelayMs: 5_000, random: () => 0, onRetry: x => retries.push(x) }))
    expect(result).toEqual({ outcome: 'delivered', attempts: 2, status: 200 })
    expect(retries).toEqual([{ attempt: 1, error: 'HTTP 429: slow down', delayMs: 1000 }])
  })

  it('gives the Retry-After back when it is longer than maxDelayMs, rather than hold the sender', async () => {
    const r = await receiver(status(429, '', { 'retry-after': '120' }))
    const result = await deliver(payload, options(r.url, { maxDelayMs: 1_000 }))
    expect(result).toEqual({ outcome: 'gave-up', attempts: 1, status: 429, error: 'HTTP 429', permanent: false, retryAfterMs: 120_000 })
  })

  it('times an attempt out on a receiver that never answers, and retries', async () => {
    const r = await receiver(hang, hang)
    const result = await deliver(payload, options(r.url, { maxAttempts: 2, timeoutMs: 100 }))
    expect(result).toEqual({ outcome: 'gave-up', attempts: 2, status: null, error: 'timed out', permanent: false })
    expect(r.requests).toHaveLength(2)
  })

  it('retries network errors (connection refused)', async () => {
    const r = await receiver()
    await Promise.all(servers.splice(0).map(s => s.close()))
    const retries: RetryInfo[] = []
    const result = await deliver(payload, options(r.url, { maxAttempts: 3, onRetry: x => retries.push(x) }))
    expect(result).toMatchObject({ outcome: 'gave-up', attempts: 3, status: null, permanent: false })
    expect(result.outcome === 'gave-up' && result.error).toMatch(/ECONNREFUSED/)
    expect(retries).toHaveLength(2)
  })

  it('stops at once when aborted during an attempt (server shutdown)', async () => {
    const r = await receiver(hang)
    const stop = new AbortController()
    const pending = deliver(payload, options(r.url, { timeoutMs: 600_000, signal: stop.signal }))
    await r.arrived(1)
    stop.abort()
    expect(await pending).toEqual({ outcome: 'aborted', attempts: 1, error: 'aborted' })
  })

  it('stops at once when aborted while waiting to retry', async () => {
    const r = await receiver(status(503))
    const stop = new AbortController()
    const result = await deliver(payload, options(r.url, { baseDelayMs: 600_000, maxDelayMs: 600_000, signal: stop.signal, onRetry: () => stop.abort() }))
    expect(result).toEqual({ outcome: 'aborted', attempts: 1, error: 'HTTP 503' })
    expect(r.requests).toHaveLength(1)
  })

  it('sends nothing when already aborted', async () => {
    const r = await receiver()
    const result = await deliver(payload, options(r.url, { signal: AbortSignal.abort() }))
    expect(result).toEqual({ outcome: 'aborted', attempts: 0, error: 'aborted before sending' })
    expect(r.requests).toHaveLength(0)
  })
})

describe(parseRetryAfter.name, () => {
  it('reads delay-seconds and HTTP-dates, and ignores what it cannot read', () => {
    const now = (): number => Date.parse('2026-11-23T02:00:00Z')
    expect(parseRetryAfter('30', now)).toBe(30_000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
    expect(parseRetryAfter('Mon, 23 Nov 2026 02:00:45 GMT', now)).toBe(45_000)
    expect(parseRetryAfter('Mon, 23 Nov 2026 01:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('-5', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})

describe(notificationStatus.name, () => {
  it('is resolved only when every alert of the group is', () => {
    expect(notificationStatus([{ status: 'resolved' }, { status: 'acknowledged' }])).toBe('firing')
    expect(notificationStatus([{ status: 'resolved' }, { status: 'resolved' }])).toBe('resolved')
  })
})
