import { z } from 'zod'
import type { Town } from '@shared/schemas/city'
import dongguanTowns from './data/dongguan-towns.json' with { type: 'json' }

/** The town table as shipped in ../shared/data (WGS-84 centres, some estimated). */
const TownRecord = z.object({
  code: z.string(),
  name: z.string(),
  pinyin: z.string(),
  lat: z.number(),
  lng: z.number(),
  crs: z.literal('WGS84'),
  verified: z.boolean(),
})

export function dongguanTownList(): Town[] {
  return z.array(TownRecord).parse(dongguanTowns).map(t => ({
    code: t.code,
    name: t.name,
    pinyin: t.pinyin,
    lng: t.lng,
    lat: t.lat,
    approx: !t.verified,
  }))
}

/** 莞城街道 → 莞城, 石龙镇 → 石龙, 蓬江区 → 蓬江, 台山市 → 台山: the short name operators use on the wall. */
export function shortTownName(name: string): string {
  return name.replace(/(?:街道|镇|区|县|市)$/, '')
}
