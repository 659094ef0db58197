import { describe, expect, it } from 'vitest'
import { FeedHealth } from '@shared/schemas/feeds'
import { FeedHealthMonitor } from './feed-health'

const T0 = Date.parse('2026-11-23T02:00:00Z')
const counts = (received: number, rejected: number) => ({ received, accepted: received - rejected, rejected, duplicates: 0, late: 0, coalesced: 0 })

function monitor(): { m: FeedHealthMonitor, clock: { t: number } } {
  const clock = { t: T0 }
  const m = new FeedHealthMonitor(() => clock.t)
  m.register({ id: 'mqtt', adapter: 'mqtt', staleAfterMs: 60_000 })
  m.register({ id: 'hook', adapter: 'webhook', staleAfterMs: 60_000 })
  return { m, clock }
}

describe(FeedHealthMonitor.name, () => {
  it('tells up, degraded, stale and down apart, with why', () => {
    const { m, clock } = monitor()
    expect(m.get('mqtt')).toMatchObject({ status: 'degraded', detail: 'connecting' })
    expect(m.get('hook')).toMatchObject({ status: 'up', lastRecordAt: null })

    m.setConnection('mqtt', 'connected')
    m.counted('mqtt', counts(100, 0), 1500)
    expect(m.get('mqtt')).toMatchObject({ status: 'up', detail: null, lastRecordAt: new Date(T0).toISOString(), lagS: 1.5 })

    clock.t += 10_000
    m.counted('mqtt', counts(100, 20), 800)
    expect(m.get('mqtt')).toMatchObject({ status: 'degraded', detail: '20 of 200 records rejected in the last minute' })

    // A minute on, the bad records are out of the window, and nothing has arrived: stale.
    clock.t += 61_000
    expect(m.get('mqtt')).toMatchObject({ status: 'stale', detail: 'no record for 61 s', recordsPerSec: 0 })

    m.setConnection('mqtt', 'retrying', 'ECONNREFUSED')
    expect(m.get('mqtt')).toMatchObject({ status: 'down', detail: 'no record for 61 s (retrying: ECONNREFUSED)' })
    m.setConnection('mqtt', 'failed', 'bad credentials')
    expect(m.get('mqtt')).toMatchObject({ status: 'down', detail: 'bad credentials' })
    // A push feed that never received anything goes stale after its threshold.
    expect(m.get('hook')).toMatchObject({ status: 'stale', detail: 'no record yet' })
  })

  it('counts rates over the last minute and keeps totals', () => {
    const { m, clock } = monitor()
    m.setConnection('mqtt', 'connected')
    for (let s = 0; s < 120; s++) {
      m.counted('mqtt', counts(10, 1), null)
      clock.t += 1000
    }
    const health = FeedHealth.parse(m.get('mqtt'))
    expect(health.recordsPerSec).toBeCloseTo(10, 0)
    expect(health.rejectsPerSec).toBeCloseTo(1, 0)
    expect(health.totals).toMatchObject({ received: 1200, accepted: 1080, rejected: 120 })
    expect(health.status).toBe('degraded')
  })

  it('ignores counts for a feed it does not know', () => {
    const { m } = monitor()
    m.counted('nobody', counts(1, 0), null)
    expect(m.snapshot().map(f => f.id)).toEqual(['mqtt', 'hook'])
  })
})
