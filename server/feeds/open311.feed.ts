import { reason } from '@server/ingest/validate'
import type { Open311FeedConfig } from './config'
import { secretValue } from './config'
import type { FeedAdapter, FeedContext } from './types'
import type { DecodedEntities } from './formats/ngsi'
import { parseJson } from './formats/native'
import { mapServiceRequest } from './formats/open311'
import { deliver } from './formats/payload'
import { failedResponse, PollError, requestSignal, runPollLoop } from './poll-loop'

/**
 * The next start_date lies this far before the newest change seen: a request
 * written upstream just as the last poll ran is still fetched. What comes
 * twice is de-duplicated by ingest (same ticket, same version).
 */
export const CURSOR_OVERLAP_MS = 60_000

export interface Open311Options {
  random?: () => number
}


/**
 * Polls an Open311 GeoReport v2 endpoint: GET `<url>/requests.json` every
 * `intervalMs` with `start_date` = the cursor (left out on the first poll, so
 * the server's default window applies), `jurisdiction_id` and `api_key` when
 * configured. The cursor is the newest updated_datetime (else
 * requested_datetime) seen, less CURSOR_OVERLAP_MS, and moves only after
 * ingest accepted the batch; it lives in memory, so a restart fetches the
 * server's default window again, which ingest de-duplicates.
 *
 * GeoReport filters start_date on requested_datetime; a server that filters
 * on update time (many do) also brings later status changes of old requests.
 */
export class Open311Feed implements FeedAdapter {
  readonly adapter = 'open311'
  readonly id: string
  private readonly apiKey: string | undefined
  private cursorMs: number | undefined

  constructor(private readonly config: Open311FeedConfig, env: NodeJS.ProcessEnv = process.env, private readonly options: Open311Options = {}) {
    this.id = config.id
    this.apiKey = config.apiKey ? secretValue(config.apiKey, env) : undefined
  }

  /** The start_date the next poll sends, if any. */
  get cursor(): string | undefined {
    return this.cursorMs === undefined ? undefined : new Date(this.cursorMs - CURSOR_OVERLAP_MS).toISOString()
  }

  start(ctx: FeedContext): void {
    void runPollLoop(ctx, {
      intervalMs: this.config.intervalMs,
      backoff: this.config.backoff,
      random: this.options.random,
      poll: signal => this.poll(ctx, signal),
    })
  }

  private requestUrl(): URL {
    const url = new URL(`${this.config.url.replace(/\/+$/, '')}/requests.json`)
    const cursor = this.cursor
    if (cursor)
      url.searchParams.set('start_date', cursor)
    if (this.config.jurisdictionId)
      url.searchParams.set('jurisdiction_id', this.config.jurisdictionId)
    if (this.apiKey)
      url.searchParams.set('api_key', this.apiKey)
    return url
  }

  private async poll(ctx: FeedContext, signal: AbortSignal): Promise<void> {
    const response = await fetch(this.requestUrl(), {
      headers: { accept: 'application/json' },
      signal: requestSignal(signal, this.config.timeoutMs),
    })
    if (!response.ok)
      throw await failedResponse(response)
    const text = await response.text()
    const parsed = parseJson(text)
    if (!parsed.ok) {
      await ctx.sink.reject({ source: this.id, kind: 'incident', code: 'parse', reasons: parsed.reasons, raw: text })
      throw new PollError('the body is not JSON')
    }
    if (!Array.isArray(parsed.value)) {
      await ctx.sink.reject({ source: this.id, kind: 'incident', code: 'schema', reasons: [reason('(body)', 'invalid_type', 'GeoReport v2 answers an array of service requests')], raw: parsed.value })
      throw new PollError('the body is not an array of service requests')
    }
    const { decoded, newestMs } = this.decode(parsed.value)
    await deliver(ctx.sink, this.id, decoded)
    // A clock ahead of ours must not push the cursor past what exists yet.
    const next = newestMs === undefined ? undefined : Math.min(newestMs, Date.now())
    if (next !== undefined && (this.cursorMs === undefined || next > this.cursorMs))
      this.cursorMs = next
  }

  private decode(requests: unknown[]): { decoded: DecodedEntities, newestMs: number | undefined } {
    const records: unknown[] = []
    const decoded: DecodedEntities = { batches: new Map(), rejects: [] }
    let newestMs: number | undefined
    for (const request of requests) {
      const mapped = mapServiceRequest(request, { crs: this.config.crs, services: this.config.services })
      if (!mapped.ok) {
        decoded.rejects.push({ kind: 'incident', code: 'schema', reasons: mapped.reasons, raw: request })
        continue
      }
      records.push(mapped.record)
      if (mapped.changedAt !== undefined && (newestMs === undefined || mapped.changedAt > newestMs))
        newestMs = mapped.changedAt
    }
    if (records.length)
      decoded.batches.set('incident', records)
    return { decoded, newestMs }
  }
}
