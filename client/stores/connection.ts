import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref } from 'vue'

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected'

/** Data older than this, with the socket up, marks the wall stale. */
const DEFAULT_STALE_AFTER_MS = 20_000

/** The state of the link to the server, as operators must see it. */
export const useConnectionStore = defineStore('connection', () => {
  const status = ref<ConnectionStatus>('connecting')
  const lastMessageAt = ref<number | null>(null)
  const resyncs = ref(0)
  const lastResyncReason = ref<string | null>(null)
  const staleAfterMs = ref(DEFAULT_STALE_AFTER_MS)
  /** The wall clock, ticked by the realtime module once a second. */
  const now = ref(Date.now())

  const stale = computed(() =>
    status.value !== 'connected'
    || lastMessageAt.value === null
    || now.value - lastMessageAt.value > staleAfterMs.value)

  function setStatus(next: ConnectionStatus): void {
    status.value = next
  }
  function messageReceived(at: number = Date.now()): void {
    lastMessageAt.value = at
  }
  function resynced(reason: string): void {
    resyncs.value += 1
    lastResyncReason.value = reason
  }
  function tick(at: number = Date.now()): void {
    now.value = at
  }
  /** The expected rhythm of the feeds: stale after three missed rounds, at least 15 s. */
  function expectUpdatesEvery(intervalMs: number): void {
    staleAfterMs.value = Math.max(15_000, intervalMs * 3)
  }

  return { status, lastMessageAt, resyncs, lastResyncReason, staleAfterMs, now, stale, setStatus, messageReceived, resynced, tick, expectUpdatesEvery }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useConnectionStore, import.meta.hot))
