// The store under test uses Vite's `import.meta.hot`; this file is also checked by tsconfig.server.json.
/// <reference types="vite/client" />
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { MIRROR_MAX_INCIDENTS } from '@shared/realtime/mirror'
import { incident, incidentsSummary } from '@shared/realtime/mirror.support'
import { useIncidentsStore } from './incidents'

const ids = (store: ReturnType<typeof useIncidentsStore>): string[] => store.newest.map(i => i.id)

describe('useIncidentsStore', () => {
  let store: ReturnType<typeof useIncidentsStore>

  beforeEach(() => {
    setActivePinia(createPinia())
    store = useIncidentsStore()
  })

  it('starts empty, then holds a snapshot newest report first with its summary', () => {
    expect(store.newest).toEqual([])
    expect(store.summary).toBeNull()
    store.applySnapshot({ incidents: [incident('sim:1', 10, 10), incident('sim:3', 30, 30), incident('sim:2', 20, 20)], summary: incidentsSummary(3) })
    expect(ids(store)).toEqual(['sim:3', 'sim:2', 'sim:1'])
    expect(store.summary).toEqual(incidentsSummary(3))
  })

  it('folds events after the snapshot in: a new incident takes its place by report time, the summary follows', () => {
    store.applySnapshot({ incidents: [incident('sim:1', 10, 10), incident('sim:3', 30, 30)], summary: incidentsSummary(2) })
    store.applyEvent({ incidents: [incident('sim:4', 40, 40)], summary: incidentsSummary(3) })
    store.applyEvent({ incidents: [incident('sim:2', 20, 41)], summary: incidentsSummary(4) })
    expect(ids(store)).toEqual(['sim:4', 'sim:3', 'sim:2', 'sim:1'])
    expect(store.summary?.open).toBe(4)
  })

  it('replaces a known incident with its update, and never with an older version', () => {
    store.applySnapshot({ incidents: [incident('sim:1', 10, 10), incident('sim:2', 20, 20)], summary: incidentsSummary(2) })
    store.applyEvent({ incidents: [incident('sim:1', 10, 50, 'closed')], summary: incidentsSummary(1) })
    expect(ids(store)).toEqual(['sim:2', 'sim:1'])
    expect(store.newest[1]).toMatchObject({ id: 'sim:1', status: 'closed', version: incident('sim:1', 10, 50).version })

    store.applyEvent({ incidents: [incident('sim:1', 10, 40, 'open')], summary: incidentsSummary(1) })
    expect(store.newest[1]).toMatchObject({ status: 'closed', version: incident('sim:1', 10, 50).version })
  })

  it('starts over from a new snapshot, forgetting what the old one held', () => {
    store.applySnapshot({ incidents: [incident('sim:1', 10, 10)], summary: incidentsSummary(1) })
    store.applyEvent({ incidents: [incident('sim:2', 20, 20)], summary: incidentsSummary(2) })
    store.applySnapshot({ incidents: [incident('sim:5', 5, 5)], summary: incidentsSummary(1) })
    expect(ids(store)).toEqual(['sim:5'])
  })

  it('takes an event that comes before any snapshot', () => {
    store.applyEvent({ incidents: [incident('sim:1', 10, 10)], summary: incidentsSummary(1) })
    expect(ids(store)).toEqual(['sim:1'])
    expect(store.summary?.open).toBe(1)
  })

  it('replaces the list as a whole on each change, so a panel re-renders once per event', () => {
    store.applySnapshot({ incidents: [incident('sim:1', 10, 10)], summary: incidentsSummary(1) })
    const before = store.newest
    store.applyEvent({ incidents: [incident('sim:2', 20, 20)], summary: incidentsSummary(2) })
    expect(store.newest).not.toBe(before)
    expect(before.map(i => i.id)).toEqual(['sim:1'])
  })

  it('keeps the newest reports when more arrive than the server\'s snapshot holds', () => {
    store.applySnapshot({ incidents: [], summary: incidentsSummary(0) })
    const many = Array.from({ length: MIRROR_MAX_INCIDENTS + 5 }, (_, n) => incident(`sim:${String(n).padStart(4, '0')}`, n, n))
    store.applyEvent({ incidents: many, summary: incidentsSummary(many.length) })
    expect(store.newest).toHaveLength(MIRROR_MAX_INCIDENTS)
    expect(store.newest[0]?.id).toBe(`sim:${String(MIRROR_MAX_INCIDENTS + 4).padStart(4, '0')}`)
    expect(store.newest.at(-1)?.id).toBe('sim:0005')
  })
})
