/**
 * Counts attempts per key in a sliding window and says how long a key must
 * wait once it has used its allowance (login per client address, display
 * token exchanges, inbound socket events). In memory, per node: an account's
 * lockout after repeated failures is kept in the database instead, so that
 * it holds across nodes and restarts.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>()

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an attempt; 0 if allowed, else the milliseconds until the next one would be. */
  take(key: string): number {
    const t = this.now()
    const recent = (this.hits.get(key) ?? []).filter(at => at > t - this.windowMs)
    if (recent.length >= this.limit) {
      this.hits.set(key, recent)
      return (recent[0] as number) + this.windowMs - t
    }
    recent.push(t)
    this.hits.set(key, recent)
    return 0
  }

  /** Forgets keys with no attempt in the window (call now and then: memory follows the active keys). */
  sweep(): void {
    const t = this.now()
    for (const [key, recent] of this.hits) {
      if ((recent.at(-1) ?? 0) <= t - this.windowMs)
        this.hits.delete(key)
    }
  }
}
