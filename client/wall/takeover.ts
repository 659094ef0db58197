import type { Alert } from '@shared/schemas/alerts'

/**
 * Which critical alert takes the wall over, if any. Only alerts raised
 * while the wall is open do: the first snapshot's are already known to the
 * room (a wall restarted at night must not replay them). One holds the wall
 * until it is acknowledged or resolved, or until the preset's timeout has
 * passed since the wall saw it; with several, the newest. Every call says
 * when it is (`now`, ms, the wall's clock): the server's `raisedAt` orders
 * alerts but never times them, the two clocks may differ.
 */

export interface TakeoverSettings { enabled: boolean, timeoutMs: number }

export interface Takeover {
  alert: Alert
  /** When this wall first saw it critical and firing. */
  since: number
  /** When it lets go of the wall, unless acknowledged before. */
  endsAt: number
}

const takesOver = (a: Alert): boolean => a.severity === 'critical' && a.status === 'firing'

export class TakeoverWatch {
  /** The critical alerts of the first snapshot; null until it came. */
  private known: Set<string> | null = null
  private readonly seenAt = new Map<string, number>()
  private candidates: Alert[] = []

  constructor(private settings: TakeoverSettings) {}

  configure(settings: TakeoverSettings): void {
    this.settings = settings
  }

  /** The alerts still to be dealt with, as the stream holds them now; the first call is the first snapshot. */
  observe(alerts: readonly Alert[], now: number): void {
    if (this.known === null) {
      this.known = new Set(alerts.filter(takesOver).map(a => a.id))
      return
    }
    const present = new Set(alerts.map(a => a.id))
    // Resolved alerts leave the stream; forgetting them keeps a wall that runs for months small.
    for (const id of this.seenAt.keys()) {
      if (!present.has(id))
        this.seenAt.delete(id)
    }
    for (const id of this.known) {
      if (!present.has(id))
        this.known.delete(id)
    }
    for (const a of alerts) {
      if (takesOver(a) && !this.known.has(a.id) && !this.seenAt.has(a.id))
        this.seenAt.set(a.id, now)
    }
    this.candidates = alerts.filter(a => takesOver(a) && this.seenAt.has(a.id))
  }

  current(now: number): Takeover | null {
    if (!this.settings.enabled)
      return null
    let best: Takeover | null = null
    for (const alert of this.candidates) {
      const since = this.seenAt.get(alert.id) as number
      const endsAt = since + this.settings.timeoutMs
      if (now >= endsAt)
        continue
      // Instants may come with different offsets: compared as times, not text.
      const raised = Date.parse(alert.raisedAt)
      const bestRaised = best ? Date.parse(best.alert.raisedAt) : Number.NEGATIVE_INFINITY
      if (raised > bestRaised || (best && raised === bestRaised && since > best.since))
        best = { alert, since, endsAt }
    }
    return best
  }
}
