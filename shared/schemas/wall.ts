import { z } from 'zod'
import { Label } from './auth'

/**
 * How a wall is operated (issue 6 §4): which scenes it rotates through and
 * for how long each, whether a critical alert takes it over, when it dims
 * for the night, and its language. Kept per wall as layout presets, each a
 * document whose every save is a new version (server/store/wall-layout.repository.ts).
 */

export const SCENE_IDS = ['overview', 'air', 'traffic', 'halls', 'incidents'] as const
export const SceneId = z.enum(SCENE_IDS)
export type SceneId = z.infer<typeof SceneId>

/** A preset's id: a slug, as a display token's `scene` names it (shared/schemas/auth.ts DisplayTokenCreate). */
export const WallLayoutId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and -, at most 40, not starting with -')
export type WallLayoutId = z.infer<typeof WallLayoutId>

/** The preset every wall falls back to; it cannot be deleted. */
export const DEFAULT_WALL_LAYOUT_ID = 'default'

export const SCENE_DURATION_S = { min: 10, max: 3600 } as const
export const TAKEOVER_TIMEOUT_S = { min: 30, max: 3600 } as const

export const SceneSlot = z.strictObject({
  scene: SceneId,
  durationS: z.number().int().min(SCENE_DURATION_S.min).max(SCENE_DURATION_S.max),
  enabled: z.boolean(),
})
export type SceneSlot = z.infer<typeof SceneSlot>

/** A time of day on the city's clock, `HH:MM`. */
export const ClockTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59')

export const NightMode = z.enum(['auto', 'on', 'off'])
export type NightMode = z.infer<typeof NightMode>

export const WallLocale = z.enum(['zh-CN', 'en'])
export type WallLocale = z.infer<typeof WallLocale>

/** What an administrator sets; the id, version and who saved it when are the server's. */
export const WallLayoutSettings = z.strictObject({
  name: Label,
  /** Rotation order; each scene at most once. */
  scenes: z.array(SceneSlot).min(1).max(SCENE_IDS.length)
    .refine(slots => new Set(slots.map(s => s.scene)).size === slots.length, 'each scene at most once')
    .refine(slots => slots.some(s => s.enabled), 'at least one scene enabled'),
  /** false: the wall stays on its first enabled scene (an operator can still step through them). */
  rotate: z.boolean(),
  /** A critical alert raised while the wall is open fills its centre until acknowledged or `timeoutS` passed. */
  takeover: z.strictObject({
    enabled: z.boolean(),
    timeoutS: z.number().int().min(TAKEOVER_TIMEOUT_S.min).max(TAKEOVER_TIMEOUT_S.max),
  }),
  /** auto: dimmed from `nightHours.from` to `nightHours.to` on the city's clock. */
  nightMode: NightMode,
  nightHours: z.strictObject({ from: ClockTime, to: ClockTime })
    .refine(h => h.from !== h.to, 'the night must start and end at different times'),
  locale: WallLocale,
  /** Whether a wall sounds critical alerts by default (client/wall/alarm-wall.ts); each browser may still mute itself. */
  alarmSound: z.boolean(),
})
export type WallLayoutSettings = z.infer<typeof WallLayoutSettings>

export const WallLayout = z.object({
  ...WallLayoutSettings.shape,
  id: WallLayoutId,
  /** 1 for the first save, one more for each after; set by the server. */
  version: z.number().int().positive(),
  updatedAt: z.string(),
  updatedBy: z.string(),
})
export type WallLayout = z.infer<typeof WallLayout>

/** One saved version; a deleted preset's last version is kept with `deleted` set. */
export const WallLayoutVersion = z.object({ ...WallLayout.shape, deleted: z.boolean() })
export type WallLayoutVersion = z.infer<typeof WallLayoutVersion>

/**
 * PUT /api/wall/layouts/:id. `expectedVersion` is the version the editor
 * started from (0: a new preset): a save over a newer one is refused (409)
 * with the current document, never silently overwritten.
 */
export const WallLayoutPut = z.strictObject({
  ...WallLayoutSettings.shape,
  expectedVersion: z.number().int().nonnegative(),
})
export type WallLayoutPut = z.infer<typeof WallLayoutPut>

export const WallLayoutList = z.object({ layouts: z.array(WallLayout) })
export const WallLayoutVersions = z.object({ versions: z.array(WallLayoutVersion) })
/** The 409 answer: what is stored now (null: nothing, e.g. deleted meanwhile). */
export const WallLayoutConflictBody = z.object({ error: z.string(), current: WallLayout.nullable() })

/** GET /api/wall/current?preset=: a signed-in user may ask for a preset; a display gets its token's. */
export const WallCurrentQuery = z.object({ preset: WallLayoutId.optional() })

/** The preset made at first start: every scene, the overview longest. */
export const DEFAULT_WALL_LAYOUT: WallLayoutSettings = {
  name: '默认大屏',
  scenes: [
    { scene: 'overview', durationS: 60, enabled: true },
    { scene: 'air', durationS: 30, enabled: true },
    { scene: 'traffic', durationS: 30, enabled: true },
    { scene: 'halls', durationS: 30, enabled: true },
    { scene: 'incidents', durationS: 30, enabled: true },
  ],
  rotate: true,
  takeover: { enabled: true, timeoutS: 300 },
  nightMode: 'auto',
  nightHours: { from: '19:00', to: '07:00' },
  locale: 'zh-CN',
  alarmSound: true,
}

/**
 * How the settings are stored (a JSON column): `v` names the format, so a
 * stored version written by an older server still reads after the format
 * changes — each new format adds its `up()` from the one before here.
 */
export const WALL_LAYOUT_FORMAT = 1
const StoredV1 = z.object({ v: z.literal(1), ...WallLayoutSettings.omit({ name: true }).shape })

export function storedWallLayout(settings: WallLayoutSettings): string {
  const { name: _name, ...rest } = settings
  return JSON.stringify({ v: WALL_LAYOUT_FORMAT, ...rest })
}

/** Reads a stored document of any format this server knows, as the current settings. */
export function readStoredWallLayout(name: string, json: string): WallLayoutSettings {
  const { v: _v, ...rest } = StoredV1.parse(JSON.parse(json))
  return { name, ...rest }
}
