import { describe, expect, it } from 'vitest'
import type { WallLayout } from '@shared/schemas/wall'
import { DEFAULT_WALL_LAYOUT } from '@shared/schemas/wall'
import { changedFields, checkDraft, draftOf, moveScene, newDraft, restoredDraft, rotationSummary, withEveryScene } from './wall-layout-draft'

const stored: WallLayout = {
  ...DEFAULT_WALL_LAYOUT,
  scenes: [{ scene: 'traffic', durationS: 20, enabled: true }, { scene: 'air', durationS: 40, enabled: false }],
  id: 'hall-main',
  name: '指挥大厅主屏',
  version: 3,
  updatedAt: '2026-11-23T01:00:00.000Z',
  updatedBy: 'admin',
}

describe('wall layout draft', () => {
  it('lists every scene, the ones the preset leaves out appended and switched off', () => {
    const draft = draftOf(stored)
    expect(draft).toMatchObject({ id: 'hall-main', baseVersion: 3 })
    expect(draft.settings.scenes.map(s => [s.scene, s.enabled])).toEqual([['traffic', true], ['air', false], ['overview', false], ['halls', false], ['incidents', false]])
    expect(withEveryScene(DEFAULT_WALL_LAYOUT.scenes)).toEqual(DEFAULT_WALL_LAYOUT.scenes)
  })

  it('edits a copy: the loaded preset is left as it was', () => {
    const draft = draftOf(stored)
    draft.settings.scenes[0]!.durationS = 99
    draft.settings.takeover.timeoutS = 31
    expect(stored.scenes[0]!.durationS).toBe(20)
    expect(stored.takeover.timeoutS).toBe(DEFAULT_WALL_LAYOUT.takeover.timeoutS)
  })

  it('moves a scene up or down, and not past either end', () => {
    const scenes = draftOf(stored).settings.scenes
    expect(moveScene(scenes, 1, -1).map(s => s.scene)).toEqual(['air', 'traffic', 'overview', 'halls', 'incidents'])
    expect(moveScene(scenes, 0, 1).map(s => s.scene)).toEqual(['air', 'traffic', 'overview', 'halls', 'incidents'])
    expect(moveScene(scenes, 0, -1).map(s => s.scene)).toEqual(scenes.map(s => s.scene))
    expect(moveScene(scenes, 4, 1).map(s => s.scene)).toEqual(scenes.map(s => s.scene))
  })

  it('makes the PUT body with the version it started from, or says what is wrong', () => {
    const ok = checkDraft(draftOf(stored))
    expect(ok).toMatchObject({ ok: true, id: 'hall-main', body: { expectedVersion: 3, name: '指挥大厅主屏' } })
    const fresh = newDraft()
    const bad = checkDraft({ ...fresh, id: 'Bad Id', settings: { ...fresh.settings, name: ' ', scenes: fresh.settings.scenes.map(s => ({ ...s, enabled: false })) } })
    expect(bad.ok).toBe(false)
    const problems = bad.ok ? [] : bad.problems.join('\n')
    expect(problems).toContain('id:')
    expect(problems).toContain('name:')
    expect(problems).toContain('at least one scene enabled')
    expect(checkDraft({ ...fresh, id: 'lobby', settings: { ...fresh.settings, name: '大厅' } }, 7)).toMatchObject({ ok: true, body: { expectedVersion: 7 } })
  })

  it('restores an old version\'s settings over the draft it replaces, keeping the id and base version', () => {
    const restored = restoredDraft(draftOf(stored), { ...DEFAULT_WALL_LAYOUT, name: '旧版' })
    expect(restored).toMatchObject({ id: 'hall-main', baseVersion: 3, settings: { name: '旧版' } })
  })

  it('tells which settings another save changed', () => {
    expect(changedFields(stored, stored)).toEqual([])
    expect(changedFields(stored, { ...stored, nightHours: { from: '20:00', to: '06:00' }, scenes: [...stored.scenes].reverse(), locale: 'en' })).toEqual(['scenes', 'nightHours', 'locale'])
  })

  it('sums the rotation up for a table', () => {
    expect(rotationSummary(DEFAULT_WALL_LAYOUT.scenes.slice(0, 2), s => s.toUpperCase())).toBe('OVERVIEW 60s · AIR 30s')
    expect(rotationSummary(stored.scenes, s => s)).toBe('traffic 20s')
  })
})
