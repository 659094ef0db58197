import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { WebhookFeedConfig } from './config'
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookFeed } from './webhook.feed'
import { ReplayGuard } from './replay-guard'
import { testContext } from './fixtures/recording-sink'
import type { PushRequest } from './types'

const SECRET = 'w3bh00k-s3cret'
const NOW_MS = Date.parse('2024-05-01T02:00:00Z')
const NOW_S = NOW_MS / 1000
const INCIDENT = { ticketNo: 'GD-1', version: '2024-05-01T10:00:00+08:00', reportedAt: '2024-05-01T09:00:00+08:00', nature: 'help', topic: 'local', title: '路灯不亮' }

function setup(overrides: Record<string, unknown> = {}): { feed: WebhookFeed, t: ReturnType<typeof testContext> } {
  const config = WebhookFeedConfig.parse({ id: 'partner', adapter: 'webhook', secret: { env: 'HOOK_SECRET' }, replayWindowS: 300, maxBodyBytes: 2048, ...overrides })
  const feed = new WebhookFeed(config, { HOOK_SECRET: SECRET })
  const t = testContext()
  feed.start(t.ctx)
  return { feed, t }
}

function signed(body: string | Buffer, timestamp = NOW_S, receivedAt = NOW_MS, secret = SECRET): PushRequest {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body)
  return { headers: { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signWebhook(secret, timestamp, bytes) }, body: bytes, receivedAt }
}

const batch = JSON.stringify({ kind: 'incident', records: [INCIDENT] })

describe(signWebhook.name, () => {
  it('is sha256= and the hex HMAC-SHA256 of "<timestamp>." and the body bytes', () => {
    const independent = createHmac('sha256', SECRET).update(`${NOW_S}.${batch}`).digest('hex')
    expect(signWebhook(SECRET, NOW_S, batch)).toBe(`sha256=${independent}`)
    expect(signWebhook(SECRET, NOW_S, Buffer.from(batch))).toBe(`sha256=${independent}`)
  })
})

