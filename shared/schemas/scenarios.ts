import { z } from 'zod'
import { EntityId, Instant, LngLat, TownCode } from './common'
import { RecordKind } from './feeds'

/**
 * Drill scenarios the simulator can play out across domains (traffic, 12345,
 * halls, air). Each kind's Chinese name and default duration are below.
 */
export const SCENARIO_KINDS = [
  'heavy-rain', // 暴雨: slow roads, accidents, 积水/井盖 calls, fewer hall visitors
  'chemical-smell', // 异味: SO2/NO2/PM plume, 异味/废气 complaints
  'water-main-break', // 供水管爆裂: 停水 calls, slower local roads
  'traffic-accident', // 交通事故: a jam spreading along one corridor, a few calls
  'hall-outage', // 大厅系统故障: a hall stops calling tickets, its queue grows
  'air-episode', // 空气污染过程: PM and NO2 rise over an area
  'feed-outage', // 数据中断: one kind of record stops arriving (what does the wall do when a feed dies?)
] as const
export const ScenarioKind = z.enum(SCENARIO_KINDS)
export type ScenarioKind = z.infer<typeof ScenarioKind>

export const SCENARIO_KIND_INFO: Readonly<Record<ScenarioKind, { zh: string, defaultDurationMin: number }>> = {
  'heavy-rain': { zh: '暴雨', defaultDurationMin: 180 },
  'chemical-smell': { zh: '异味', defaultDurationMin: 120 },
  'water-main-break': { zh: '供水管爆裂', defaultDurationMin: 240 },
  'traffic-accident': { zh: '交通事故', defaultDurationMin: 60 },
  'hall-outage': { zh: '政务大厅系统故障', defaultDurationMin: 90 },
  'air-episode': { zh: '空气污染过程', defaultDurationMin: 360 },
  'feed-outage': { zh: '数据中断', defaultDurationMin: 30 },
}

/** Parts of the city, relative to the centre of its bounding box. */
export const SCENARIO_REGIONS = ['north', 'south', 'east', 'west', 'centre'] as const
export const ScenarioRegion = z.enum(SCENARIO_REGIONS)
export type ScenarioRegion = z.infer<typeof ScenarioRegion>

export const SCENARIO_REGION_ZH: Readonly<Record<ScenarioRegion, string>> = {
  north: '北部', south: '南部', east: '东部', west: '西部', centre: '中部',
}

export const ScenarioArea = z.union([
  z.strictObject({ townCodes: z.array(TownCode).min(1).max(64) }),
  z.strictObject({ region: ScenarioRegion }),
])
export type ScenarioArea = z.infer<typeof ScenarioArea>

/** A drill request: POST /api/scenarios. Duration is in simulated minutes (at most a week). */
export const ScenarioRequest = z.strictObject({
  kind: ScenarioKind,
  area: ScenarioArea.default({ region: 'centre' }),
  /** Simulated minutes; the kind's default when absent. */
  durationMin: z.number().int().min(1).max(7 * 24 * 60).optional(),
  intensity: z.number().min(0).max(1).default(0.7),
  /** The kind of record a feed-outage stops (the whole city's); only for feed-outage. */
  feed: RecordKind.optional(),
}).refine(r => (r.kind === 'feed-outage') === (r.feed !== undefined), {
  path: ['feed'],
  message: 'a feed-outage names the feed it stops (air, traffic, hall, incident), and only a feed-outage does',
})
export type ScenarioRequest = z.infer<typeof ScenarioRequest>
export type ScenarioRequestInput = z.input<typeof ScenarioRequest>

/** A scenario being played out: its area resolved to towns, its times in simulated time. */
export const ActiveScenario = z.object({
  id: EntityId,
  kind: ScenarioKind,
  area: z.object({
    townCodes: z.array(TownCode).min(1),
    /** The region asked for, when the area was given as one. */
    region: ScenarioRegion.optional(),
  }),
  startsAt: Instant,
  endsAt: Instant,
  intensity: z.number().min(0).max(1),
  /** In Chinese, for the wall: 南部暴雨, 沙田异味. */
  label: z.string().min(1),
  /** Where it centres (a burst's source, a plume's origin, an accident). */
  location: LngLat,
  /** The road segments it acts on first (traffic-accident: the corridor, head first). */
  segmentIds: z.array(EntityId).optional(),
  /** The halls it acts on (hall-outage). */
  hallIds: z.array(EntityId).optional(),
  /** The kind of record it stops (feed-outage). */
  feed: RecordKind.optional(),
  /** The named drill it is run as (POST /api/drills): the calls it causes carry this id. */
  drillId: z.string().min(1).max(64).optional(),
})
export type ActiveScenario = z.infer<typeof ActiveScenario>

/**
 * The REST routes: GET /api/scenarios → 200 ScenarioList; POST /api/scenarios
 * with a ScenarioRequest → 201 ActiveScenario (400 malformed, 422 an area the
 * city does not have); DELETE /api/scenarios/:id → 204 (404 when no such
 * scenario is active). With the simulator off every route answers 409.
 * Errors carry a ScenarioApiError body.
 */
export const ScenarioList = z.object({ scenarios: z.array(ActiveScenario) })
export type ScenarioList = z.infer<typeof ScenarioList>

export const ScenarioApiError = z.object({ error: z.string() })
