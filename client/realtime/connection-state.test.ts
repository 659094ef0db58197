import { describe, expect, it } from 'vitest'
import type { LinkFacts } from './connection-state'
import { connectionState, MIN_STALE_AFTER_MS, presumedDead, silenceMs, staleAfterMsFor } from './connection-state'

const STALE_MS = 15_000
const T0 = 1_700_000_000_000

function facts(overrides: Partial<LinkFacts>): LinkFacts {
  return { transport: 'connected', browserOnline: true, connectedAt: T0, lastMessageAt: T0 + 100, staleAfterMs: STALE_MS, now: T0 + 1000, ...overrides }
}

describe(connectionState.name, () => {
  it('is live while data arrives within the threshold, and stale once it does not', () => {
    expect(connectionState(facts({ lastMessageAt: T0 + 100, now: T0 + 100 + STALE_MS }))).toBe('live')
    expect(connectionState(facts({ lastMessageAt: T0 + 100, now: T0 + 101 + STALE_MS }))).toBe('stale')
  })

  it('is connecting on the first connect and during a reconnect attempt, whatever data came before', () => {
    expect(connectionState(facts({ transport: 'connecting', connectedAt: null, lastMessageAt: null }))).toBe('connecting')
    expect(connectionState(facts({ transport: 'connecting', connectedAt: null, lastMessageAt: T0 + 900 }))).toBe('connecting')
  })

  it('is offline when the socket is down or the browser has no network, even with fresh data', () => {
    expect(connectionState(facts({ transport: 'disconnected', connectedAt: null }))).toBe('offline')
    expect(connectionState(facts({ browserOnline: false }))).toBe('offline')
    expect(connectionState(facts({ transport: 'connecting', browserOnline: false }))).toBe('offline')
  })

  it('does not count data from an earlier connection: a fresh socket is connecting until it hears something', () => {
    const reconnected = facts({ connectedAt: T0 + 5000, lastMessageAt: T0 + 4000, now: T0 + 6000 })
    expect(connectionState(reconnected)).toBe('connecting')
    expect(connectionState({ ...reconnected, lastMessageAt: T0 + 5500 })).toBe('live')
    // A socket that never delivers goes stale, counted from the connect.
    expect(connectionState({ ...reconnected, now: T0 + 5001 + STALE_MS })).toBe('stale')
  })
})

describe(silenceMs.name, () => {
  it('counts from the later of the connect and the last message, and is null while not connected', () => {
    expect(silenceMs(facts({ connectedAt: T0, lastMessageAt: T0 + 300, now: T0 + 1000 }))).toBe(700)
    expect(silenceMs(facts({ connectedAt: T0 + 500, lastMessageAt: T0 + 300, now: T0 + 1000 }))).toBe(500)
    expect(silenceMs(facts({ connectedAt: T0, lastMessageAt: null, now: T0 + 1000 }))).toBe(1000)
    expect(silenceMs(facts({ transport: 'disconnected', connectedAt: null }))).toBeNull()
  })
})

describe(presumedDead.name, () => {
  it('condemns a connected socket only after twice the stale threshold of silence', () => {
    const heard = T0 + 100
    expect(presumedDead(facts({ lastMessageAt: heard, now: heard + STALE_MS + 1 }))).toBe(false)
    expect(presumedDead(facts({ lastMessageAt: heard, now: heard + 2 * STALE_MS }))).toBe(false)
    expect(presumedDead(facts({ lastMessageAt: heard, now: heard + 2 * STALE_MS + 1 }))).toBe(true)
  })

  it('never condemns a socket that is not connected: socket.io is already reconnecting it', () => {
    expect(presumedDead(facts({ transport: 'disconnected', connectedAt: null, lastMessageAt: T0, now: T0 + 10 * STALE_MS }))).toBe(false)
    expect(presumedDead(facts({ transport: 'connecting', connectedAt: null, lastMessageAt: T0, now: T0 + 10 * STALE_MS }))).toBe(false)
  })
})

describe(staleAfterMsFor.name, () => {
  it('allows three missed rounds of the feed, never less than the floor', () => {
    expect(staleAfterMsFor(60_000)).toBe(180_000)
    expect(staleAfterMsFor(5000)).toBe(MIN_STALE_AFTER_MS)
    expect(staleAfterMsFor(100)).toBe(MIN_STALE_AFTER_MS)
  })
})
