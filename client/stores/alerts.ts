import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed } from 'vue'
import type { Alert, AlertSeverity, AlertsSummary } from '@shared/schemas/alerts'
import { useLiveStore } from './live'

const SEVERITY_RANK: Record<AlertSeverity, number> = { critical: 0, major: 1, warning: 2, info: 3 }

/** The alerts not yet resolved: the most severe first, then the newest. */
export const useAlertsStore = defineStore('alerts', () => {
  const live = useLiveStore()
  const active = computed<readonly Alert[]>(() => [...live.view('alerts')?.alerts.values() ?? []].sort((a, b) =>
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : 0)))
  const summary = computed<AlertsSummary | null>(() => live.view('alerts')?.summary ?? null)
  return { active, summary, health: computed(() => live.health.alerts) }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useAlertsStore, import.meta.hot))
