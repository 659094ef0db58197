// The store under test uses Vite's `import.meta.hot`; this file is also checked by tsconfig.server.json.
/// <reference types="vite/client" />
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useConnectionStore } from './connection'

const T0 = 1_700_000_000_000
const FEED_INTERVAL_MS = 10_000
const STALE_MS = 30_000 // three rounds of FEED_INTERVAL_MS

describe('useConnectionStore', () => {
  let store: ReturnType<typeof useConnectionStore>

  beforeEach(() => {
    setActivePinia(createPinia())
    store = useConnectionStore()
    store.expectUpdatesEvery(FEED_INTERVAL_MS)
  })

  /** Connected at T0, data at T0 + 1 s. */
  function goLive(): void {
    store.connecting({ reconnect: false }, T0 - 500)
    store.connected(T0)
    store.messageReceived(T0 + 1000)
  }

  it('starts connecting, and is live once connected and data has arrived', () => {
    expect(store.state).toBe('connecting')
    store.connecting({ reconnect: false }, T0 - 500)
    store.connected(T0)
    expect(store.state).toBe('connecting')
    store.messageReceived(T0 + 1000)
    expect(store.state).toBe('live')
    expect(store.stale).toBe(false)
    expect(store.reconnectAttempt).toBe(0)
    expect(store.since).toBe(T0 + 1000)
  })

  it('goes stale after the threshold of silence, and live again on the next message', () => {
    goLive()
    store.tick(T0 + 1000 + STALE_MS)
    expect(store.state).toBe('live')
    store.tick(T0 + 1001 + STALE_MS)
    expect(store.state).toBe('stale')
    expect(store.stale).toBe(true)
    expect(store.since).toBe(T0 + 1001 + STALE_MS)
    expect(store.presumedDead).toBe(false)

    store.messageReceived(T0 + 2000 + STALE_MS)
    expect(store.state).toBe('live')
    expect(store.since).toBe(T0 + 2000 + STALE_MS)
  })

  it('presumes the socket dead after twice the threshold of silence', () => {
    goLive()
    store.tick(T0 + 1000 + 2 * STALE_MS)
    expect(store.presumedDead).toBe(false)
    store.tick(T0 + 1001 + 2 * STALE_MS)
    expect(store.presumedDead).toBe(true)
  })

  it('is offline on a disconnect, connecting with a counted attempt while reconnecting, and live again after', () => {
    goLive()
    store.disconnected(T0 + 2000)
    expect(store.state).toBe('offline')
    expect(store.since).toBe(T0 + 2000)
    expect(store.stale).toBe(true)

    store.connecting({ reconnect: true }, T0 + 3000)
    expect(store.state).toBe('connecting')
    expect(store.reconnectAttempt).toBe(1)
    store.disconnected(T0 + 3010)
    store.connecting({ reconnect: true }, T0 + 6000)
    expect(store.reconnectAttempt).toBe(2)

    store.connected(T0 + 6050)
    // Connected, but the data on screen is from the old connection.
    expect(store.state).toBe('connecting')
    expect(store.reconnectAttempt).toBe(0)
    store.messageReceived(T0 + 6060)
    expect(store.state).toBe('live')
    expect(store.lastMessageAt).toBe(T0 + 6060)
  })

  it('is offline while the browser reports no network, even with the socket up', () => {
    goLive()
    store.setBrowserOnline(false, T0 + 1500)
    expect(store.state).toBe('offline')
    store.messageReceived(T0 + 1600)
    expect(store.state).toBe('offline')
    store.setBrowserOnline(true, T0 + 1700)
    expect(store.state).toBe('live')
  })

  it('keeps the 15 s floor for fast feeds', () => {
    store.expectUpdatesEvery(1000)
    expect(store.staleAfterMs).toBe(15_000)
  })
})
