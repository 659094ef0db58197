import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed } from 'vue'
import type { KpiSet } from '@shared/schemas/kpis'
import { useLiveStore } from './live'

/** The city's headline figures with their day-ago and week-ago values (the kpis stream). */
export const useKpisStore = defineStore('kpis', () => {
  const live = useLiveStore()
  const kpis = computed<KpiSet | null>(() => live.view('kpis') ?? null)
  return { kpis, health: computed(() => live.health.kpis) }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useKpisStore, import.meta.hot))
