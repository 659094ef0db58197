import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { AqiLevel } from '@shared/air/levels'
import type { CityAir, CityAqiPoint, StationReading } from '@shared/schemas/air'
import type { AirEventData, AirSnapshot } from '@shared/realtime/streams'

/** The trend covers this much observation time… */
const TREND_WINDOW_MS = 3_600_000
/** …and never more points than this, however fast the feed. */
const TREND_MAX_POINTS = 2000

/**
 * The live air of the city, fed only by the realtime module. Collections are
 * replaced, not mutated, so that a 33-station update is one reactive change.
 */
export const useAirStore = defineStore('air', () => {
  const readings = shallowRef<ReadonlyMap<string, StationReading>>(new Map())
  const city = shallowRef<CityAir | null>(null)
  const trend = shallowRef<readonly CityAqiPoint[]>([])

  const ranked = computed(() =>
    [...readings.value.values()].sort((a, b) => (b.aqi.aqi ?? -1) - (a.aqi.aqi ?? -1)))

  const levelCounts = computed(() => {
    const counts: Record<AqiLevel, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0 }
    for (const r of readings.value.values()) {
      if (r.aqi.level !== null)
        counts[r.aqi.level] += 1
    }
    return counts
  })

  function applySnapshot(snapshot: AirSnapshot): void {
    readings.value = new Map(snapshot.readings.map(r => [r.stationId, r]))
    city.value = snapshot.city
    trend.value = bound(snapshot.trend)
  }

  function applyEvent(data: AirEventData): void {
    const next = new Map(readings.value)
    for (const r of data.readings) {
      const held = next.get(r.stationId)
      if (!held || held.observedAt < r.observedAt)
        next.set(r.stationId, r)
    }
    readings.value = next
    if (data.city)
      city.value = data.city
    const last = trend.value.at(-1)
    const added = data.trend.filter(p => !last || last.t < p.t)
    if (added.length > 0)
      trend.value = bound([...trend.value, ...added])
  }

  return { readings, city, trend, ranked, levelCounts, applySnapshot, applyEvent }
})

function bound(points: readonly CityAqiPoint[]): CityAqiPoint[] {
  const newest = points.at(-1)
  if (!newest)
    return []
  const horizon = Date.parse(newest.t) - TREND_WINDOW_MS
  return points.filter(p => Date.parse(p.t) >= horizon).slice(-TREND_MAX_POINTS)
}

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useAirStore, import.meta.hot))
