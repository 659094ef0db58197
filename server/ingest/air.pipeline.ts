import type { DomainBus } from '@server/bus'
import type { RawBatch } from '@server/feeds/types'
import type { AirState } from '@server/live/air-state'
import type { Store } from '@server/store/repositories'
import { validateAirBatch } from './air.ingest'

export interface IngestCounters {
  received: number
  accepted: number
  rejected: number
  stale: number
}

export interface AirPipeline {
  /** Hand a raw batch in; batches are processed one after another, in arrival order. */
  push: (batch: RawBatch) => void
  /** Resolves when every batch pushed so far is processed. */
  drained: () => Promise<void>
  counters: () => IngestCounters
}

/**
 * validate → dead-letter the rejects → apply to the live state → persist →
 * publish. Events leave only after the store has the new state.
 */
export function createAirPipeline(deps: {
  knownStations: ReadonlySet<string>
  state: AirState
  store: Store
  bus: DomainBus
  onError: (err: unknown) => void
}): AirPipeline {
  const counters: IngestCounters = { received: 0, accepted: 0, rejected: 0, stale: 0 }
  let queue: Promise<void> = Promise.resolve()

  async function process(batch: RawBatch): Promise<void> {
    counters.received += batch.records.length
    const { observations, rejections } = validateAirBatch(batch, deps.knownStations)
    counters.rejected += rejections.length
    for (const rejection of rejections)
      await deps.store.rejects.add(rejection)
    const applied = deps.state.apply(observations)
    counters.accepted += applied.readings.length
    counters.stale += applied.stale
    if (applied.readings.length === 0)
      return
    await deps.store.air.saveLatest(applied.readings)
    if (applied.city?.aqi.aqi != null)
      await deps.store.air.saveCityPoint({ t: applied.city.observedAt, aqi: applied.city.aqi.aqi })
    deps.bus.emit('air.updated', { readings: applied.readings, city: applied.city })
  }

  return {
    push(batch) {
      queue = queue.then(() => process(batch)).catch(deps.onError)
    },
    drained: () => queue,
    counters: () => ({ ...counters }),
  }
}
