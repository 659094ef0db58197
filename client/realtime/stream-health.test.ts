import { describe, expect, it } from 'vitest'
import type { StreamFacts } from './stream-health'
import { streamHealth } from './stream-health'

const base: StreamFacts = { connection: 'live', hasData: true, lastDataAt: 1_000, staleAfterMs: 15_000, now: 10_000 }

describe('streamHealth', () => {
  it('is loading before the first snapshot, and stale with no time when the link is down before it', () => {
    expect(streamHealth({ ...base, hasData: undefined, lastDataAt: null })).toEqual({ state: 'loading', since: null })
    expect(streamHealth({ ...base, hasData: undefined, lastDataAt: null, connection: 'offline' })).toEqual({ state: 'stale', since: null })
  })

  it('is live while data keeps coming, and no-data when the live stream holds nothing', () => {
    expect(streamHealth(base)).toEqual({ state: 'live', since: null })
    expect(streamHealth({ ...base, hasData: false })).toEqual({ state: 'no-data', since: null })
  })

  it('goes stale from the last data once the stream is silent past its threshold', () => {
    expect(streamHealth({ ...base, now: 16_000 })).toEqual({ state: 'live', since: null })
    expect(streamHealth({ ...base, now: 16_001 })).toEqual({ state: 'stale', since: 1_000 })
  })

  it('never goes stale by silence when the stream has no rhythm', () => {
    expect(streamHealth({ ...base, staleAfterMs: null, now: 10_000_000 })).toEqual({ state: 'live', since: null })
  })

  it('is stale from the last data whenever the link is not live', () => {
    for (const connection of ['connecting', 'stale', 'offline'] as const)
      expect(streamHealth({ ...base, connection })).toEqual({ state: 'stale', since: 1_000 })
  })
})
