import { createHash, timingSafeEqual } from 'node:crypto'
import { reason } from '@server/ingest/validate'
import type { NgsiFeedConfig } from './config'
import { secretValue } from './config'
import { PushSlot, refuse } from './push-feed'
import type { FeedAdapter, FeedContext, PushRequest, PushResponse } from './types'
import { parseJson } from './formats/native'
import { isObject } from './formats/ngsi-attrs'
import { decodeNgsiEntities } from './formats/ngsi'
import { deliver } from './formats/payload'

export const TOKEN_HEADER = 'x-auth-token'

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/** Why a parsed body is not a notification, or undefined when it is one. */
function notificationProblem(body: unknown): string | undefined {
  if (!isObject(body))
    return 'a notification is a JSON object'
  if (!Array.isArray(body.data))
    return 'a notification carries its entities in `data` (an array)'
  if (body.type !== undefined && body.type !== 'Notification')
    return `an NGSI-LD notification has type Notification, not ${JSON.stringify(body.type)}`
  return undefined
}

/**
 * The notification endpoint of an NGSI broker's subscription
 * (`POST /api/feeds/<id>`): Orion's NGSI-v2 `{ subscriptionId, data: [...] }`
 * and NGSI-LD's `{ id, type: 'Notification', subscriptionId, notifiedAt, data: [...] }`,
 * entities normalized or key-values, `@context` inline or absent.
 *
 * When a token is configured the broker must send it in `x-auth-token`
 * (Orion: the subscription's `httpCustom.headers`), else 401. 413 over
 * `maxBodyBytes`; 400 for a body that is not a notification (dead-lettered);
 * 200 with the receipt once ingest took the records (entities of an
 * unsupported type are dead-lettered and do not fail the notification, or the
 * broker would resend it forever); 503 when ingest failed.
 */
export class NgsiFeed implements FeedAdapter {
  readonly adapter = 'ngsi'
  readonly id: string
  private readonly tokenDigest: Buffer | undefined
  private readonly slot = new PushSlot()

  constructor(private readonly config: NgsiFeedConfig, env: NodeJS.ProcessEnv = process.env) {
    this.id = config.id
    this.tokenDigest = config.token ? digest(secretValue(config.token, env)) : undefined
  }

  start(ctx: FeedContext): void {
    this.slot.start(ctx, 'waiting for notifications')
  }

  async receive(request: PushRequest): Promise<PushResponse> {
    const ctx = this.slot.current
    if (!ctx)
      return refuse(503, 'feed is not running')
    if (this.tokenDigest) {
      // Digests have one length, so the comparison is constant-time whatever was sent.
      const given = digest(request.headers[TOKEN_HEADER] ?? '')
      if (!timingSafeEqual(given, this.tokenDigest))
        return refuse(401, `missing or wrong ${TOKEN_HEADER}`)
    }
    if (request.body.length > this.config.maxBodyBytes)
      return refuse(413, `body larger than ${this.config.maxBodyBytes} bytes`)
    try {
      return await this.take(ctx, request.body)
    }
    catch (error) {
      ctx.log(`ngsi: ingest failed: ${(error as Error).message}`)
      return refuse(503, 'ingest is unavailable; nothing was taken')
    }
  }

  private async take(ctx: FeedContext, body: Buffer): Promise<PushResponse> {
    const parsed = parseJson(body)
    if (!parsed.ok) {
      await ctx.sink.reject({ source: this.id, kind: null, code: 'parse', reasons: parsed.reasons, raw: body.toString('utf8') })
      return refuse(400, 'body is not JSON', parsed.reasons)
    }
    const problem = notificationProblem(parsed.value)
    if (problem) {
      const reasons = [reason('(notification)', 'invalid_notification', problem)]
      await ctx.sink.reject({ source: this.id, kind: null, code: 'schema', reasons, raw: parsed.value })
      return refuse(400, 'not an NGSI notification', reasons)
    }
    const entities = (parsed.value as { data: unknown[] }).data
    const decoded = decodeNgsiEntities(entities, this.config.crs)
    const receipt = await deliver(ctx.sink, this.id, decoded)
    return { status: 200, body: { ...receipt, undecodable: decoded.rejects.length } }
  }
}
