import { describe, expect, it } from 'vitest'
import { alertFixture } from '@shared/schemas/alerts.fixture'
import type { ReplayAnswer, ReplayFrame } from '@shared/schemas/replay'
import { ReplayPlayer } from './replay-player'

const MIN = 60_000
const FROM = Date.parse('2026-11-23T02:00:00.000Z')
const iso = (t: number): string => new Date(t).toISOString()
const EMPTY_INCIDENTS = { incidents: [], summary: { open: 0, overdue: 0, intakeToday: 0, byNature: {}, byTopic: {}, byTown: {} } }

/** Ten minutes: a segment slowing each minute, an alert raised at 3:30 and acknowledged at 7:10. */
function answer(): ReplayAnswer {
  const frames: ReplayFrame[] = []
  for (let m = 1; m < 10; m++) {
    frames.push({ at: iso(FROM + m * MIN), stream: 'traffic', data: { segments: [['s1', 60 - 5 * m, m < 5 ? 'free' : 'light']], towns: [], city: null } })
    if (m === 3)
      frames.push({ at: iso(FROM + 3.5 * MIN), stream: 'alerts', data: { alerts: [alertFixture({ id: 'a1', raisedAt: iso(FROM + 3.5 * MIN) })], summary: { firing: 1, acknowledged: 0 } } })
    if (m === 7) {
      const acked = alertFixture({ id: 'a1', raisedAt: iso(FROM + 3.5 * MIN), status: 'acknowledged', updatedAt: iso(FROM + 7 * MIN + 10_000), acknowledgedBy: 'duty', acknowledgedAt: iso(FROM + 7 * MIN + 10_000) })
      frames.push({ at: iso(FROM + 7 * MIN + 10_000), stream: 'alerts', data: { alerts: [acked], summary: { firing: 0, acknowledged: 1 } } })
    }
  }
  return {
    from: iso(FROM),
    to: iso(FROM + 10 * MIN),
    start: {
      air: { readings: [], city: null, trend: [] },
      traffic: { segments: [['s1', 60, 'free'], ['s2', 30, 'light']], towns: [], city: null },
      halls: { halls: [], summary: null },
      incidents: EMPTY_INCIDENTS,
      alerts: { alerts: [], summary: { firing: 0, acknowledged: 0 } },
      kpis: null,
    },
    frames,
  }
}

const segment = (p: ReplayPlayer, id: string): unknown => (p.view('traffic') as { segments: ReadonlyMap<string, unknown> }).segments.get(id)
const alert = (p: ReplayPlayer, id: string): unknown => (p.view('alerts') as { alerts: ReadonlyMap<string, unknown> }).alerts.get(id)

describe(ReplayPlayer.name, () => {
  it('starts at the window start with its state', () => {
    const p = new ReplayPlayer(answer())
    expect(p.position).toBe(FROM)
    expect(segment(p, 's1')).toEqual(['s1', 60, 'free'])
    expect(alert(p, 'a1')).toBeUndefined()
  })

  it('folds the frames up to the time it is moved to, and says which streams moved', () => {
    const p = new ReplayPlayer(answer())
    const move = p.seek(FROM + 4 * MIN)
    expect([...move.moved].sort()).toEqual(['alerts', 'traffic'])
    expect(segment(p, 's1')).toEqual(['s1', 40, 'free'])
    expect(alert(p, 'a1')).toMatchObject({ status: 'firing' })
    p.seek(FROM + 8 * MIN)
    expect(alert(p, 'a1')).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'duty' })
  })

  it('a scrub to t gives the state playing through to t gives, backward and forward', () => {
    const played = new ReplayPlayer(answer())
    const scrubbed = new ReplayPlayer(answer())
    for (let t = FROM; t <= FROM + 10 * MIN; t += 7_000) {
      played.seek(t)
      // The scrubber jumps around before landing on the same instant.
      scrubbed.seek(FROM + 10 * MIN)
      scrubbed.seek(FROM + ((t * 7919) % (10 * MIN)))
      const back = scrubbed.seek(t)
      expect(scrubbed.digest()).toEqual(played.digest())
      expect(scrubbed.position).toBe(played.position)
      if (back.rebuilt)
        expect(back.moved.size).toBeGreaterThan(0)
    }
  })

  it('keeps to the window', () => {
    const p = new ReplayPlayer(answer())
    p.seek(FROM + 99 * MIN)
    expect(p.position).toBe(FROM + 10 * MIN)
    p.seek(FROM - MIN)
    expect(p.position).toBe(FROM)
    expect(segment(p, 's1')).toEqual(['s1', 60, 'free'])
  })
})
