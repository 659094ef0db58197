import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed } from 'vue'
import type { HallReading, HallsSummary } from '@shared/schemas/halls'
import { useLiveStore } from './live'

/** The service halls' queues as panels read them. */
export const useHallsStore = defineStore('halls', () => {
  const live = useLiveStore()
  const readings = computed<ReadonlyMap<string, HallReading>>(() => new Map(live.view('halls')?.halls))
  const summary = computed<HallsSummary | null>(() => live.view('halls')?.summary ?? null)
  return { readings, summary, health: computed(() => live.health.halls) }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useHallsStore, import.meta.hot))
