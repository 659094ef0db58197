import { createHmac, timingSafeEqual } from 'node:crypto'
import type { WebhookFeedConfig } from './config'
import { secretValue } from './config'
import { PushSlot, refuse } from './push-feed'
import type { FeedAdapter, FeedContext, PushRequest, PushResponse } from './types'
import { envelopeKind, parseEnvelope, parseJson } from './formats/native'
import { EMPTY_RECEIPT } from './formats/payload'
import { ReplayGuard } from './replay-guard'

export const TIMESTAMP_HEADER = 'x-ioc-timestamp'
export const SIGNATURE_HEADER = 'x-ioc-signature'

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i
const TIMESTAMP = /^\d{1,12}$/

/**
 * The signature a sender puts in `x-ioc-signature`:
 * `sha256=` + hex(HMAC-SHA256(secret, "<timestamp>." + body bytes)).
 */
export function signWebhook(secret: string, timestamp: number, body: string | Buffer): string {
  const hmac = createHmac('sha256', secret)
  hmac.update(`${timestamp}.`)
  hmac.update(body)
  return `sha256=${hmac.digest('hex')}`
}

/**
 * Records pushed by a partner system: `POST /api/feeds/<id>`.
 *
 * Protocol:
 * - Body: JSON `{ "kind": "air" | "traffic" | "hall" | "incident", "records": [...] }`,
 *   records in our own schemas (shared/schemas), at most `maxBodyBytes`.
 * - `x-ioc-timestamp`: the send time, Unix seconds.
 * - `x-ioc-signature`: `sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body bytes)>`,
 *   see signWebhook(); compared in constant time.
 *
 * Answers, checked in this order:
 * - 413 body larger than `maxBodyBytes`;
 * - 401 timestamp or signature missing or malformed, signature wrong, or the
 *   timestamp further than `replayWindowS` from the server clock (`stale timestamp`);
 * - 409 the same signature was already accepted within the window (an exact
 *   replay; a sender that lost our 2xx and retried may take 409 as delivered);
 * - 429 too many distinct requests within one window to remember them all;
 * - 400 not JSON or a bad envelope, with the reasons; the payload is dead-lettered;
 * - 202 `{ accepted, rejected, duplicates, late }` once ingest accepted the batch;
 * - 503 ingest failed or the feed is stopped: nothing was taken, send again.
 *
 * Unsigned requests never reach the dead-letter table: only an authenticated
 * sender can write there.
 */
export class WebhookFeed implements FeedAdapter {
  readonly adapter = 'webhook'
  readonly id: string
  private readonly secret: string
  private readonly replays: ReplayGuard
  private readonly slot = new PushSlot()

  constructor(private readonly config: WebhookFeedConfig, env: NodeJS.ProcessEnv = process.env) {
    this.id = config.id
    this.secret = secretValue(config.secret, env)
    // A signature can be valid until timestamp + window, and the timestamp itself up to a window after receipt.
    this.replays = new ReplayGuard(2 * config.replayWindowS * 1000)
  }

  start(ctx: FeedContext): void {
    this.slot.start(ctx, 'waiting for pushes')
  }

  async receive(request: PushRequest): Promise<PushResponse> {
    const ctx = this.slot.current
    if (!ctx)
      return refuse(503, 'feed is not running')
    if (request.body.length > this.config.maxBodyBytes)
      return refuse(413, `body larger than ${this.config.maxBodyBytes} bytes`)
    const auth = this.authenticate(request)
    if (auth.error)
      return auth.error
    const signature = auth.signature
    const claim = this.replays.claim(signature, request.receivedAt)
    if (claim === 'replay')
      return refuse(409, 'this request was already received')
    if (claim === 'full')
      return { ...refuse(429, 'too many requests in one replay window'), headers: { 'retry-after': String(this.config.replayWindowS) } }
    try {
      const answer = await this.take(ctx, request.body)
      if (answer.status >= 500)
        this.replays.release(signature)
      return answer
    }
    catch (error) {
      this.replays.release(signature)
      ctx.log(`webhook: ingest failed: ${(error as Error).message}`)
      return refuse(503, 'ingest is unavailable; nothing was taken, send again')
    }
  }

  private authenticate(request: PushRequest): { error: PushResponse, signature?: never } | { error?: never, signature: string } {
    const timestamp = request.headers[TIMESTAMP_HEADER]?.trim()
    const given = SIGNATURE.exec(request.headers[SIGNATURE_HEADER]?.trim() ?? '')
    if (!timestamp || !TIMESTAMP.test(timestamp) || !given?.[1])
      return { error: refuse(401, `missing or malformed ${TIMESTAMP_HEADER} or ${SIGNATURE_HEADER}`) }
    const expected = signWebhook(this.secret, Number(timestamp), request.body).slice('sha256='.length)
    if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given[1], 'hex')))
      return { error: refuse(401, 'bad signature') }
    if (Math.abs(request.receivedAt / 1000 - Number(timestamp)) > this.config.replayWindowS)
      return { error: refuse(401, 'stale timestamp') }
    return { signature: given[1].toLowerCase() }
  }

  /** An authenticated body: dead-lettered when it is not a batch, else handed to ingest. */
  private async take(ctx: FeedContext, body: Buffer): Promise<PushResponse> {
    const parsed = parseJson(body)
    if (!parsed.ok) {
      await ctx.sink.reject({ source: this.id, kind: null, code: 'parse', reasons: parsed.reasons, raw: body.toString('utf8') })
      return refuse(400, 'body is not JSON', parsed.reasons)
    }
    const envelope = parseEnvelope(parsed.value)
    if (!envelope.ok) {
      await ctx.sink.reject({ source: this.id, kind: envelopeKind(parsed.value), code: 'schema', reasons: envelope.reasons, raw: parsed.value })
      return refuse(400, 'bad envelope', envelope.reasons)
    }
    const { kind, records } = envelope.value
    const receipt = records.length ? await ctx.sink.push({ source: this.id, kind, records }) : EMPTY_RECEIPT
    const { accepted, rejected, duplicates, late } = receipt
    return { status: 202, body: { accepted, rejected, duplicates, late } }
  }
}