describe(WebhookFeed.name, () => {
  it('takes a well-signed batch: 202 with the receipt, after the push resolved', async () => {
    const { feed, t } = setup()
    t.sink.hold()
    const pending = feed.receive(signed(batch))
    let answered = false
    void pending.then(() => {
      answered = true
    })
    await new Promise(resolve => setTimeout(resolve, 30))
    expect(t.sink.pushCalls).toBe(1)
    expect(answered).toBe(false)
    t.sink.release()
    expect(await pending).toEqual({ status: 202, body: { accepted: 1, rejected: 0, duplicates: 0, late: 0 } })
    expect(t.sink.batches).toEqual([{ source: 'partner', kind: 'incident', records: [INCIDENT] }])
    expect(t.states[0]?.state).toBe('connected')
  })

  it('refuses a wrong signature, a wrong secret and missing headers with 401, pushing nothing', async () => {
    const { feed, t } = setup()
    const good = signed(batch)
    const tampered = { ...good, body: Buffer.from(batch.replace('路灯', '水管')) }
    expect((await feed.receive(tampered)).status).toBe(401)
    expect((await feed.receive(signed(batch, NOW_S, NOW_MS, 'other-secret'))).status).toBe(401)
    expect((await feed.receive({ ...good, headers: { [TIMESTAMP_HEADER]: String(NOW_S) } })).status).toBe(401)
    expect((await feed.receive({ ...good, headers: { ...good.headers, [SIGNATURE_HEADER]: 'sha256=zz' } })).status).toBe(401)
    const answer = await feed.receive({ ...good, headers: { ...good.headers, [TIMESTAMP_HEADER]: String(NOW_S + 1) } })
    expect(answer).toEqual({ status: 401, body: { error: 'bad signature' } })
    expect(t.sink.pushCalls).toBe(0)
    expect(t.sink.rejections).toHaveLength(0)
  })

  it('refuses a correctly signed request whose timestamp is outside the window', async () => {
    const { feed, t } = setup()
    expect(await feed.receive(signed(batch, NOW_S - 301))).toEqual({ status: 401, body: { error: 'stale timestamp' } })
    expect(await feed.receive(signed(batch, NOW_S + 301))).toEqual({ status: 401, body: { error: 'stale timestamp' } })
    expect((await feed.receive(signed(batch, NOW_S - 299))).status).toBe(202)
    expect(t.sink.pushCalls).toBe(1)
  })

  it('refuses an exact replay with 409, but lets a retry through after ingest failed', async () => {
    const { feed, t } = setup()
    const request = signed(batch)
    t.sink.failWith = new Error('ingest down')
    expect((await feed.receive(request)).status).toBe(503)
    t.sink.failWith = null
    expect((await feed.receive({ ...request, receivedAt: NOW_MS + 1000 })).status).toBe(202)
    expect((await feed.receive({ ...request, receivedAt: NOW_MS + 2000 })).status).toBe(409)
    // The same records signed anew (a new timestamp) are a new request; ingest de-duplicates them.
    expect((await feed.receive(signed(batch, NOW_S + 5, NOW_MS + 5000))).status).toBe(202)
    expect(t.sink.batches).toHaveLength(2)
  })

  it('refuses a body over maxBodyBytes with 413 before anything else', async () => {
    const { feed, t } = setup()
    const big = JSON.stringify({ kind: 'incident', records: [{ ...INCIDENT, description: 'x'.repeat(3000) }] })
    expect((await feed.receive(signed(big))).status).toBe(413)
    expect(t.sink.pushCalls + t.sink.rejections.length).toBe(0)
  })

  it('answers 400 with the reasons for a bad envelope and dead-letters it', async () => {
    const { feed, t } = setup()
    const answer = await feed.receive(signed(JSON.stringify({ kind: 'weather', records: [1], extra: true })))
    expect(answer.status).toBe(400)
    const reasons = (answer.body as { reasons: { path: string }[] }).reasons.map(r => r.path).sort()
    expect(reasons).toEqual(['(envelope)', 'kind'])
    expect(t.sink.rejections).toEqual([expect.objectContaining({ source: 'partner', kind: null, code: 'schema' })])
    expect(t.sink.pushCalls).toBe(0)

    const notJson = await feed.receive(signed('{"kind":'))
    expect(notJson.status).toBe(400)
    expect(t.sink.rejections[1]).toMatchObject({ code: 'parse', raw: '{"kind":' })
  })

  it('answers 503 when the push throws, and when the feed was stopped', async () => {
    const { feed, t } = setup()
    t.sink.failWith = new Error('ingest down')
    expect((await feed.receive(signed(batch))).status).toBe(503)
    t.controller.abort()
    t.sink.failWith = null
    expect((await feed.receive(signed(batch, NOW_S + 1, NOW_MS + 1000))).status).toBe(503)
    expect(t.sink.batches).toHaveLength(0)
  })
})

describe(ReplayGuard.name, () => {
  it('forgets signatures older than the window, so memory follows the rate', () => {
    const guard = new ReplayGuard(1000)
    for (let i = 0; i < 10_000; i++)
      expect(guard.claim(`s${i}`, i)).toBe('fresh')
    // At t = 9999 only the last second's entries are held.
    expect(guard.size).toBe(1000)
    expect(guard.claim('s9999', 10_000)).toBe('replay')
    expect(guard.claim('s0', 10_000)).toBe('fresh')
  })

  it('refuses rather than forgets when a flood outruns the cap', () => {
    const guard = new ReplayGuard(60_000, 3)
    expect(['a', 'b', 'c', 'd'].map(s => guard.claim(s, 0))).toEqual(['fresh', 'fresh', 'fresh', 'full'])
    expect(guard.claim('a', 1)).toBe('replay')
    expect(guard.claim('d', 60_001)).toBe('fresh')
  })
})
