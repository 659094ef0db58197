import type { ConnectionState, FeedContext } from './types'
import { Backoff, describeError, sleep } from './backoff'

/** A poll that failed after the upstream answered (an error status, a body we cannot read): the loop backs off. */
export class PollError extends Error {}

/** Releases a response that will not be read and says why the poll failed. */
export async function failedResponse(response: Response): Promise<PollError> {
  await response.body?.cancel()
  return new PollError(`HTTP ${response.status} ${response.statusText}`.trim())
}

export interface PollLoopOptions {
  intervalMs: number
  backoff: { baseMs: number, maxMs: number }
  random?: () => number
  /** One poll: resolves when everything it fetched is acknowledged by ingest; throws on any failure. */
  poll: (signal: AbortSignal) => Promise<void>
}

/**
 * Polls until the context aborts: after a good poll waits the interval, after
 * a failure waits the backoff and reports `retrying` with why. Never throws;
 * a poll is never run twice at once.
 */
export async function runPollLoop(ctx: FeedContext, options: PollLoopOptions): Promise<void> {
  const backoff = new Backoff({ ...options.backoff, random: options.random })
  let state: ConnectionState | null = null
  const report = (next: ConnectionState, detail?: string): void => {
    // `retrying` is repeated so the detail stays current; `connected` only on change.
    if (next !== state || next === 'retrying')
      ctx.setConnection(next, detail)
    state = next
  }
  report('connecting')
  while (!ctx.signal.aborted) {
    let waitMs: number
    try {
      await options.poll(ctx.signal)
      backoff.reset()
      report('connected')
      waitMs = options.intervalMs
    }
    catch (error) {
      if (ctx.signal.aborted)
        break
      waitMs = backoff.next()
      const why = describeError(error)
      report('retrying', `${why}; retry ${backoff.consecutiveFailures} in ${waitMs} ms`)
      ctx.log(`poll failed: ${why}`)
    }
    if (!await sleep(waitMs, ctx.signal))
      break
  }
}

/** The poll's request signal: the server's stop or the per-request timeout, whichever comes first. */
export function requestSignal(signal: AbortSignal, timeoutMs: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
}
