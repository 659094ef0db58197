import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { connectionState, MIN_STALE_AFTER_MS, presumedDead, staleAfterMsFor } from '@client/realtime/connection-state'
import type { ConnectionState, LinkFacts, Transport } from '@client/realtime/connection-state'

export type { ConnectionState } from '@client/realtime/connection-state'

/**
 * The state of the link to the server, as operators must see it. Every
 * action takes the time it happened (`at`), so tests drive the clock; the
 * realtime module passes nothing and gets `Date.now()`.
 */
export const useConnectionStore = defineStore('connection', () => {
  const transport = ref<Transport>('connecting')
  const browserOnline = ref(true)
  const connectedAt = ref<number | null>(null)
  const lastMessageAt = ref<number | null>(null)
  /** Attempts since the link was lost; 0 while connected and on the first connect. */
  const reconnectAttempt = ref(0)
  const resyncs = ref(0)
  const lastResyncReason = ref<string | null>(null)
  const staleAfterMs = ref(MIN_STALE_AFTER_MS)
  /** The wall clock, ticked by the realtime module once a second and moved by every action. */
  const now = ref(Date.now())

  const facts = computed<LinkFacts>(() => ({
    transport: transport.value,
    browserOnline: browserOnline.value,
    connectedAt: connectedAt.value,
    lastMessageAt: lastMessageAt.value,
    staleAfterMs: staleAfterMs.value,
    now: now.value,
  }))
  const state = computed<ConnectionState>(() => connectionState(facts.value))
  /** The picture on the wall is not current (stale, offline, or not live yet): the wall view dims it. */
  const stale = computed(() => state.value !== 'live')
  /** The heartbeat's verdict: connected, yet silent for twice the stale threshold. */
  const presumedDeadNow = computed(() => presumedDead(facts.value))
  /** When `state` last changed. */
  const since = ref(now.value)
  watch(state, () => {
    since.value = now.value
  }, { flush: 'sync' })

  function advance(at: number): void {
    now.value = at
  }
  function connected(at: number = Date.now()): void {
    advance(at)
    connectedAt.value = at
    reconnectAttempt.value = 0
    transport.value = 'connected'
  }
  function disconnected(at: number = Date.now()): void {
    advance(at)
    connectedAt.value = null
    transport.value = 'disconnected'
  }
  /** The first connect (`reconnect: false`) or one more attempt to get the link back. */
  function connecting(options: { reconnect: boolean }, at: number = Date.now()): void {
    advance(at)
    connectedAt.value = null
    if (options.reconnect)
      reconnectAttempt.value += 1
    transport.value = 'connecting'
  }
  function setBrowserOnline(online: boolean, at: number = Date.now()): void {
    advance(at)
    browserOnline.value = online
  }
  function messageReceived(at: number = Date.now()): void {
    advance(at)
    lastMessageAt.value = at
  }
  function resynced(reason: string): void {
    resyncs.value += 1
    lastResyncReason.value = reason
  }
  function tick(at: number = Date.now()): void {
    advance(at)
  }
  /** The expected rhythm of the feeds (ms between rounds). */
  function expectUpdatesEvery(intervalMs: number): void {
    staleAfterMs.value = staleAfterMsFor(intervalMs)
  }

  return {
    transport, browserOnline, connectedAt, lastMessageAt, reconnectAttempt, resyncs, lastResyncReason, staleAfterMs, now,
    state, stale, since, presumedDead: presumedDeadNow,
    connected, disconnected, connecting, setBrowserOnline, messageReceived, resynced, tick, expectUpdatesEvery,
  }
})

export type ConnectionStore = ReturnType<typeof useConnectionStore>

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useConnectionStore, import.meta.hot))
