import type { HttpPullFeedConfig } from './config'
import type { FeedAdapter, FeedContext } from './types'
import { decodeText, deliver } from './formats/payload'
import { failedResponse, PollError, requestSignal, runPollLoop } from './poll-loop'

export interface HttpPullOptions {
  /** Uniform in [0, 1) for the backoff jitter; tests pin it. */
  random?: () => number
}


/**
 * Polls a URL: GET every `intervalMs`, at most `timeoutMs` each, with the
 * configured headers. Conditional requests: the last `ETag` goes back as
 * `If-None-Match` and the last `Last-Modified` as `If-Modified-Since`; 304
 * means nothing new and counts as a good poll. The validators are remembered
 * only after ingest accepted the body, so a body that failed to be taken in
 * is fetched again in full. Errors (network, timeout, non-2xx, invalid JSON)
 * back off with jitter and report `retrying`; invalid JSON is dead-lettered too.
 */
export class HttpPullFeed implements FeedAdapter {
  readonly adapter = 'http-pull'
  readonly id: string
  private etag: string | undefined
  private lastModified: string | undefined

  constructor(private readonly config: HttpPullFeedConfig, private readonly options: HttpPullOptions = {}) {
    this.id = config.id
    if (config.format === 'native' && !config.kind)
      throw new Error(`feed ${config.id}: a native http-pull feed needs \`kind\``)
  }

  start(ctx: FeedContext): void {
    void runPollLoop(ctx, {
      intervalMs: this.config.intervalMs,
      backoff: this.config.backoff,
      random: this.options.random,
      poll: signal => this.poll(ctx, signal),
    })
  }

  private requestHeaders(): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.config.headers }
    if (this.etag)
      headers['if-none-match'] = this.etag
    if (this.lastModified)
      headers['if-modified-since'] = this.lastModified
    return headers
  }

  private async poll(ctx: FeedContext, signal: AbortSignal): Promise<void> {
    const response = await fetch(this.config.url, {
      headers: this.requestHeaders(),
      signal: requestSignal(signal, this.config.timeoutMs),
    })
    if (response.status === 304) {
      await response.body?.cancel()
      return
    }
    if (!response.ok)
      throw await failedResponse(response)
    const text = await response.text()
    const decoded = decodeText(text, { format: this.config.format, kind: this.config.kind, crs: this.config.crs })
    await deliver(ctx.sink, this.id, decoded)
    if (decoded.rejects.some(r => r.code === 'parse'))
      throw new PollError('the body is not JSON')
    this.etag = response.headers.get('etag') ?? undefined
    this.lastModified = response.headers.get('last-modified') ?? undefined
  }
}
