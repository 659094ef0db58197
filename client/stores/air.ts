import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed } from 'vue'
import type { AqiLevel } from '@shared/air/levels'
import type { CityAir, CityAqiPoint, StationReading } from '@shared/schemas/air'
import { useLiveStore } from './live'

/** The live air of the city: the air stream's state, as panels read it. */
export const useAirStore = defineStore('air', () => {
  const live = useLiveStore()
  // Copies (33 stations, an hour of points) so that each tick that moved the stream is a new value for the panels.
  const readings = computed<ReadonlyMap<string, StationReading>>(() => new Map(live.view('air')?.readings))
  const city = computed<CityAir | null>(() => live.view('air')?.city ?? null)
  const trend = computed<readonly CityAqiPoint[]>(() => [...live.view('air')?.trend ?? []])

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

  return { readings, city, trend, ranked, levelCounts, health: computed(() => live.health.air) }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useAirStore, import.meta.hot))
