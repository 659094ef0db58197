import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed } from 'vue'
import type { CityTraffic, TownTraffic } from '@shared/schemas/traffic'
import { useLiveStore } from './live'

/**
 * The city's traffic as panels read it. The segments (thousands) stay in the
 * stream's state: the map reads them there (`live.view('traffic')`) and diffs.
 */
export const useTrafficStore = defineStore('traffic', () => {
  const live = useLiveStore()
  const city = computed<CityTraffic | null>(() => live.view('traffic')?.city ?? null)
  const towns = computed<ReadonlyMap<string, TownTraffic>>(() => new Map(live.view('traffic')?.towns))
  return { city, towns, health: computed(() => live.health.traffic) }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useTrafficStore, import.meta.hot))
