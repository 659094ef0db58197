import type { SceneId, WallLayoutSettings } from '@shared/schemas/wall'
import { SceneId as SceneIds } from '@shared/schemas/wall'

/**
 * Which scene a wall shows, as a pure function of its preset, the time and
 * what happened (pause, next, a takeover): no timers here, every call says
 * when it is (`now`, ms), so tests drive the clock and the composable
 * (./useWallOperation.ts) ticks it once a second.
 */

export interface SceneSlot { scene: SceneId, durationMs: number }

/** What the wall rotates through: the preset's enabled scenes in order. */
export interface RotationPlan {
  slots: readonly SceneSlot[]
  rotate: boolean
  /** The scene to open on (the address's `?scene=`), if it is one of the slots. */
  startAt: SceneId | null
}

/** What the wall's address may say: `?scene=traffic` opens on a scene, `&rotate=0` keeps it there. */
export interface WallOverrides { scene: SceneId | null, rotate: boolean | null }

/** Why the rotation stands still: an operator paused it, or a critical alert took the wall over. */
export type Hold = 'user' | 'takeover'

export interface RotationState {
  readonly plan: RotationPlan
  readonly index: number
  /** Time left of the current scene at `since`. */
  readonly leftMs: number
  readonly since: number
  readonly holds: readonly Hold[]
}

/** A fixed scene not in the preset's rotation shows for as long as the overview would. */
const FIXED_SCENE_MS = 60_000

export function overridesFrom(query: URLSearchParams): WallOverrides {
  const scene = SceneIds.safeParse(query.get('scene'))
  const rotate = query.get('rotate')
  return {
    scene: scene.success ? scene.data : null,
    rotate: rotate === '0' || rotate === 'false' ? false : rotate === '1' || rotate === 'true' ? true : null,
  }
}

export function planOf(layout: Pick<WallLayoutSettings, 'scenes' | 'rotate'>, overrides: WallOverrides): RotationPlan {
  const enabled = layout.scenes.filter(s => s.enabled).map(s => ({ scene: s.scene, durationMs: s.durationS * 1000 }))
  const rotate = overrides.rotate ?? layout.rotate
  const wanted = overrides.scene
  // A scene fixed by the address shows even if the preset leaves it out.
  if (wanted !== null && overrides.rotate === false) {
    const slot = layout.scenes.find(s => s.scene === wanted)
    return { slots: [{ scene: wanted, durationMs: slot ? slot.durationS * 1000 : FIXED_SCENE_MS }], rotate: false, startAt: wanted }
  }
  return { slots: enabled, rotate, startAt: wanted !== null && enabled.some(s => s.scene === wanted) ? wanted : null }
}

const slotAt = (s: RotationState, index = s.index): SceneSlot => s.plan.slots[index] as SceneSlot

/** Whether the current scene's time is running out: rotating, with somewhere to go, and nothing holding it. */
export function running(s: RotationState): boolean {
  return s.plan.rotate && s.plan.slots.length > 1 && s.holds.length === 0
}

export function startRotation(plan: RotationPlan, now: number): RotationState {
  if (plan.slots.length === 0)
    throw new Error('a rotation needs at least one scene')
  const index = Math.max(0, plan.slots.findIndex(s => s.scene === plan.startAt))
  return { plan, index, leftMs: (plan.slots[index] as SceneSlot).durationMs, since: now, holds: [] }
}

export function leftMs(s: RotationState, now: number): number {
  return running(s) ? s.leftMs - (now - s.since) : s.leftMs
}

/** Moves on past every scene whose time ran out by `now`; the same state when none did. */
export function advance(s: RotationState, now: number): RotationState {
  const left = leftMs(s, now)
  if (left > 0)
    return s
  const n = s.plan.slots.length
  const cycleMs = s.plan.slots.reduce((sum, slot) => sum + slot.durationMs, 0)
  // A wall that slept (a throttled tab, a suspended PC) picks up in phase, without racing through every cycle it missed.
  let over = -left % cycleMs
  let index = s.index
  for (;;) {
    index = (index + 1) % n
    const next = slotAt(s, index).durationMs - over
    if (next > 0)
      return { ...s, index, leftMs: next, since: now }
    over = -next
  }
}

export function hold(s: RotationState, reason: Hold, now: number): RotationState {
  const settled = advance(s, now)
  if (settled.holds.includes(reason))
    return settled
  return { ...settled, leftMs: leftMs(settled, now), since: now, holds: [...settled.holds, reason] }
}

/** Lifts one hold; the scene goes on with the time it had left when it was held. */
export function release(s: RotationState, reason: Hold, now: number): RotationState {
  if (!s.holds.includes(reason))
    return s
  return { ...s, since: now, holds: s.holds.filter(h => h !== reason) }
}

/** An operator's next (+1) or previous (-1): that scene from its start; a pause stays. */
export function step(s: RotationState, delta: 1 | -1, now: number): RotationState {
  const settled = advance(s, now)
  const n = settled.plan.slots.length
  const index = (settled.index + delta + n) % n
  return { ...settled, index, leftMs: slotAt(settled, index).durationMs, since: now }
}

/** A new or changed preset: the wall stays on its scene if the new plan has it (its time cut to the new duration), else starts over. */
export function replan(s: RotationState, plan: RotationPlan, now: number): RotationState {
  const settled = advance(s, now)
  const scene = slotAt(settled).scene
  const index = plan.slots.findIndex(slot => slot.scene === scene)
  if (index < 0)
    return { ...startRotation(plan, now), holds: settled.holds }
  const left = Math.min(leftMs(settled, now), (plan.slots[index] as SceneSlot).durationMs)
  return { plan, index, leftMs: left, since: now, holds: settled.holds }
}

export interface RotationView {
  scene: SceneId
  scenes: readonly SceneId[]
  /** Whole seconds until the next scene; null when the wall does not rotate. */
  secondsLeft: number | null
  durationS: number
  paused: boolean
}

export function rotationView(s: RotationState, now: number): RotationView {
  const settled = advance(s, now)
  const slot = slotAt(settled)
  const rotates = settled.plan.rotate && settled.plan.slots.length > 1
  return {
    scene: slot.scene,
    scenes: settled.plan.slots.map(x => x.scene),
    secondsLeft: rotates ? Math.max(0, Math.ceil(leftMs(settled, now) / 1000)) : null,
    durationS: slot.durationMs / 1000,
    paused: settled.holds.includes('user'),
  }
}
