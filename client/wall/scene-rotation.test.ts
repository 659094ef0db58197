import { describe, expect, it } from 'vitest'
import type { SceneSlot as PresetSlot } from '@shared/schemas/wall'
import { DEFAULT_WALL_LAYOUT } from '@shared/schemas/wall'
import type { RotationState, WallOverrides } from './scene-rotation'
import { advance, hold, overridesFrom, planOf, release, replan, rotationView, startRotation, step } from './scene-rotation'

const S = 1000
const T0 = Date.parse('2026-11-23T02:00:00.000Z')
const NONE: WallOverrides = { scene: null, rotate: null }

/** overview 60 s, air 30 s, traffic 20 s (halls disabled), incidents 10 s. */
const SCENES: PresetSlot[] = [
  { scene: 'overview', durationS: 60, enabled: true },
  { scene: 'air', durationS: 30, enabled: true },
  { scene: 'halls', durationS: 45, enabled: false },
  { scene: 'traffic', durationS: 20, enabled: true },
  { scene: 'incidents', durationS: 10, enabled: true },
]
const layout = { scenes: SCENES, rotate: true }

const start = (overrides: WallOverrides = NONE): RotationState => startRotation(planOf(layout, overrides), T0)
const sceneAt = (s: RotationState, t: number): string => rotationView(s, t).scene

