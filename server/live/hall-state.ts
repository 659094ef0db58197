import { hallMetrics, hallsSummary } from '@shared/halls/metrics'
import type { HallObservation, HallReading, HallsSummary } from '@shared/schemas/halls'

export interface HallsApplied {
  halls: HallReading[]
  summary: HallsSummary | null
}

/** The live queues of the service halls: each hall's latest observation with its metrics, and all halls together. */
export class HallState {
  private readonly latest = new Map<string, HallReading>()
  private summaryValue: HallsSummary | null = null

  constructor(private readonly hallsTotal: number) {}

  /** Restores readings saved by an earlier run; their metrics are derived again. */
  restore(readings: readonly HallReading[]): void {
    this.apply(readings.map(({ metrics: _saved, ...observation }) => observation))
  }

  apply(observations: readonly HallObservation[]): HallsApplied {
    const changed: HallReading[] = []
    for (const o of observations) {
      const held = this.latest.get(o.hallId)
      if (held && Date.parse(held.observedAt) >= Date.parse(o.observedAt))
        continue
      const reading: HallReading = { ...o, metrics: hallMetrics(o) }
      this.latest.set(o.hallId, reading)
      changed.push(reading)
    }
    if (changed.length > 0)
      this.summaryValue = hallsSummary([...this.latest.values()], this.hallsTotal)
    return { halls: changed, summary: changed.length > 0 ? this.summaryValue : null }
  }

  summary(): HallsSummary | null {
    return this.summaryValue
  }

  /** The observation time held for an entity, epoch ms. */
  heldTime(id: string): number | undefined {
    const held = this.latest.get(id)
    return held ? Date.parse(held.observedAt) : undefined
  }

  snapshot(): { halls: HallReading[], summary: HallsSummary | null } {
    return { halls: [...this.latest.values()], summary: this.summaryValue }
  }
}
