// The stores under test use Vite's `import.meta.hot`; this file is also checked by tsconfig.server.json.
/// <reference types="vite/client" />
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { computed } from 'vue'
import { StreamMirror } from '@shared/realtime/mirror'
import { incident, incidentsSummary, reading } from '@shared/realtime/mirror.support'
import { useAirStore } from './air'
import { useConnectionStore } from './connection'
import { useIncidentsStore } from './incidents'
import { useLiveStore } from './live'

describe('useLiveStore', () => {
  let live: ReturnType<typeof useLiveStore>
  let mirror: StreamMirror<'incidents'>

  beforeEach(() => {
    setActivePinia(createPinia())
    live = useLiveStore()
    mirror = new StreamMirror('incidents', { incidents: [incident('sim:1', 10, 10)], summary: incidentsSummary(1) })
    live.attach('incidents', () => mirror.view())
  })

  it('shows what a stream folded in only at the next flush, once however many events came', () => {
    let runs = 0
    const ids = computed(() => {
      runs += 1
      return [...live.view('incidents')?.incidents.keys() ?? []]
    })
    expect(ids.value).toEqual(['sim:1'])
    for (let n = 2; n <= 50; n++) {
      mirror.apply({ incidents: [incident(`sim:${n}`, n, n)], summary: incidentsSummary(n) })
      live.applied('incidents')
    }
    expect(ids.value).toEqual(['sim:1'])
    live.flush()
    expect(ids.value).toHaveLength(50)
    expect(runs).toBe(2)
    live.flush()
    expect(ids.value).toHaveLength(50)
    expect(runs).toBe(2)
  })

  it('derives the incident list newest report first, keeping the mirror\'s newest 500', () => {
    const incidents = useIncidentsStore()
    mirror.apply({ incidents: [incident('sim:3', 30, 30), incident('sim:2', 20, 20)], summary: incidentsSummary(3) })
    live.applied('incidents')
    live.flush()
    expect(incidents.newest.map(i => i.id)).toEqual(['sim:3', 'sim:2', 'sim:1'])
    expect(incidents.summary?.open).toBe(3)
  })

  it('reports each stream\'s health: loading, live, no-data and stale after its rhythm', () => {
    const connection = useConnectionStore()
    connection.connected(1_000)
    connection.messageReceived(1_000)
    const air = useAirStore()
    expect(air.health.state).toBe('loading')
    const airMirror = new StreamMirror('air', { readings: [], city: null, trend: [] })
    live.attach('air', () => airMirror.view())
    live.expectRhythm({ air: 5_000 })
    live.applied('air', 1_000)
    live.flush()
    expect(air.health.state).toBe('no-data')
    airMirror.apply({ readings: [reading('s1', 1, 30)], city: null, trend: [] })
    live.applied('air', 2_000)
    live.flush()
    expect(air.health).toEqual({ state: 'live', since: null })
    expect(air.readings.get('s1')?.stationId).toBe('s1')
    // Other streams keep the link alive; the air stream itself went quiet for longer than three rounds.
    connection.messageReceived(17_000)
    expect(air.health).toEqual({ state: 'live', since: null })
    connection.messageReceived(17_001)
    expect(air.health).toEqual({ state: 'stale', since: 2_000 })
  })
})