describe('scene rotation', () => {
  it('opens on the first enabled scene and moves on after each scene\'s own duration, skipping disabled ones', () => {
    const s = start()
    expect(rotationView(s, T0)).toEqual({ scene: 'overview', scenes: ['overview', 'air', 'traffic', 'incidents'], secondsLeft: 60, durationS: 60, paused: false })
    expect(sceneAt(s, T0 + 59_999)).toBe('overview')
    expect(sceneAt(s, T0 + 60 * S)).toBe('air')
    expect(sceneAt(s, T0 + 89 * S)).toBe('air')
    expect(sceneAt(s, T0 + 90 * S)).toBe('traffic')
    expect(sceneAt(s, T0 + 110 * S)).toBe('incidents')
    expect(sceneAt(s, T0 + 120 * S)).toBe('overview')
    expect(rotationView(s, T0 + 95 * S).secondsLeft).toBe(15)
    expect(rotationView(s, T0 + 95.2 * S).secondsLeft).toBe(15)
  })

  it('gives the same state back while nothing is due, and a new one when a scene ends', () => {
    const s = start()
    expect(advance(s, T0 + 30 * S)).toBe(s)
    const next = advance(s, T0 + 61 * S)
    expect(next).not.toBe(s)
    expect(next).toMatchObject({ index: 1, leftMs: 29 * S, since: T0 + 61 * S })
  })

  it('picks up in phase after a long sleep, without replaying every cycle it missed', () => {
    const s = start()
    // 100 cycles of 120 s and 70 s more: 60 s of overview, then 10 s into air.
    const woke = advance(s, T0 + 100 * 120 * S + 70 * S)
    expect(rotationView(woke, woke.since)).toMatchObject({ scene: 'air', secondsLeft: 20 })
  })

  it('pauses with the time left kept, and resumes from it', () => {
    let s = start()
    s = hold(s, 'user', T0 + 40 * S)
    expect(rotationView(s, T0 + 40 * S)).toMatchObject({ scene: 'overview', secondsLeft: 20, paused: true })
    // Paused for ten minutes: still the overview, still 20 s left.
    expect(rotationView(s, T0 + 640 * S)).toMatchObject({ scene: 'overview', secondsLeft: 20, paused: true })
    s = release(s, 'user', T0 + 640 * S)
    expect(rotationView(s, T0 + 650 * S)).toMatchObject({ scene: 'overview', secondsLeft: 10, paused: false })
    expect(sceneAt(s, T0 + 660 * S)).toBe('air')
  })

  it('steps to the next and previous scene by hand, each from its start, wrapping around', () => {
    let s = start()
    s = step(s, 1, T0 + 5 * S)
    expect(rotationView(s, T0 + 5 * S)).toMatchObject({ scene: 'air', secondsLeft: 30 })
    s = step(s, -1, T0 + 6 * S)
    s = step(s, -1, T0 + 7 * S)
    expect(rotationView(s, T0 + 7 * S)).toMatchObject({ scene: 'incidents', secondsLeft: 10 })
    expect(sceneAt(s, T0 + 17 * S)).toBe('overview')
  })

  it('keeps a pause through manual steps: the new scene waits with its full time', () => {
    let s = hold(start(), 'user', T0 + 10 * S)
    s = step(s, 1, T0 + 20 * S)
    expect(rotationView(s, T0 + 500 * S)).toMatchObject({ scene: 'air', secondsLeft: 30, paused: true })
  })

  it('freezes under a takeover and resumes where it was when it ends, a pause included', () => {
    let s = start()
    s = hold(s, 'takeover', T0 + 50 * S)
    expect(rotationView(s, T0 + 50 * S)).toMatchObject({ scene: 'overview', secondsLeft: 10, paused: false })
    // The operator pauses during the takeover: both hold it.
    s = hold(s, 'user', T0 + 100 * S)
    s = release(s, 'takeover', T0 + 300 * S)
    expect(rotationView(s, T0 + 400 * S)).toMatchObject({ scene: 'overview', secondsLeft: 10, paused: true })
    s = release(s, 'user', T0 + 400 * S)
    expect(rotationView(s, T0 + 405 * S)).toMatchObject({ scene: 'overview', secondsLeft: 5 })
    expect(sceneAt(s, T0 + 410 * S)).toBe('air')
    // The same hold twice, or a release of one not held, changes nothing.
    expect(release(s, 'takeover', T0 + 411 * S)).toBe(s)
    const held = hold(s, 'takeover', T0 + 412 * S)
    expect(hold(held, 'takeover', T0 + 413 * S)).toBe(held)
  })

  it('stays on the first enabled scene when the preset does not rotate, with no countdown', () => {
    const s = startRotation(planOf({ scenes: SCENES, rotate: false }, NONE), T0)
    expect(rotationView(s, T0 + 3600 * S)).toMatchObject({ scene: 'overview', secondsLeft: null })
    expect(rotationView(step(s, 1, T0 + 3600 * S), T0 + 7200 * S)).toMatchObject({ scene: 'air', secondsLeft: null })
  })

  it('does not count down with a single scene to show', () => {
    const s = startRotation(planOf({ scenes: [{ scene: 'traffic', durationS: 10, enabled: true }], rotate: true }, NONE), T0)
    expect(rotationView(s, T0 + 60 * S)).toMatchObject({ scene: 'traffic', secondsLeft: null })
  })

  it('reads ?scene= and ?rotate= from the address', () => {
    expect(overridesFrom(new URLSearchParams('scene=traffic&rotate=0'))).toEqual({ scene: 'traffic', rotate: false })
    expect(overridesFrom(new URLSearchParams('scene=air'))).toEqual({ scene: 'air', rotate: null })
    expect(overridesFrom(new URLSearchParams('rotate=1'))).toEqual({ scene: null, rotate: true })
    expect(overridesFrom(new URLSearchParams('scene=nonsense&rotate=maybe'))).toEqual({ scene: null, rotate: null })
  })

  it('holds a scene fixed by the address, even one the preset leaves out', () => {
    const fixed = start({ scene: 'traffic', rotate: false })
    expect(rotationView(fixed, T0 + 3600 * S)).toMatchObject({ scene: 'traffic', scenes: ['traffic'], secondsLeft: null })
    const disabled = start({ scene: 'halls', rotate: false })
    expect(rotationView(disabled, T0 + 3600 * S)).toMatchObject({ scene: 'halls', secondsLeft: null })
  })

  it('opens on the address\'s scene and rotates on from it; an unknown or disabled one is ignored', () => {
    const s = start({ scene: 'traffic', rotate: null })
    expect(rotationView(s, T0)).toMatchObject({ scene: 'traffic', secondsLeft: 20 })
    expect(sceneAt(s, T0 + 20 * S)).toBe('incidents')
    expect(sceneAt(start({ scene: 'halls', rotate: null }), T0)).toBe('overview')
    // ?rotate=1 rotates a preset that does not.
    const forced = startRotation(planOf({ scenes: SCENES, rotate: false }, { scene: null, rotate: true }), T0)
    expect(sceneAt(forced, T0 + 60 * S)).toBe('air')
  })

  it('stays on its scene when the preset changes and still has it, its time cut to the new duration', () => {
    let s = start()
    s = step(s, 1, T0)
    const faster = planOf({ scenes: SCENES.map(x => ({ ...x, durationS: 10 })), rotate: true }, NONE)
    s = replan(s, faster, T0 + 5 * S)
    expect(rotationView(s, T0 + 5 * S)).toMatchObject({ scene: 'air', secondsLeft: 10 })
    // The scene it showed is gone: the new plan from its start, the pause kept.
    s = hold(s, 'user', T0 + 6 * S)
    s = replan(s, planOf({ scenes: [{ scene: 'halls', durationS: 15, enabled: true }, { scene: 'incidents', durationS: 15, enabled: true }], rotate: true }, NONE), T0 + 7 * S)
    expect(rotationView(s, T0 + 99 * S)).toMatchObject({ scene: 'halls', secondsLeft: 15, paused: true })
  })

  it('runs the default preset: the overview for a minute, then the others for half a minute each', () => {
    const s = startRotation(planOf(DEFAULT_WALL_LAYOUT, NONE), T0)
    const seen = [0, 60, 90, 120, 150, 180].map(t => sceneAt(s, T0 + t * S))
    expect(seen).toEqual(['overview', 'air', 'traffic', 'halls', 'incidents', 'overview'])
  })
})
