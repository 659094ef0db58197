import type { KpiSet } from '@shared/schemas/kpis'
import type { AirState } from './air-state'
import type { HallState } from './hall-state'
import type { IncidentState } from './incident-state'
import type { KpiInputs } from './kpis'
import { computeKpis } from './kpis'
import type { KpiHistory } from './kpis.history'
import type { TrafficState } from './traffic-state'

export interface KpiStates {
  air: AirState
  traffic: TrafficState
  halls: HallState
  incidents: IncidentState
}

/** The live states' figures the KPIs are computed from. */
export function readKpiInputs(s: KpiStates): Omit<KpiInputs, 'past'> {
  return {
    air: { city: s.air.city(), readings: s.air.readings() },
    traffic: { city: s.traffic.city(), towns: s.traffic.snapshot().towns },
    halls: s.halls.summary(),
    incidents: s.incidents.counts(),
  }
}

export interface KpiPublisherDeps {
  states: KpiStates
  history: KpiHistory
  /** The clock the server judges by (the simulated one in a simulation). */
  now: () => number
  publish: (set: KpiSet) => void
  onError: (err: unknown) => void
}

/**
 * Publishes the KPIs on a fixed real-time beat, whatever the feed rate (they
 * are figures for the wall, not events), and records them into history.
 */
export class KpiPublisher {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined

  constructor(private readonly deps: KpiPublisherDeps) {}

  /** The KPIs now with the comparisons last read: for snapshots and REST, which cannot wait. */
  current(): KpiSet {
    return computeKpis({ ...readKpiInputs(this.deps.states), past: this.deps.history.held() }, this.deps.now())
  }

  /** Reads the comparisons (once per clock hour), then publishes and records the KPIs. */
  async update(): Promise<KpiSet> {
    const now = this.deps.now()
    const past = await this.deps.history.past(now)
    const set = computeKpis({ ...readKpiInputs(this.deps.states), past }, now)
    this.deps.publish(set)
    await this.deps.history.record(set)
    return set
  }

  /** Updates now and every `intervalMs`; a beat that finds the last update still running is skipped. */
  start(intervalMs: number): void {
    const beat = (): void => {
      if (this.running)
        return
      this.running = this.update().then(() => {}, this.deps.onError).finally(() => {
        this.running = undefined
      })
    }
    beat()
    this.timer = setInterval(beat, intervalMs)
  }

  /** Stops the beat and waits for an update under way (it writes to the store). */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.running
  }
}
