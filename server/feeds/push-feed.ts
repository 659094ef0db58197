import type { FeedContext, PushResponse } from './types'

/** A refusal a push feed answers with: the status and why, with the reasons when there are some. */
export function refuse(status: number, error: string, reasons?: unknown): PushResponse {
  return { status, body: reasons === undefined ? { error } : { error, reasons } }
}

/**
 * The running context of a push feed (webhook, NGSI): set when the feed
 * starts, gone when the server stops, so a request that arrives outside that
 * window is refused rather than pushed into a closed ingest.
 */
export class PushSlot {
  private ctx: FeedContext | undefined

  start(ctx: FeedContext, waiting: string): void {
    this.ctx = ctx
    ctx.setConnection('connected', waiting)
    ctx.signal.addEventListener('abort', () => {
      this.ctx = undefined
    }, { once: true })
  }

  get current(): FeedContext | undefined {
    return this.ctx
  }
}
