/**
 * The main-thread time of the most recent UI ticks, ms, in a fixed ring (a
 * wall runs for weeks: nothing here grows). The wall benchmark reads it
 * through `window.__iocTicks` (performance.md C-1).
 */
export class TickStats {
  private readonly ring: Float64Array
  private next = 0
  /** Ticks recorded since the page loaded. */
  count = 0

  constructor(capacity = 4096) {
    this.ring = new Float64Array(capacity)
  }

  record(ms: number): void {
    this.ring[this.next] = ms
    this.next = (this.next + 1) % this.ring.length
    this.count += 1
  }

  /** The recorded durations, oldest first (at most the ring's capacity). */
  recent(): number[] {
    const held = Math.min(this.count, this.ring.length)
    const start = (this.next - held + this.ring.length) % this.ring.length
    return Array.from({ length: held }, (_, i) => this.ring[(start + i) % this.ring.length] as number)
  }

  /** Forgets what was recorded (a benchmark's warm-up). */
  reset(): void {
    this.count = 0
    this.next = 0
  }
}
