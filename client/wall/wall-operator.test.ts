import { describe, expect, it } from 'vitest'
import type { Alert } from '@shared/schemas/alerts'
import { alertFixture } from '@shared/schemas/alerts.fixture'
import type { WallLayout } from '@shared/schemas/wall'
import { DEFAULT_WALL_LAYOUT } from '@shared/schemas/wall'
import { WallOperator } from './wall-operator'

const S = 1000
/** 10:00 Beijing time: day. */
const T0 = Date.parse('2026-11-23T02:00:00.000Z')
const NONE = { scene: null, rotate: null }

/** Ten-second scenes, as a wall test saves them; takeover for 60 s. */
const fast = (patch: Partial<WallLayout> = {}): WallLayout => ({
  ...DEFAULT_WALL_LAYOUT,
  scenes: DEFAULT_WALL_LAYOUT.scenes.map(s => ({ ...s, durationS: 10 })),
  takeover: { enabled: true, timeoutS: 60 },
  id: 'hall',
  name: '大厅',
  version: 1,
  updatedAt: '2026-11-23T01:00:00.000Z',
  updatedBy: 'admin',
  ...patch,
})

const critical = (id: string, patch: Partial<Alert> = {}): Alert => alertFixture({
  id, ruleId: 'r', severity: 'critical', status: 'firing', title: id, townCode: null,
  raisedAt: '2026-11-23T02:00:00.000Z', updatedAt: '2026-11-23T02:00:00.000Z', ...patch,
})

const sceneAt = (op: WallOperator, t: number): string => {
  op.tick(t)
  return op.view(t).scene
}

describe('WallOperator', () => {
  it('runs the built-in default until its preset arrives, then the preset from the scene on screen', () => {
    const op = new WallOperator(NONE, T0)
    expect(op.view(T0)).toMatchObject({ scene: 'overview', secondsLeft: 60 })
    expect(op.adopt(fast(), T0 + 5 * S)).toBe(true)
    // Still the overview, its time cut to the preset's ten seconds.
    expect(op.view(T0 + 5 * S)).toMatchObject({ scene: 'overview', secondsLeft: 10 })
    expect(sceneAt(op, T0 + 15 * S)).toBe('air')
    expect(sceneAt(op, T0 + 25 * S)).toBe('traffic')
  })

  it('hands the wall to a critical alert raised after it opened, and resumes the rotation where it was', () => {
    const op = new WallOperator(NONE, T0)
    op.adopt(fast(), T0)
    op.observeAlerts([critical('old')], T0)
    expect(op.takeover()).toBeNull()
    expect(sceneAt(op, T0 + 14 * S)).toBe('air')

    op.observeAlerts([critical('old'), critical('new')], T0 + 14 * S)
    expect(op.takeover()).toMatchObject({ alert: { id: 'new' }, since: T0 + 14 * S, endsAt: T0 + 74 * S })
    // Held: a minute later the wall is still on air, with the 6 s it had left.
    expect(sceneAt(op, T0 + 60 * S)).toBe('air')
    expect(op.view(T0 + 60 * S).secondsLeft).toBe(6)

    // Acknowledged: the rotation goes on with those 6 s.
    op.observeAlerts([critical('old'), critical('new', { status: 'acknowledged' })], T0 + 70 * S)
    expect(op.takeover()).toBeNull()
    expect(sceneAt(op, T0 + 75 * S)).toBe('air')
    expect(sceneAt(op, T0 + 76 * S)).toBe('traffic')
  })

  it('lets go of the wall when the preset\'s takeover time has passed', () => {
    const op = new WallOperator(NONE, T0)
    op.adopt(fast(), T0)
    op.observeAlerts([], T0)
    op.observeAlerts([critical('a')], T0 + 2 * S)
    op.tick(T0 + 61 * S)
    expect(op.takeover()?.alert.id).toBe('a')
    op.tick(T0 + 62 * S)
    expect(op.takeover()).toBeNull()
    expect(op.view(T0 + 62 * S)).toMatchObject({ scene: 'overview', secondsLeft: 8 })
  })

  it('keeps an operator\'s pause through a takeover', () => {
    const op = new WallOperator(NONE, T0)
    op.adopt(fast(), T0)
    op.observeAlerts([], T0)
    op.togglePause(T0 + 3 * S)
    op.observeAlerts([critical('a')], T0 + 4 * S)
    op.observeAlerts([], T0 + 10 * S)
    expect(op.view(T0 + 100 * S)).toMatchObject({ scene: 'overview', secondsLeft: 7, paused: true })
    op.togglePause(T0 + 100 * S)
    expect(sceneAt(op, T0 + 107 * S)).toBe('air')
  })

  it('steps by hand, and follows the preset turning takeovers off', () => {
    const op = new WallOperator(NONE, T0)
    op.adopt(fast({ takeover: { enabled: false, timeoutS: 60 } }), T0)
    op.next(T0 + S)
    op.next(T0 + 2 * S)
    op.previous(T0 + 3 * S)
    expect(op.view(T0 + 3 * S)).toMatchObject({ scene: 'air', secondsLeft: 10 })
    op.observeAlerts([], T0 + 4 * S)
    op.observeAlerts([critical('a')], T0 + 5 * S)
    expect(op.takeover()).toBeNull()
  })

  it('follows the preset\'s night mode; an operator\'s N holds until a new version of the preset', () => {
    const op = new WallOperator(NONE, T0)
    op.adopt(fast({ nightMode: 'auto' }), T0)
    expect(op.night(T0)).toBe(false)
    expect(op.night(Date.parse('2026-11-23T12:00:00.000Z'))).toBe(true)
    op.toggleNight(T0)
    expect(op.night(T0)).toBe(true)
    // The same version fetched again: the operator's choice stands.
    expect(op.adopt(fast({ nightMode: 'auto' }), T0 + S)).toBe(false)
    expect(op.night(T0 + S)).toBe(true)
    // A new version: its settings rule again.
    expect(op.adopt(fast({ nightMode: 'off', version: 2 }), T0 + 2 * S)).toBe(true)
    expect(op.night(T0 + 2 * S)).toBe(false)
  })

  it('keeps a scene fixed by the address, whatever the preset says', () => {
    const op = new WallOperator({ scene: 'traffic', rotate: false }, T0)
    op.adopt(fast(), T0)
    expect(sceneAt(op, T0 + 3600 * S)).toBe('traffic')
    expect(op.view(T0).secondsLeft).toBeNull()
  })
})
