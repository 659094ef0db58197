/**
 * What the wall tells the operator about its link to the server, derived from
 * plain facts so it can be tested without a socket or a clock:
 * - `connecting`: the first connect, a reconnect attempt in progress, or a
 *   socket that is up but has not delivered data yet;
 * - `live`: connected, and data arrived within the expected rhythm;
 * - `stale`: connected, but silent for longer than that rhythm allows;
 * - `offline`: the socket is down between attempts, or the browser says it has no network.
 */
export type ConnectionState = 'connecting' | 'live' | 'stale' | 'offline'

/** The socket's own view: socket.io's events map onto these three. */
export type Transport = 'connecting' | 'connected' | 'disconnected'

export interface LinkFacts {
  transport: Transport
  /** `navigator.onLine`; true where the platform cannot tell. */
  browserOnline: boolean
  /** When the current connection came up; null while not connected. */
  connectedAt: number | null
  /** When the last data (a live event or a subscribe answer) arrived. */
  lastMessageAt: number | null
  staleAfterMs: number
  now: number
}

/** The server publishes feed health at least every 5 s, so silence beyond this is never normal. */
export const MIN_STALE_AFTER_MS = 15_000
/** Missed rounds of the feed before the picture counts as stale. */
const STALE_AFTER_ROUNDS = 3
/** A connected socket silent for this many stale thresholds is presumed dead (half-open TCP). */
export const DEAD_AFTER_STALE_PERIODS = 2

/** The expected rhythm of the feeds: stale after three missed rounds, at least 15 s. */
export function staleAfterMsFor(feedIntervalMs: number): number {
  return Math.max(MIN_STALE_AFTER_MS, feedIntervalMs * STALE_AFTER_ROUNDS)
}

/**
 * How long the current connection has gone without data: counted from the
 * later of the last message and the connect, since data from an earlier
 * connection says nothing about this one. Null while not connected.
 */
export function silenceMs(facts: LinkFacts): number | null {
  if (facts.transport !== 'connected' || facts.connectedAt === null)
    return null
  return facts.now - Math.max(facts.connectedAt, facts.lastMessageAt ?? facts.connectedAt)
}

export function connectionState(facts: LinkFacts): ConnectionState {
  if (!facts.browserOnline || facts.transport === 'disconnected')
    return 'offline'
  if (facts.transport === 'connecting')
    return 'connecting'
  const silence = silenceMs(facts) ?? 0
  if (silence > facts.staleAfterMs)
    return 'stale'
  const heardOnThisConnection = facts.lastMessageAt !== null && facts.connectedAt !== null && facts.lastMessageAt >= facts.connectedAt
  return heardOnThisConnection ? 'live' : 'connecting'
}

/** The heartbeat's rule: a socket that claims to be up but has been silent this long gets replaced. */
export function presumedDead(facts: LinkFacts): boolean {
  const silence = silenceMs(facts)
  return silence !== null && silence > facts.staleAfterMs * DEAD_AFTER_STALE_PERIODS
}
