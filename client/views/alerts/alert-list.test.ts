import { describe, expect, it } from 'vitest'
import { alertFixture } from '@shared/schemas/alerts.fixture'
import type { AlertFilter } from './alert-list'
import { alertRows, cityInstant, cityLocal, EMPTY_FILTER, listQuery, matchesFilter, moveSelection, silenceSpan } from './alert-list'

const filter = (f: Partial<AlertFilter>): AlertFilter => ({ ...EMPTY_FILTER, ...f })

describe('the alert console list', () => {
  it('reads the time filters as the city\'s time (UTC+8), both ways', () => {
    expect(cityInstant('2026-11-23T10:00')).toBe('2026-11-23T02:00:00.000Z')
    expect(cityInstant('')).toBeNull()
    expect(cityInstant('tomorrow')).toBeNull()
    expect(cityLocal(Date.parse('2026-11-23T02:00:00Z'))).toBe('2026-11-23T10:00')
  })

  it('matches status, severity, domain, town and the raised-at range', () => {
    const a = alertFixture({ id: 'a', severity: 'critical', domain: 'traffic', townCode: '441900003', raisedAt: '2026-11-23T02:00:00.000Z' })
    expect(matchesFilter(a, EMPTY_FILTER)).toBe(true)
    expect(matchesFilter({ ...a, status: 'resolved' }, EMPTY_FILTER)).toBe(false)
    expect(matchesFilter({ ...a, status: 'acknowledged' }, filter({ status: 'firing' }))).toBe(false)
    expect(matchesFilter({ ...a, status: 'resolved' }, filter({ status: 'all' }))).toBe(true)
    expect(matchesFilter(a, filter({ severity: 'warning' }))).toBe(false)
    expect(matchesFilter(a, filter({ domain: 'traffic', severity: 'critical', town: '441900003' }))).toBe(true)
    expect(matchesFilter(a, filter({ town: '441900004' }))).toBe(false)
    // 02:00Z is 10:00 in the city: inside [10:00, 10:01), outside [10:01, …).
    expect(matchesFilter(a, filter({ from: '2026-11-23T10:00', to: '2026-11-23T10:01' }))).toBe(true)
    expect(matchesFilter(a, filter({ from: '2026-11-23T10:01' }))).toBe(false)
    expect(matchesFilter(a, filter({ to: '2026-11-23T10:00' }))).toBe(false)
  })

  it('asks the server with the filter\'s query, times as instants', () => {
    const q = new URLSearchParams(listQuery(filter({ status: 'resolved', severity: 'major', from: '2026-11-23T08:00' }), 300))
    expect(Object.fromEntries(q)).toEqual({ status: 'resolved', limit: '300', severity: 'major', from: '2026-11-23T00:00:00.000Z' })
  })

  it('lists the stream\'s alerts for the active statuses and the server\'s, overlaid by newer stream copies, for the others', () => {
    const old = alertFixture({ id: 'old', raisedAt: '2026-11-23T01:00:00.000Z' })
    const fresh = alertFixture({ id: 'new', raisedAt: '2026-11-23T03:00:00.000Z' })
    const gone = alertFixture({ id: 'gone', status: 'resolved', raisedAt: '2026-11-23T02:00:00.000Z' })
    expect(alertRows(EMPTY_FILTER, [old, fresh], [gone]).map(a => a.id)).toEqual(['new', 'old'])
    const acked = { ...old, status: 'acknowledged' as const, acknowledgedBy: 'duty', updatedAt: '2026-11-23T04:00:00.000Z' }
    const rows = alertRows(filter({ status: 'all' }), [acked, fresh], [old, gone])
    expect(rows.map(a => [a.id, a.status])).toEqual([['new', 'firing'], ['gone', 'resolved'], ['old', 'acknowledged']])
    expect(alertRows(filter({ status: 'resolved' }), [acked, fresh], [gone]).map(a => a.id)).toEqual(['gone'])
  })

  it('moves the selection by keys, held at the ends', () => {
    const rows = ['a', 'b', 'c'].map(id => alertFixture({ id }))
    expect(moveSelection(rows, null, 1)).toBe('a')
    expect(moveSelection(rows, 'a', 1)).toBe('b')
    expect(moveSelection(rows, 'c', 1)).toBe('c')
    expect(moveSelection(rows, 'a', -1)).toBe('a')
    expect(moveSelection([], 'a', 1)).toBeNull()
  })

  it('silences for 1 h or 4 h of the server\'s clock, or until a chosen later time of the city', () => {
    const now = Date.parse('2026-11-23T02:00:00Z')
    expect(silenceSpan(now, '1h', '')).toEqual({ durationMin: 60 })
    expect(silenceSpan(null, '4h', '')).toEqual({ durationMin: 240 })
    expect(silenceSpan(now, 'until', '2026-11-23T12:30')).toEqual({ endsAt: '2026-11-23T04:30:00.000Z' })
    expect(silenceSpan(now, 'until', '2026-11-23T09:59')).toBeNull()
    expect(silenceSpan(now, 'until', '')).toBeNull()
    expect(silenceSpan(null, 'until', '2026-11-23T12:30')).toBeNull()
  })
})
