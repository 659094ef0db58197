import type { SceneSlot, WallLayout, WallLayoutPut, WallLayoutSettings } from '@shared/schemas/wall'
import { DEFAULT_WALL_LAYOUT, SCENE_IDS, WallLayoutId, WallLayoutPut as WallLayoutPutSchema } from '@shared/schemas/wall'

/**
 * A wall layout preset as the editor holds it: every scene listed (the ones
 * the preset leaves out appended, switched off), so an administrator can
 * switch one on and move it; the version it started from, for the save's
 * `expectedVersion`.
 */
export interface WallLayoutDraft {
  id: string
  /** 0: a new preset. */
  baseVersion: number
  settings: WallLayoutSettings
}

const DEFAULT_DURATION_S = 30

export function withEveryScene(scenes: readonly SceneSlot[]): SceneSlot[] {
  const listed = scenes.map(s => ({ ...s }))
  for (const scene of SCENE_IDS) {
    if (!listed.some(s => s.scene === scene))
      listed.push({ scene, durationS: DEFAULT_DURATION_S, enabled: false })
  }
  return listed
}

const copy = (settings: WallLayoutSettings): WallLayoutSettings => ({
  ...settings,
  scenes: withEveryScene(settings.scenes),
  takeover: { ...settings.takeover },
  nightHours: { ...settings.nightHours },
})

export function draftOf(layout: WallLayout): WallLayoutDraft {
  const { id, version, updatedAt: _at, updatedBy: _by, ...settings } = layout
  return { id, baseVersion: version, settings: copy(settings) }
}

export function newDraft(): WallLayoutDraft {
  return { id: '', baseVersion: 0, settings: copy({ ...DEFAULT_WALL_LAYOUT, name: '' }) }
}

/** A draft whose settings are an old version's, saved over the current one. */
export function restoredDraft(current: WallLayoutDraft, old: WallLayoutSettings): WallLayoutDraft {
  return { ...current, settings: copy(old) }
}

/** Moves a scene up (-1) or down (+1) in the rotation; the same list at either end. */
export function moveScene(scenes: readonly SceneSlot[], index: number, delta: -1 | 1): SceneSlot[] {
  const to = index + delta
  if (index < 0 || index >= scenes.length || to < 0 || to >= scenes.length)
    return [...scenes]
  const moved = [...scenes]
  const [slot] = moved.splice(index, 1)
  moved.splice(to, 0, slot as SceneSlot)
  return moved
}

export type DraftCheck =
  | { ok: true, id: string, body: WallLayoutPut }
  | { ok: false, problems: string[] }

/** The PUT the draft makes, checked with the server's own schema first: the reasons show before anything is sent. */
export function checkDraft(draft: WallLayoutDraft, expectedVersion: number = draft.baseVersion): DraftCheck {
  const problems: string[] = []
  const id = WallLayoutId.safeParse(draft.id.trim())
  if (!id.success)
    problems.push(`id: ${id.error.issues.map(i => i.message).join('; ')}`)
  const body = WallLayoutPutSchema.safeParse({ ...draft.settings, name: draft.settings.name.trim(), expectedVersion })
  if (!body.success)
    problems.push(...body.error.issues.map(i => `${i.path.join('.') || '(root)'}: ${i.message}`))
  return id.success && body.success ? { ok: true, id: id.data, body: body.data } : { ok: false, problems }
}

export type SettingsField = keyof WallLayoutSettings

const FIELDS: readonly SettingsField[] = ['name', 'scenes', 'rotate', 'takeover', 'nightMode', 'nightHours', 'locale', 'alarmSound']

/** Which settings differ between two versions (a conflict tells what the other saver changed). */
export function changedFields(a: WallLayoutSettings, b: WallLayoutSettings): SettingsField[] {
  return FIELDS.filter(field => JSON.stringify(a[field]) !== JSON.stringify(b[field]))
}

/** `总览 60s · 空气 30s`: the enabled scenes in order, for tables. */
export function rotationSummary(scenes: readonly SceneSlot[], name: (scene: SceneSlot['scene']) => string): string {
  return scenes.filter(s => s.enabled).map(s => `${name(s.scene)} ${s.durationS}s`).join(' · ')
}
