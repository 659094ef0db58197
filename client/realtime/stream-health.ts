import type { ConnectionState } from './connection-state'

/**
 * What a panel shows about its data: loading (nothing yet), live, stale (the
 * data stopped: the link is down or the stream went silent; shown dimmed with
 * the time it stopped) or no-data (the stream is live and has nothing to show).
 */
export type PanelState = 'loading' | 'live' | 'stale' | 'no-data'

export interface StreamHealth {
  state: PanelState
  /** When the data stopped (client clock, ms), for a stale panel; null otherwise or when never received. */
  since: number | null
}

export interface StreamFacts {
  connection: ConnectionState
  /** Whether the stream's state holds anything to show; undefined before its first snapshot. */
  hasData: boolean | undefined
  /** When the stream last brought data (client clock, ms). */
  lastDataAt: number | null
  /** Silence longer than this makes the stream stale; null for streams with no rhythm (incidents, alerts). */
  staleAfterMs: number | null
  now: number
}

/** A stream's panel state from its facts; the connection's state overrides the stream's own. */
export function streamHealth(facts: StreamFacts): StreamHealth {
  if (facts.hasData === undefined)
    return { state: facts.connection === 'offline' ? 'stale' : 'loading', since: null }
  if (facts.connection !== 'live')
    return { state: 'stale', since: facts.lastDataAt }
  if (facts.staleAfterMs !== null && facts.lastDataAt !== null && facts.now - facts.lastDataAt > facts.staleAfterMs)
    return { state: 'stale', since: facts.lastDataAt }
  return { state: facts.hasData ? 'live' : 'no-data', since: null }
}
