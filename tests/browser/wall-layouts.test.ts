/**
 * Wall layout presets in Chromium against the real server: an administrator
 * edits the default preset (durations, order, a scene switched off) and sees
 * it saved as version 2 with its history; a save over a version someone
 * else replaced meanwhile is refused with what they changed, and can then
 * overwrite; a new preset is made and a display token issued for it.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WallLayout } from '@shared/schemas/wall'
import type { WallHarness } from './harness'
import { screenshotDir, startWallHarness } from './harness'

const SCREEN = { viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' }

/** Page errors, which the test expects to stay empty. */
function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', err => errors.push(err.message))
  return errors
}

async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/login`)
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(`${base}/admin/users`)
}

/** The preset as the server holds it, fetched by the signed-in page. */
async function stored(page: Page, id: string): Promise<WallLayout> {
  return WallLayout.parse(await page.evaluate(async path => (await fetch(path)).json() as Promise<unknown>, `/api/wall/layouts/${id}`))
}

describe('wall layout presets, in Chromium against the real server', () => {
  let h: WallHarness
  let base: string
  let password: string

  beforeAll(async () => {
    h = await startWallHarness()
    base = h.server.url
    mkdirSync(screenshotDir, { recursive: true })
    password = (await h.server.auth.admin.createUser(null, { username: 'wall-admin', displayName: '大屏管理员', roles: ['admin'], departmentId: null }, { mustChangePassword: false })).password
  })
  afterAll(async () => {
    await h?.close()
  })

  it('edits a preset into version 2, shows a stale save\'s conflict, and issues a token for a new preset', async () => {
    const page = await h.browser.newPage(SCREEN)
    const errors = watchErrors(page)
    await signIn(page, base, 'wall-admin', password)
    await page.getByTestId('nav-wall-layouts').click()

    const row = page.locator('[data-layout="default"]')
    expect(await row.getByTestId('layout-version').textContent()).toBe('第 1 版')
    await row.getByTestId('layout-edit').click()

    // The overview longer, traffic before air, the halls left out, dimmed every night.
    await page.getByTestId('scene-duration-overview').fill('90')
    await page.getByTestId('scene-up-traffic').click()
    await page.getByTestId('scene-enabled-halls').uncheck()
    await page.getByTestId('layout-night-mode').selectOption('on')
    await page.getByTestId('layout-save').click()
    expect(await page.getByTestId('layout-saved').textContent()).toContain('已保存为第 2 版')
    expect(await row.getByTestId('layout-version').textContent()).toBe('第 2 版')
    const versions = page.locator('[data-testid="versions-table"] tbody tr[data-version]')
    await expect.poll(() => versions.evaluateAll(trs => trs.map(tr => tr.getAttribute('data-version')))).toEqual(['2', '1'])
    expect(await versions.first().innerText()).toContain('当前')

    const v2 = await stored(page, 'default')
    expect(v2).toMatchObject({ version: 2, nightMode: 'on', updatedBy: 'wall-admin' })
    expect(v2.scenes.map(s => [s.scene, s.durationS, s.enabled])).toEqual([
      ['overview', 90, true], ['traffic', 30, true], ['air', 30, true], ['halls', 30, false], ['incidents', 30, true],
    ])
    await page.screenshot({ path: join(screenshotDir, 'admin-wall-layouts-1920x1080.png') })

    // Another administrator saves version 3 while this editor still holds version 2.
    const other = await h.browser.newPage(SCREEN)
    await signIn(other, base, 'wall-admin', password)
    await other.goto(`${base}/admin/wall-layouts`)
    await other.locator('[data-layout="default"]').getByTestId('layout-edit').click()
    await other.getByTestId('layout-name').fill('指挥大厅（夜班）')
    await other.getByTestId('layout-save').click()
    expect(await other.getByTestId('layout-saved').textContent()).toContain('第 3 版')
    await other.close()

    await page.getByTestId('layout-takeover-timeout').fill('600')
    await page.getByTestId('layout-save').click()
    const conflict = page.getByTestId('layout-conflict')
    await conflict.waitFor()
    const said = await conflict.innerText()
    expect(said).toContain('已被 wall-admin')
    expect(said).toContain('第 3 版')
    expect(said).toContain('基于第 2 版')
    expect(said).toContain('对方修改了：名称')
    expect((await stored(page, 'default')).version).toBe(3)
    await page.screenshot({ path: join(screenshotDir, 'admin-wall-layouts-conflict-1920x1080.png') })

    // Overwriting saves this editor's settings as version 4: the other's name change is replaced, knowingly.
    await page.getByTestId('conflict-overwrite').click()
    expect(await page.getByTestId('layout-saved').textContent()).toContain('第 4 版')
    expect(await stored(page, 'default')).toMatchObject({ version: 4, name: '默认大屏', takeover: { timeoutS: 600 } })

    // A new preset, then a wall token that runs it.
    await page.getByTestId('layout-create').click()
    await page.getByTestId('layout-id').fill('lobby')
    await page.getByTestId('layout-name').fill('一楼大厅')
    await page.getByTestId('layout-save').click()
    expect(await page.getByTestId('layout-saved').textContent()).toContain('第 1 版')
    expect(await page.locator('[data-layout="lobby"]').innerText()).toContain('一楼大厅')

    await page.getByTestId('nav-display-tokens').click()
    await page.getByTestId('token-name').fill('一楼大厅屏')
    await page.getByTestId('token-scene').selectOption('lobby')
    await page.getByTestId('token-submit').click()
    await page.getByTestId('once-dialog').waitFor()
    await page.getByTestId('once-close').click()
    expect(await page.locator('[data-token="一楼大厅屏"]').innerText()).toContain('一楼大厅（lobby）')

    expect(errors).toEqual([])
    await page.close()
  }, 180_000)
})
