/** Enough for ~300 signed requests a second over a 5-minute window, at ~150 bytes each. */
export const MAX_REMEMBERED = 100_000

export type Claim = 'fresh' | 'replay' | 'full'

/**
 * The signatures seen within a time window, to refuse exact replays. Entries
 * are kept in arrival order and forgotten from the front once older than the
 * window, so memory follows the request rate, never the total; a hard cap
 * refuses (rather than forgets) when a flood outruns it, since forgetting a
 * live entry would let its replay through.
 */
export class ReplayGuard {
  private readonly expiries = new Map<string, number>()

  constructor(private readonly windowMs: number, private readonly max = MAX_REMEMBERED) {}

  /** Marks a signature as seen at `nowMs`, unless it was seen already or there is no room. */
  claim(signature: string, nowMs: number): Claim {
    this.forget(nowMs)
    const expiry = this.expiries.get(signature)
    if (expiry !== undefined && expiry > nowMs)
      return 'replay'
    if (this.expiries.size >= this.max)
      return 'full'
    this.expiries.delete(signature)
    this.expiries.set(signature, nowMs + this.windowMs)
    return 'fresh'
  }

  /** Forgets a claim whose request was not taken, so the sender's retry is not a replay. */
  release(signature: string): void {
    this.expiries.delete(signature)
  }

  get size(): number {
    return this.expiries.size
  }

  private forget(nowMs: number): void {
    for (const [signature, expiry] of this.expiries) {
      if (expiry > nowMs)
        break
      this.expiries.delete(signature)
    }
  }
}
