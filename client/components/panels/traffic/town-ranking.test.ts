import { describe, expect, it } from 'vitest'
import { townTraffic } from '@shared/realtime/mirror.support'
import type { Town } from '@shared/schemas/city'
import type { TownTraffic } from '@shared/schemas/traffic'
import { rankTowns } from './town-ranking'

const town = (code: string, name: string, pinyin: string): Town => ({ code, name, pinyin, lng: 113.7, lat: 23, approx: false })
const model = [town('441900001', '莞城街道', 'Guancheng'), town('441900002', '南城街道', 'Nancheng'), town('441900003', '东城街道', 'Dongcheng')]
const traffic = (code: string, tpi: number, reporting = 10): TownTraffic => ({ ...townTraffic(code, 30), tpi, segmentsReporting: reporting, segmentsTotal: 20 })

describe(rankTowns.name, () => {
  const towns = new Map([
    ['441900001', traffic('441900001', 3.1)],
    ['441900002', traffic('441900002', 7.2)],
    ['441900003', traffic('441900003', 5)],
  ])

  it('ranks the most congested town first, at most `limit`, named from the city model', () => {
    const rows = rankTowns(towns, model, 2, false)
    expect(rows.map(r => [r.name, r.tpi])).toEqual([['南城街道', 7.2], ['东城街道', 5]])
    expect(rows[0]).toMatchObject({ coverage: 0.5 })
    expect(rankTowns(towns, model, 5, true).map(r => r.name)).toEqual(['Nancheng', 'Dongcheng', 'Guancheng'])
  })

  it('leaves out towns with no reporting road instead of ranking them as free-flowing', () => {
    const rows = rankTowns(new Map([['441900001', traffic('441900001', 0, 0)]]), model, 5, false)
    expect(rows).toEqual([])
  })

  it('keeps the order steady on ties (by name) and falls back to the code for a town the model lacks', () => {
    const tied = new Map([
      ['441900003', traffic('441900003', 4)],
      ['441900001', traffic('441900001', 4)],
      ['441900099', traffic('441900099', 1)],
    ])
    expect(rankTowns(tied, model, 5, false).map(r => r.name)).toEqual(['东城街道', '莞城街道', '441900099'])
  })
})
