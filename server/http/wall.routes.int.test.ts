/**
 * The wall layout API through the running server: the default preset is
 * there from the first start; walls and everyone who may open one read
 * presets, administrators change them, each save a new version, a stale one
 * refused (409 with the current document), a bad one with the reasons (400),
 * every change in the audit log; a display token names its wall's preset.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditEntry, IssuedDisplayToken } from '@shared/schemas/auth'
import type { WallLayoutPut, WallLayoutSettings } from '@shared/schemas/wall'
import { DEFAULT_WALL_LAYOUT, WallLayout, WallLayoutConflictBody, WallLayoutList, WallLayoutVersions } from '@shared/schemas/wall'
import type { HttpSession } from '@server/auth/auth.support'
import { displayLogin, displaySession, requestJson, userSession } from '@server/auth/auth.support'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import { baseUrl, fastCityConfig } from '@server/realtime/int.support'

let dir: string
let server: RunningServer
let base: string
let admin: HttpSession
let operator: HttpSession
let leader: HttpSession

const body = (patch: Partial<WallLayoutSettings> = {}, expectedVersion = 0): WallLayoutPut =>
  ({ ...DEFAULT_WALL_LAYOUT, name: '指挥大厅主屏', ...patch, expectedVersion })

/** Ten-second scenes: what a wall test saves to see the rotation move soon. */
const FAST_SCENES = DEFAULT_WALL_LAYOUT.scenes.map(s => ({ ...s, durationS: 10 }))

const usernameOf = (session: HttpSession): string => (session.info.principal.kind === 'user' ? session.info.principal.username : session.info.principal.name)

const auditOf = async (action: string): Promise<AuditEntry[]> =>
  AuditEntry.array().parse((await admin.get<{ entries: unknown[] }>(`/api/admin/audit?action=${action}&limit=50`)).body.entries)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ioc-wall-routes-'))
  server = await startServer(fastCityConfig(join(dir, 'ioc.db'), { simulator: false }))
  base = baseUrl(server)
  admin = await userSession(server, base, ['admin'])
  operator = await userSession(server, base, ['operator'])
  leader = await userSession(server, base, ['leader'])
}, 60_000)

