import { describe, expect, it } from 'vitest'
import type { WorkOrder } from '@shared/schemas/work-orders'
import { consoleKey, dueMark, EMPTY_QUEUE_FILTER, inboxOrder, matchesFilter, moveCursor, newerOrder, queueQuery, toggled } from './work-order-list'

const order = (over: Partial<WorkOrder> = {}): WorkOrder => ({
  id: 'hooks:1', state: 'accepted', version: 1, nature: 'complaint', topic: 'environment', townCode: '441900123', priority: 'normal',
  departmentId: 'dg-env', assistingDepartmentIds: [], acceptedAt: '2026-12-01T02:00:00.000Z', dispatchedAt: null, signedAt: null, repliedAt: null,
  closedAt: null, signDueAt: null, handleDueAt: '2026-12-11T16:00:00.000Z', extensionRequest: null, extensionsGranted: 0, returnRequest: null,
  reply: null, revisit: null, supervision: 0, returns: 0, reopens: 0, mergedInto: null, mergedIds: [], updatedAt: '2026-12-01T02:00:00.000Z', ...over,
})
const item = (over: Partial<WorkOrder> = {}) => ({ id: over.id ?? 'hooks:1', handling: order(over) })
const key = (k: string, mods: Partial<{ ctrlKey: boolean, metaKey: boolean, altKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods })

describe('queueQuery', () => {
  it('names only the filter\'s set fields, the text trimmed, and the limit', () => {
    expect(queueQuery(EMPTY_QUEUE_FILTER, 300)).toBe('limit=300')
    const q = new URLSearchParams(queueQuery({ ...EMPTY_QUEUE_FILTER, state: 'dispatched', townCode: '441900123', due: 'overdue', supervised: true, q: '  路灯 ' }, 50))
    expect(Object.fromEntries(q)).toEqual({ state: 'dispatched', townCode: '441900123', due: 'overdue', supervised: 'true', q: '路灯', limit: '50' })
  })
})

describe('newerOrder', () => {
  it('keeps the copy with the higher version, whichever side it is on', () => {
    const v1 = item({ version: 1 })
    const v3 = item({ version: 3, state: 'in_progress' })
    expect(newerOrder(v1, v3)).toBe(v3)
    expect(newerOrder(v3, v1)).toBe(v3)
    expect(newerOrder(undefined, v1)).toBe(v1)
    expect(newerOrder(v1, undefined)).toBe(v1)
  })
})

describe('matchesFilter', () => {
  it('drops an order that left the filter\'s state, and counts assisting departments', () => {
    const incident = { ...item({ state: 'dispatched', assistingDepartmentIds: ['dg-city'] }) } as never
    expect(matchesFilter(incident, { ...EMPTY_QUEUE_FILTER, state: 'accepted' })).toBe(false)
    expect(matchesFilter(incident, { ...EMPTY_QUEUE_FILTER, state: 'dispatched', departmentId: 'dg-city' })).toBe(true)
    expect(matchesFilter(incident, { ...EMPTY_QUEUE_FILTER, supervised: true })).toBe(false)
  })
})

describe('inboxOrder', () => {
  it('puts 待签收 first, then 办理中, 待回访, 退单待审; the nearest deadline first within each', () => {
    const rows = [
      item({ id: 'a', state: 'pending_revisit' }),
      item({ id: 'b', state: 'in_progress', handleDueAt: '2026-12-20T16:00:00.000Z' }),
      item({ id: 'c', state: 'returned' }),
      item({ id: 'd', state: 'dispatched', dispatchedAt: '2026-12-01T03:00:00.000Z', signDueAt: '2026-12-02T16:00:00.000Z' }),
      item({ id: 'e', state: 'in_progress', handleDueAt: '2026-12-05T16:00:00.000Z' }),
    ]
    expect(inboxOrder(rows).map(r => r.id)).toEqual(['d', 'e', 'b', 'a', 'c'])
  })
})

describe('dueMark', () => {
  const dispatched = order({ state: 'dispatched', dispatchedAt: '2026-12-01T00:00:00.000Z', signDueAt: '2026-12-02T00:00:00.000Z' })
  it('shows the sign deadline while unsigned: ok, soon past 80 %, overdue after it', () => {
    expect(dueMark(dispatched, Date.parse('2026-12-01T12:00:00.000Z'))).toEqual({ status: 'ok', kind: 'sign', dueAt: '2026-12-02T00:00:00.000Z' })
    expect(dueMark(dispatched, Date.parse('2026-12-01T20:00:00.000Z')).status).toBe('soon')
    expect(dueMark(dispatched, Date.parse('2026-12-02T00:00:01.000Z')).status).toBe('overdue')
  })
  it('shows no running deadline once replied to', () => {
    expect(dueMark(order({ state: 'pending_revisit' }), Date.parse('2026-12-30T00:00:00.000Z'))).toEqual({ status: 'ok', kind: null, dueAt: null })
  })
})

describe('moveCursor and toggled', () => {
  it('moves within the list, clamped, starting at the first row', () => {
    expect(moveCursor([], null, 1)).toBeNull()
    expect(moveCursor(['a', 'b', 'c'], null, 1)).toBe('a')
    expect(moveCursor(['a', 'b', 'c'], 'a', 1)).toBe('b')
    expect(moveCursor(['a', 'b', 'c'], 'c', 1)).toBe('c')
    expect(moveCursor(['a', 'b', 'c'], 'a', -1)).toBe('a')
    expect(moveCursor(['a', 'b'], 'gone', -1)).toBe('a')
  })
  it('adds an id to the selection or takes it out', () => {
    const once = toggled(new Set(['a']), 'b')
    expect([...once]).toEqual(['a', 'b'])
    expect([...toggled(once, 'a')]).toEqual(['b'])
  })
})

describe('consoleKey', () => {
  it('maps the console\'s keys, leaves keys typed into a field to the field (Esc excepted) and ignores modified keys', () => {
    expect(['j', 'ArrowDown', 'k', 'ArrowUp', 'Enter', 'x', 'd', 'r', 's', '/', '?'].map(k => consoleKey(key(k), false)))
      .toEqual(['down', 'down', 'up', 'up', 'open', 'select', 'dispatch', 'revisit', 'supervise', 'search', 'help'])
    expect(consoleKey(key('d'), true)).toBeNull()
    expect(consoleKey(key('Escape'), true)).toBe('escape')
    expect(consoleKey(key('r', { ctrlKey: true }), false)).toBeNull()
    expect(consoleKey(key('q'), false)).toBeNull()
  })
})
