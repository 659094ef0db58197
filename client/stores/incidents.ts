import { acceptHMRUpdate, defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { StreamMirror } from '@shared/realtime/mirror'
import type { IncidentsEventData, StreamSnapshot } from '@shared/realtime/streams'
import type { Incident, IncidentsSummary } from '@shared/schemas/incidents'

/**
 * The 12345 work orders the wall knows, fed only by the realtime module. The
 * incidents stream is folded with the server's own reducer, so the wall keeps
 * exactly what the server's snapshot would hold: a newer version replaces an
 * older one, never the reverse, and at most the newest 500 are kept.
 */
export const useIncidentsStore = defineStore('incidents', () => {
  let mirror: StreamMirror<'incidents'> | undefined
  /** Newest report first (ties by id, as the server orders them). */
  const newest = shallowRef<readonly Incident[]>([])
  const summary = shallowRef<IncidentsSummary | null>(null)

  function applySnapshot(snapshot: StreamSnapshot<'incidents'>): void {
    mirror = new StreamMirror('incidents', snapshot)
    publish(mirror)
  }

  function applyEvent(data: IncidentsEventData): void {
    // The subscription always starts with a snapshot; an event before one still counts.
    mirror ??= new StreamMirror('incidents', { incidents: [], summary: data.summary })
    mirror.apply(data)
    publish(mirror)
  }

  function publish(from: StreamMirror<'incidents'>): void {
    const state = from.snapshot()
    newest.value = state.incidents
    summary.value = state.summary
  }

  return { newest, summary, applySnapshot, applyEvent }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useIncidentsStore, import.meta.hot))
