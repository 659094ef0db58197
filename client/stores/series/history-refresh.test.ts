import { describe, expect, it } from 'vitest'
import { HistoryQuery } from '@shared/schemas/history'
import { HISTORY_MIN_GAP_MS, HISTORY_REFRESH_MS, historyQueryString, refreshDue } from './history-refresh'

const T0 = Date.parse('2026-11-23T00:00:00.000Z')
const REAL = 1_000_000

describe(refreshDue.name, () => {
  const last = { serverAt: T0 + 1000, realAt: REAL, epoch: 'd1' }

  it('is due for a series never read, and at once when its epoch changed (a new local day)', () => {
    expect(refreshDue(null, T0, REAL, '')).toBe(true)
    expect(refreshDue(last, T0 + 2000, REAL + 1, 'd2')).toBe(true)
  })

  it('is not due within the same 5-minute slot of the server\'s clock, however much real time passed', () => {
    expect(refreshDue(last, T0 + HISTORY_REFRESH_MS - 1, REAL + 10 * HISTORY_MIN_GAP_MS, 'd1')).toBe(false)
  })

  it('is due in the next slot once the real-time gap has passed, not before (a fast simulation)', () => {
    expect(refreshDue(last, T0 + HISTORY_REFRESH_MS, REAL + HISTORY_MIN_GAP_MS - 1, 'd1')).toBe(false)
    expect(refreshDue(last, T0 + HISTORY_REFRESH_MS, REAL + HISTORY_MIN_GAP_MS, 'd1')).toBe(true)
  })

  it('counts a slot going backwards: the server\'s clock went back', () => {
    expect(refreshDue(last, T0 - HISTORY_REFRESH_MS, REAL + HISTORY_MIN_GAP_MS, 'd1')).toBe(true)
  })
})

describe(historyQueryString.name, () => {
  it('asks what GET /api/history accepts, with the entity only when given', () => {
    const q = historyQueryString({ metric: 'kpi.traffic.tpi', from: T0, to: T0 + 86_400_000, resolution: 'minute', step: 5 })
    const parsed = HistoryQuery.parse(Object.fromEntries(new URLSearchParams(q)))
    expect(parsed).toMatchObject({ metric: 'kpi.traffic.tpi', entity: 'city', resolution: 'minute', step: 5, from: '2026-11-23T00:00:00.000Z' })
    expect(new URLSearchParams(q).has('entity')).toBe(false)
    const town = new URLSearchParams(historyQueryString({ metric: 'traffic.tpi', entity: '441900001', from: T0, to: T0 + 1, resolution: 'hour' }))
    expect(town.get('entity')).toBe('441900001')
    expect(town.get('step')).toBe('1')
  })
})
