import { setTimeout as delay } from 'node:timers/promises'

export interface BackoffOptions {
  baseMs: number
  maxMs: number
  /** Uniform in [0, 1); injected so tests can pin the jitter. */
  random?: () => number
}

/**
 * Exponential backoff with full jitter (the AWS architecture blog's
 * "full jitter"): the n-th consecutive failure waits a uniform draw up to
 * min(maxMs, baseMs · 2^n), so many clients of one upstream spread out
 * instead of retrying in lock step. The draw's floor is baseMs rather than 0:
 * a failing upstream is never hit faster than the configured base.
 */
export class Backoff {
  private failures = 0
  private readonly random: () => number

  constructor(private readonly options: BackoffOptions) {
    this.random = options.random ?? Math.random
  }

  /** The wait before the next attempt; each call counts one more failure. */
  next(): number {
    const { baseMs, maxMs } = this.options
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(this.failures, 30))
    this.failures++
    const floor = Math.min(baseMs, ceiling)
    return Math.round(floor + (ceiling - floor) * this.random())
  }

  /** A success: the next failure starts from the base again. */
  reset(): void {
    this.failures = 0
  }

  get consecutiveFailures(): number {
    return this.failures
  }
}

/** Waits ms, or less when the signal aborts; resolves false when aborted. */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted)
    return false
  try {
    await delay(ms, undefined, { signal })
    return true
  }
  catch {
    return false
  }
}

/** An error's message, whatever was thrown, and the cause's message when fetch hides it there. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error))
    return String(error)
  if (error.name === 'TimeoutError')
    return 'timed out'
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${error.message}${cause}`
}
