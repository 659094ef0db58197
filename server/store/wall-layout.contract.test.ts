/**
 * Wall layout presets on every store implementation: each save adds a
 * version and keeps the ones before, a save over a stale version is refused
 * with the current one (concurrent saves too: one wins), a deletion is one
 * more version, each change commits with its audit entry, and the default
 * preset is seeded once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WallLayout, WallLayoutSettings } from '@shared/schemas/wall'
import { DEFAULT_WALL_LAYOUT, DEFAULT_WALL_LAYOUT_ID } from '@shared/schemas/wall'
import type { AuditRecord, Store } from './repositories'
import type { OpenedStore } from './store.backends'
import { contractBackends, PG_TEST_URL, redacted } from './store.backends'
import { seedDefaultWallLayout, WallLayoutConflict } from './wall-layout.repository'

const { backends, pgProblem } = await contractBackends()

const AT = '2026-11-23T01:00:00.000Z'
const by = (name: string, at = AT): { at: string, by: string } => ({ at, by: name })

const settings = (patch: Partial<WallLayoutSettings> = {}): WallLayoutSettings => ({ ...DEFAULT_WALL_LAYOUT, name: '指挥大厅主屏', ...patch })

const record = (action: string, before: WallLayout | null, after: WallLayout | null): AuditRecord =>
  ({ at: AT, actor: { id: 'u1', name: 'admin', roles: ['admin'], departmentId: null }, clientIp: null, action, targetType: 'wall-layout', targetId: after?.id ?? before?.id ?? null, outcome: 'ok', before, after })
const audited = (before: WallLayout | null, after: WallLayout): AuditRecord => record('wall-layout.save', before, after)

describe('PostgreSQL for the wall layout contract', () => {
  it('is reachable (required when CI is set)', (ctx) => {
    if (pgProblem !== undefined && !process.env.CI)
      ctx.skip(`PostgreSQL at ${redacted(PG_TEST_URL)} unreachable: ${pgProblem}`)
    expect(pgProblem, `PostgreSQL at ${redacted(PG_TEST_URL)}`).toBeUndefined()
  })
})

describe.each(backends.map(b => [b.name, b] as const))('%s store: wall layouts', (_name, backend) => {
  let opened: OpenedStore | undefined
  let store: Store
  beforeEach(async () => {
    opened = await backend.open()
    store = opened.store
  })
  afterEach(() => opened?.dispose())

  it('adds a version with every save and keeps the ones before, newest first', async () => {
    const first = await store.wallLayouts.save('hall-main', settings(), 0, by('alice'), audited)
    expect(first).toMatchObject({ id: 'hall-main', version: 1, name: '指挥大厅主屏', updatedBy: 'alice', updatedAt: AT })
    const slower = settings({ scenes: DEFAULT_WALL_LAYOUT.scenes.map(s => ({ ...s, durationS: 120 })) })
    const second = await store.wallLayouts.save('hall-main', slower, 1, by('bob', '2026-11-23T02:00:00.000Z'), audited)
    expect(second).toMatchObject({ version: 2, updatedBy: 'bob' })
    expect(second.scenes.every(s => s.durationS === 120)).toBe(true)

    expect(await store.wallLayouts.get('hall-main')).toEqual(second)
    const versions = await store.wallLayouts.versions('hall-main')
    expect(versions.map(v => [v.version, v.updatedBy, v.deleted])).toEqual([[2, 'bob', false], [1, 'alice', false]])
    expect(versions[1]?.scenes).toEqual(DEFAULT_WALL_LAYOUT.scenes)
    expect(await store.wallLayouts.versions('never-saved')).toEqual([])
    expect(await store.wallLayouts.get('never-saved')).toBeUndefined()
  })

  it('refuses a save over a stale version, or a new one over a preset that exists, with the current document', async () => {
    await store.wallLayouts.save('lobby', settings(), 0, by('alice'), audited)
    const current = await store.wallLayouts.save('lobby', settings({ rotate: false }), 1, by('bob'), audited)
    const stale = store.wallLayouts.save('lobby', settings({ locale: 'en' }), 1, by('carol'), audited)
    await expect(stale).rejects.toBeInstanceOf(WallLayoutConflict)
    await expect(stale).rejects.toMatchObject({ expectedVersion: 1, current })
    await expect(store.wallLayouts.save('lobby', settings(), 0, by('carol'), audited)).rejects.toMatchObject({ current })
    await expect(store.wallLayouts.save('nothing', settings(), 3, by('carol'), audited)).rejects.toMatchObject({ current: null })
    expect((await store.wallLayouts.versions('lobby')).map(v => v.version)).toEqual([2, 1])
  })

  it('lets one of several concurrent saves of the same version in and refuses the others', async () => {
    await store.wallLayouts.save('race', settings(), 0, by('alice'), audited)
    const outcomes = await Promise.allSettled(['a', 'b', 'c', 'd'].map(who => store.wallLayouts.save('race', settings({ name: who }), 1, by(who), audited)))
    const won = outcomes.filter(o => o.status === 'fulfilled')
    expect(won).toHaveLength(1)
    for (const lost of outcomes.filter(o => o.status === 'rejected'))
      expect(lost.reason).toBeInstanceOf(WallLayoutConflict)
    const winner = (won[0] as PromiseFulfilledResult<WallLayout>).value
    expect(await store.wallLayouts.get('race')).toEqual(winner)
    expect((await store.wallLayouts.versions('race')).map(v => v.version)).toEqual([2, 1])
  })

  it('lists the current version of each preset not deleted; a deletion is a version, and the id can be used again', async () => {
    await store.wallLayouts.save('b-wall', settings({ name: 'B' }), 0, by('alice'), audited)
    await store.wallLayouts.save('a-wall', settings({ name: 'A' }), 0, by('alice'), audited)
    await store.wallLayouts.save('a-wall', settings({ name: 'A2' }), 1, by('alice'), audited)
    expect((await store.wallLayouts.list()).map(l => [l.id, l.version, l.name])).toEqual([['a-wall', 2, 'A2'], ['b-wall', 1, 'B']])

    const gone = await store.wallLayouts.remove('b-wall', by('bob'), before => record('wall-layout.delete', before, null))
    expect(gone).toMatchObject({ id: 'b-wall', version: 1, name: 'B' })
    expect(await store.wallLayouts.get('b-wall')).toBeUndefined()
    expect((await store.wallLayouts.list()).map(l => l.id)).toEqual(['a-wall'])
    expect((await store.wallLayouts.versions('b-wall')).map(v => [v.version, v.deleted, v.name, v.updatedBy])).toEqual([[2, true, 'B', 'bob'], [1, false, 'B', 'alice']])
    expect(await store.wallLayouts.remove('b-wall', by('bob'), before => record('wall-layout.delete', before, null))).toBeUndefined()

    // Deleted: it is new again (expected version 0), its history continues.
    await expect(store.wallLayouts.save('b-wall', settings(), 2, by('carol'), audited)).rejects.toBeInstanceOf(WallLayoutConflict)
    expect(await store.wallLayouts.save('b-wall', settings({ name: 'B again' }), 0, by('carol'), audited)).toMatchObject({ version: 3, name: 'B again' })
  })

  it('commits each change with its audit entry, and neither when the audit cannot be written', async () => {
    const saved = await store.wallLayouts.save('audited', settings(), 0, by('alice'), (before, after) => record('wall-layout.create', before, after))
    await store.wallLayouts.save('audited', settings({ alarmSound: true }), 1, by('alice'), (before, after) => record('wall-layout.update', before, after))
    const entries = await store.audit.list({ limit: 10 })
    expect(entries.map(e => e.action)).toEqual(['wall-layout.update', 'wall-layout.create'])
    expect(entries[0]).toMatchObject({ targetType: 'wall-layout', targetId: 'audited', before: saved, after: { version: 2, alarmSound: true } })

    const broken = (): AuditRecord => ({ ...record('wall-layout.update', null, null), outcome: 'nonsense' as AuditRecord['outcome'], actor: { id: 'x', name: 'x', roles: [], departmentId: null }, at: undefined as unknown as string })
    await expect(store.wallLayouts.save('audited', settings({ rotate: false }), 2, by('alice'), broken)).rejects.toThrow()
    expect(await store.wallLayouts.get('audited')).toMatchObject({ version: 2, rotate: true })
    expect((await store.audit.list({ limit: 10 })).length).toBe(2)
    expect((await store.audit.verify()).ok).toBe(true)
  })

  it('seeds the default preset once, as every scene, and survives a restart', async () => {
    const seeded = await seedDefaultWallLayout(store.wallLayouts, AT)
    expect(seeded).toMatchObject({ id: DEFAULT_WALL_LAYOUT_ID, version: 1, updatedBy: 'system', ...DEFAULT_WALL_LAYOUT })
    expect(seeded?.scenes.map(s => s.scene)).toEqual(['overview', 'air', 'traffic', 'halls', 'incidents'])
    expect(await seedDefaultWallLayout(store.wallLayouts, AT)).toBeUndefined()
    const restarted = await (opened as OpenedStore).restart()
    expect(await restarted.wallLayouts.get(DEFAULT_WALL_LAYOUT_ID)).toEqual(seeded)
    expect((await restarted.audit.list({ limit: 5 })).map(e => e.action)).toEqual(['wall-layout.create'])
  })
})
