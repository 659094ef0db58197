import { Backoff, describeError, sleep } from '@server/feeds/backoff'
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@server/feeds/webhook.feed'

/**
 * Delivers one notification (JSON) to an outside endpoint, an SMS or
 * messaging gateway: POST with retries, exponential backoff with full jitter
 * (server/feeds/backoff.ts), a timeout per attempt, and the same signature as
 * our own incoming webhook feed, so a partner verifies both directions with
 * one piece of code: `x-ioc-timestamp` (Unix seconds) and `x-ioc-signature`
 * = `sha256=` hex HMAC-SHA256(secret, "<timestamp>." + body). Each attempt
 * is signed afresh, so a retry is never refused as a stale timestamp.
 *
 * What is retried: network errors, timeouts, 5xx, 408 and 429 (429 and 503
 * wait their Retry-After). Any other answer below 200 or from 300 up is
 * permanent: the request itself is wrong (400), unauthorised (401/403),
 * misaddressed (404), and a redirect is not followed, since it would carry
 * the signed alert to another address.
 *
 * Delivery is at least once: a receiver that answered but whose answer was
 * lost gets the notification again. `deliveryId` (the same for every attempt,
 * in `x-ioc-delivery`) lets it drop the repeat.
 */

export const DELIVERY_HEADER = 'x-ioc-delivery'
const USER_AGENT = 'city-ioc-alerts/1'
/** Enough of an error answer's body to tell what the receiver did not like. */
const ERROR_BODY_CHARS = 200

export interface DeliveryOptions {
  url: string
  /** The shared HMAC secret; without it the request goes unsigned. */
  secret?: string
  /** Attempts in all, the first included (≥ 1). */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Each attempt, from sending to the end of the answer. */
  timeoutMs: number
  /** Aborts the attempt under way and the wait: the result is `aborted`. */
  signal?: AbortSignal
  /** Sent as x-ioc-delivery on every attempt, for the receiver to drop repeats. */
  deliveryId?: string
  /** Told of each failed attempt that will be retried, e.g. to log it. */
  onRetry?: (retry: RetryInfo) => void
  /** Uniform in [0, 1) for the jitter; tests pin it. */
  random?: () => number
  /** The clock of the signature's timestamp: the receiver's wall clock, not the simulated one. */
  now?: () => number
}

export interface RetryInfo {
  /** The attempt that failed, from 1. */
  attempt: number
  error: string
  /** The wait before the next attempt. */
  delayMs: number
}

export type DeliveryResult =
  | { outcome: 'delivered', attempts: number, status: number }
  | {
    outcome: 'gave-up'
    attempts: number
    /** The last answer's status; null when it was a network error or a timeout. */
    status: number | null
    error: string
    /** The answer said the request itself is wrong: sending it again will not help. */
    permanent: boolean
    /** The receiver asked to wait longer than maxDelayMs: the caller may send it again after this. */
    retryAfterMs?: number
  }
  | { outcome: 'aborted', attempts: number, error: string }

type Attempt =
  | { ok: true, status: number }
  | { ok: false, status: number | null, error: string, retry: boolean, retryAfterMs?: number }

/** POSTs `payload` as JSON until delivered, given up, or aborted. Never throws for what the network or the receiver does. */
export async function deliver(payload: unknown, opts: DeliveryOptions): Promise<DeliveryResult> {
  const body = JSON.stringify(payload)
  const signal = opts.signal ?? new AbortController().signal
  const backoff = new Backoff({ baseMs: opts.baseDelayMs, maxMs: opts.maxDelayMs, random: opts.random })
  const maxAttempts = Math.max(1, Math.floor(opts.maxAttempts))
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted)
      return { outcome: 'aborted', attempts: attempt - 1, error: 'aborted before sending' }
    const result = await send(body, opts, signal)
    if (result.ok)
      return { outcome: 'delivered', attempts: attempt, status: result.status }
    if (signal.aborted)
      return { outcome: 'aborted', attempts: attempt, error: result.error }
    const gaveUp = { outcome: 'gave-up', attempts: attempt, status: result.status, error: result.error, permanent: !result.retry } as const
    if (!result.retry || attempt >= maxAttempts)
      return gaveUp
    const jittered = backoff.next()
    if (result.retryAfterMs !== undefined && result.retryAfterMs > opts.maxDelayMs)
      return { ...gaveUp, retryAfterMs: result.retryAfterMs }
    // Retry-After is the receiver's own word on when it can take more: wait at least that.
    const delayMs = Math.max(jittered, result.retryAfterMs ?? 0)
    opts.onRetry?.({ attempt, error: result.error, delayMs })
    if (!await sleep(delayMs, signal))
      return { outcome: 'aborted', attempts: attempt, error: result.error }
  }
}

async function send(body: string, opts: DeliveryOptions, signal: AbortSignal): Promise<Attempt> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': USER_AGENT }
  const timestamp = Math.floor((opts.now ?? Date.now)() / 1000)
  headers[TIMESTAMP_HEADER] = String(timestamp)
  if (opts.secret)
    headers[SIGNATURE_HEADER] = signWebhook(opts.secret, timestamp, body)
  if (opts.deliveryId)
    headers[DELIVERY_HEADER] = opts.deliveryId
  const attemptSignal = AbortSignal.any([signal, AbortSignal.timeout(opts.timeoutMs)])
  try {
    const response = await fetch(opts.url, { method: 'POST', headers, body, redirect: 'manual', signal: attemptSignal })
    // Read the answer to its end (within the timeout) so the connection can be reused.
    const text = await response.text()
    const status = response.status
    if (status >= 200 && status < 300)
      return { ok: true, status }
    const error = `HTTP ${status}${text ? `: ${text.slice(0, ERROR_BODY_CHARS)}` : ''}`
    const retry = status >= 500 || status === 408 || status === 429
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after'), opts.now ?? Date.now) : undefined
    return { ok: false, status, error, retry, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }
  }
  catch (error) {
    if (signal.aborted)
      return { ok: false, status: null, error: 'aborted', retry: false }
    return { ok: false, status: null, error: describeError(error), retry: true }
  }
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: () => number = Date.now): number | undefined {
  const v = value?.trim()
  if (!v)
    return undefined
  if (/^\d+$/.test(v))
    return Number(v) * 1000
  // An HTTP-date names its month (and day); Date.parse alone would take "-5" for a year.
  const at = /[a-z]{3}/i.test(v) ? Date.parse(v) : Number.NaN
  return Number.isFinite(at) ? Math.max(0, at - now()) : undefined
}
