import { describe, expect, it } from 'vitest'
import type { IncidentFact } from './facts'
import { distanceM, evaluateCluster } from './cluster'
import { context, facts, MINUTE_MS, rule, T0 } from './test-support'

const r = rule({ id: 'mass', name: '群体性诉求', kind: 'cluster', domain: 'hotline', severity: 'critical', minCount: 5, radiusM: 500, windowMin: 30 })
/** About 111 m of latitude per 0.001°. */
const incident = (id: string, dLat: number, minutesAgo: number, over: Partial<IncidentFact> = {}): IncidentFact =>
  ({ id, topic: 'labour', townCode: '441900003', lng: 113.75, lat: 23.02 + dLat, reportedAt: T0 - minutesAgo * MINUTE_MS, text: '欠薪', ...over })

describe(evaluateCluster.name, () => {
  it('measures distances in metres', () => {
    expect(distanceM({ lng: 113.75, lat: 23 }, { lng: 113.75, lat: 23.001 })).toBeCloseTo(111.2, 0)
  })

  it('fires on five same-topic incidents within 500 m and 30 minutes, titled with the town', () => {
    const five = [0, 1, 2, 3, 4].map(i => incident(`i${i}`, i * 0.0008, i * 5))
    const out = evaluateCluster(r, context(T0, facts({ incidents: five })))
    expect(out.map(c => [c.entityId, c.value, c.townCode])).toEqual([['labour@441900003', 5, '441900003']])
    expect(out[0]!.title).toBe('莞城街道 30 分钟内 5 件劳动社保类诉求（500 米范围内）')
  })

  it('ignores incidents too far apart, too old, of another topic or without a position', () => {
    const base = [0, 1, 2, 3].map(i => incident(`i${i}`, i * 0.0005, 1))
    const cases = [
      incident('far', 0.01, 1),
      incident('old', 0, 31),
      incident('other', 0, 1, { topic: 'housing' }),
      incident('nowhere', 0, 1, { lng: undefined, lat: undefined }),
    ]
    for (const extra of cases)
      expect(evaluateCluster(r, context(T0, facts({ incidents: [...base, extra] })))).toEqual([])
    expect(evaluateCluster(r, context(T0, facts({ incidents: [...base, incident('near', 0.001, 1)] })))).toHaveLength(1)
  })

  it('filters by keyword', () => {
    const smell = rule({ id: 'smell', name: '异味投诉', kind: 'cluster', domain: 'hotline', severity: 'info', topics: ['environment'], keywords: ['异味', '臭'], minCount: 3, radiusM: 3000, windowMin: 60 })
    const items = [0, 1, 2].map(i => incident(`e${i}`, i * 0.001, 10, { topic: 'environment', text: i === 2 ? '噪声扰民' : '工厂排放异味' }))
    expect(evaluateCluster(smell, context(T0, facts({ incidents: items })))).toEqual([])
    items[2] = { ...items[2]!, text: '河涌发臭' }
    expect(evaluateCluster(smell, context(T0, facts({ incidents: items })))[0]!.title).toBe('莞城街道 60 分钟内 3 件异味投诉（3000 米范围内）')
  })
})