afterAll(async () => {
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('wall layouts over REST', { timeout: 30_000 }, () => {
  it('has the default preset from the first start, readable by walls, operators and leaders, and by no one signed out', async () => {
    const { status, body: list } = await operator.get('/api/wall/layouts')
    expect(status).toBe(200)
    const [only] = WallLayoutList.parse(list).layouts
    expect(only).toMatchObject({ id: 'default', version: 1, updatedBy: 'system', rotate: true })
    expect(only?.scenes.map(s => [s.scene, s.durationS])).toEqual([['overview', 60], ['air', 30], ['traffic', 30], ['halls', 30], ['incidents', 30]])
    expect((await leader.get('/api/wall/layouts/default')).status).toBe(200)
    expect((await requestJson(base, 'GET', '/api/wall/layouts')).status).toBe(401)
    expect((await requestJson(base, 'GET', '/api/wall/current')).status).toBe(401)
    const wall = await displaySession(server, base, 'plain wall')
    expect(WallLayout.parse((await wall.get('/api/wall/current')).body).id).toBe('default')
  })

  it('lets administrators alone create and change presets, each save a new version', async () => {
    expect((await operator.request('PUT', '/api/wall/layouts/hall-main', body())).status).toBe(403)
    expect((await leader.request('PUT', '/api/wall/layouts/hall-main', body())).status).toBe(403)

    const created = await admin.request('PUT', '/api/wall/layouts/hall-main', body({ scenes: FAST_SCENES }))
    expect(created.status).toBe(201)
    expect(WallLayout.parse(created.body)).toMatchObject({ id: 'hall-main', version: 1, updatedBy: usernameOf(admin), scenes: FAST_SCENES })

    const changed = await admin.request('PUT', '/api/wall/layouts/hall-main', body({ scenes: FAST_SCENES, rotate: false, locale: 'en' }, 1))
    expect(changed.status).toBe(200)
    expect(WallLayout.parse(changed.body)).toMatchObject({ version: 2, rotate: false, locale: 'en' })

    const versions = WallLayoutVersions.parse((await operator.get('/api/wall/layouts/hall-main/versions')).body).versions
    expect(versions.map(v => [v.version, v.rotate, v.deleted])).toEqual([[2, false, false], [1, true, false]])
    expect((await operator.get('/api/wall/layouts/no-such/versions')).status).toBe(404)
  })

  it('refuses a save over a stale version with 409 and the current document, changing nothing', async () => {
    await admin.request('PUT', '/api/wall/layouts/stale-test', body())
    const current = WallLayout.parse((await admin.request('PUT', '/api/wall/layouts/stale-test', body({ alarmSound: true }, 1))).body)
    const stale = await admin.request('PUT', '/api/wall/layouts/stale-test', body({ rotate: false }, 1))
    expect(stale.status).toBe(409)
    const answer = WallLayoutConflictBody.parse(stale.body)
    expect(answer.current).toEqual(current)
    expect(answer.error).toContain('version 2')
    // A new preset over one that exists is stale too.
    expect((await admin.request('PUT', '/api/wall/layouts/stale-test', body())).status).toBe(409)
    expect(WallLayout.parse((await admin.get('/api/wall/layouts/stale-test')).body)).toEqual(current)
  })

  it('answers a bad preset with 400 and the reasons, field by field', async () => {
    const reasons = async (id: string, sent: unknown): Promise<string> => {
      const { status, body: answer } = await admin.request<{ error: string }>('PUT', `/api/wall/layouts/${id}`, sent)
      expect(status, JSON.stringify(sent)).toBe(400)
      return answer.error
    }
    expect(await reasons('bad', body({ scenes: [{ scene: 'air', durationS: 5, enabled: true }] }))).toMatch(/scenes\.0\.durationS/)
    expect(await reasons('bad', body({ scenes: [{ scene: 'air', durationS: 30, enabled: false }] }))).toContain('at least one scene enabled')
    expect(await reasons('bad', body({ scenes: [{ scene: 'air', durationS: 30, enabled: true }, { scene: 'air', durationS: 40, enabled: true }] }))).toContain('each scene at most once')
    expect(await reasons('bad', body({ takeover: { enabled: true, timeoutS: 10 } }))).toMatch(/takeover\.timeoutS/)
    expect(await reasons('bad', body({ nightHours: { from: '19:00', to: '19:00' } }))).toContain('different times')
    expect(await reasons('bad', body({ nightHours: { from: '25:00', to: '07:00' } }))).toMatch(/nightHours\.from/)
    expect(await reasons('bad', { ...body(), version: 7 })).toMatch(/version/)
    const { expectedVersion: _v, ...withoutVersion } = body()
    expect(await reasons('bad', withoutVersion)).toMatch(/expectedVersion/)
    expect(await reasons('Not_A_Slug', body())).toContain('invalid wall layout id')
    expect((await admin.get('/api/wall/layouts/bad')).status).toBe(404)
  })

  it('audits every change with who, before and after', async () => {
    await admin.request('PUT', '/api/wall/layouts/audited', body())
    await admin.request('PUT', '/api/wall/layouts/audited', body({ nightMode: 'on' }, 1))
    await admin.request('DELETE', '/api/wall/layouts/audited')
    const username = usernameOf(admin)
    const [created] = (await auditOf('wall-layout.create')).filter(e => e.targetId === 'audited')
    expect(created).toMatchObject({ actorName: username, targetType: 'wall-layout', outcome: 'ok', before: null, after: { version: 1, nightMode: 'auto' } })
    const [updated] = (await auditOf('wall-layout.update')).filter(e => e.targetId === 'audited')
    expect(updated).toMatchObject({ actorName: username, before: { version: 1, nightMode: 'auto' }, after: { version: 2, nightMode: 'on' } })
    const [deleted] = (await auditOf('wall-layout.delete')).filter(e => e.targetId === 'audited')
    expect(deleted).toMatchObject({ actorName: username, before: { version: 2 }, after: null })
    const verdict = await admin.get<{ ok: boolean }>('/api/admin/audit/verify')
    expect(verdict.body.ok).toBe(true)
  })

  it('deletes a preset (keeping its versions) but never the default', async () => {
    await admin.request('PUT', '/api/wall/layouts/short-lived', body())
    expect((await operator.request('DELETE', '/api/wall/layouts/short-lived')).status).toBe(403)
    expect((await admin.request('DELETE', '/api/wall/layouts/default')).status).toBe(409)
    expect((await admin.request('DELETE', '/api/wall/layouts/short-lived')).status).toBe(200)
    expect((await admin.get('/api/wall/layouts/short-lived')).status).toBe(404)
    expect((await admin.request('DELETE', '/api/wall/layouts/short-lived')).status).toBe(404)
    expect(WallLayoutVersions.parse((await admin.get('/api/wall/layouts/short-lived/versions')).body).versions.map(v => v.deleted)).toEqual([true, false])
    expect(WallLayoutList.parse((await admin.get('/api/wall/layouts')).body).layouts.map(l => l.id)).not.toContain('short-lived')
  })

  it('gives a wall the preset its token names, a person the one asked for, and the default otherwise', async () => {
    await admin.request('PUT', '/api/wall/layouts/lobby', body({ name: '一楼大厅', locale: 'en' }))
    // A token naming no preset is refused, said in words.
    const typo = await admin.request<{ error: string }>('POST', '/api/admin/display-tokens', { name: '大厅屏', scene: 'lobbby' })
    expect(typo.status).toBe(409)
    expect(typo.body.error).toContain('no wall layout preset lobbby')
    const issued = await admin.request('POST', '/api/admin/display-tokens', { name: '大厅屏', scene: 'lobby' })
    expect(issued.status).toBe(201)
    const wall = await displayLogin(base, IssuedDisplayToken.parse(issued.body).secret)
    expect(WallLayout.parse((await wall.get('/api/wall/current')).body)).toMatchObject({ id: 'lobby', name: '一楼大厅', locale: 'en' })
    // A display's own preset wins over the query.
    expect(WallLayout.parse((await wall.get('/api/wall/current?preset=default')).body).id).toBe('lobby')
    expect((await wall.request('PUT', '/api/wall/layouts/lobby', body({}, 1))).status).toBe(403)

    expect(WallLayout.parse((await operator.get('/api/wall/current?preset=lobby')).body).id).toBe('lobby')
    expect(WallLayout.parse((await operator.get('/api/wall/current?preset=missing')).body).id).toBe('default')
    expect(WallLayout.parse((await operator.get('/api/wall/current')).body).id).toBe('default')
    expect((await operator.get('/api/wall/current?preset=NOT_OK')).status).toBe(400)

    // Its preset deleted, the wall falls back to the default.
    await admin.request('DELETE', '/api/wall/layouts/lobby')
    expect(WallLayout.parse((await wall.get('/api/wall/current')).body).id).toBe('default')
  })
})
