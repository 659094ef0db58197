import { describe, expect, it } from 'vitest'
import { INCIDENT_TOPICS } from '@shared/schemas/incidents'
import { loadCity } from './index'
import { departmentFor, TOWN_GOVERNMENT, townDepartmentId } from './departments'

const dongguan = loadCity('dongguan')
const jiangmen = loadCity('jiangmen')

describe.each([['dongguan', dongguan, '东莞市'], ['jiangmen', jiangmen, '江门市']] as const)('%s departments and routing', (_, city, cityName) => {
  const ids = new Set(city.departments.map(d => d.id))

  it('route every topic to a department of the city, and local matters to the town government', () => {
    for (const topic of INCIDENT_TOPICS) {
      const target = city.routing[topic]
      expect(target, topic).toBeDefined()
      if (topic === 'local')
        expect(target).toBe(TOWN_GOVERNMENT)
      else
        expect(ids.has(target), `${topic} → ${target}`).toBe(true)
    }
  })

  it('resolve the town-government convention to the incident town\'s own department', () => {
    for (const town of city.towns) {
      const id = departmentFor(city.routing, 'local', town.code)
      expect(id).toBe(townDepartmentId(town.code))
      expect(city.departments.find(d => d.id === id)?.townCode).toBe(town.code)
    }
    const prefix = city.id === 'dongguan' ? 'dg' : 'jm'
    expect(departmentFor(city.routing, 'environment', city.towns[0]!.code)).toBe(`${prefix}-eco-env`)
  })

  it('name the bureaus with the city in front and give each town one government', () => {
    const bureaus = city.departments.filter(d => d.townCode === undefined)
    expect(ids.size).toBe(city.departments.length)
    for (const b of bureaus) {
      expect(b.name.startsWith(cityName), b.name).toBe(true)
      expect(b.nameEn.startsWith(city.nameEn), b.nameEn).toBe(true)
      expect(b.id).toMatch(/^[a-z]+(?:-[a-z]+)+$/)
    }
    const names = bureaus.map(b => b.name.slice(cityName.length))
    expect(names).toEqual(expect.arrayContaining(['城市管理和综合执法局', '生态环境局', '交通运输局', '公安局交通警察支队', '住房和城乡建设局',
      '市场监督管理局', '人力资源和社会保障局', '教育局', '卫生健康局', '公安局', '应急管理局', '水务局']))
    const governments = city.departments.filter(d => d.townCode !== undefined)
    expect(governments.map(d => d.townCode).sort()).toEqual(city.towns.map(t => t.code).sort())
  })
})

describe('town government names', () => {
  const name = (city: typeof dongguan, code: string): string | undefined => city.departments.find(d => d.townCode === code)?.name

  it('follow the kind of unit: 街道办事处, 镇人民政府, 区 and 县级市 governments, and the 松山湖 committee', () => {
    expect(name(dongguan, '441900004')).toBe('南城街道办事处')
    expect(name(dongguan, '441900121')).toBe('虎门镇人民政府')
    expect(name(dongguan, '441900401')).toMatch(/松山湖.*管理委员会$/)
    expect(name(jiangmen, '440703')).toBe('江门市蓬江区人民政府')
    expect(name(jiangmen, '440781')).toBe('台山市人民政府')
  })
})
