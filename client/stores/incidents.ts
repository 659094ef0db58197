import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed } from 'vue'
import { byNewestReport } from '@shared/realtime/mirror'
import type { Incident, IncidentsSummary } from '@shared/schemas/incidents'
import { useLiveStore } from './live'

/**
 * The 12345 work orders the wall knows: the incidents stream's state (at most
 * the newest 500, folded by the server's own reducer), newest report first.
 */
export const useIncidentsStore = defineStore('incidents', () => {
  const live = useLiveStore()
  const newest = computed<readonly Incident[]>(() => [...live.view('incidents')?.incidents.values() ?? []].sort(byNewestReport))
  const summary = computed<IncidentsSummary | null>(() => live.view('incidents')?.summary ?? null)
  return { newest, summary, health: computed(() => live.health.incidents) }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useIncidentsStore, import.meta.hot))
