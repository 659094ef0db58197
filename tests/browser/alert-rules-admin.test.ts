/**
 * 管理 → 告警规则 in Chromium against the real server: an administrator
 * changes a threshold, sees an invalid value refused at its field, saves the
 * set as revision 2 and finds it in the history; a save over a revision
 * someone else saved meanwhile is refused with who and when, and reloads;
 * a dry run over the recorded history shows per-rule counts.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AlertRulesAnswer } from '@shared/schemas/alert-rules'
import type { WallHarness } from './harness'
import { closePagesAfterEach, screenshotDir, startWallHarness } from './harness'

const SCREEN = { viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' }
const RULE = 'air.station.aqi-150'

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

/** A request from the signed-in page (its cookie and CSRF token): the status and the body. */
async function call(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number, body: unknown }> {
  return page.evaluate(async ({ method, path, body }) => {
    const session = await (await fetch('/api/auth/session')).json() as { csrfToken: string }
    const res = await fetch(path, { method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken }, body: body === undefined ? undefined : JSON.stringify(body) })
    return { status: res.status, body: await res.json() as unknown }
  }, { method, path, body })
}

const storedRules = async (page: Page): Promise<AlertRulesAnswer> => AlertRulesAnswer.parse((await call(page, 'GET', '/api/alert-rules')).body)

describe('the alert rules admin screen, in Chromium against the real server', () => {
  let h: WallHarness
  let base: string
  let password: string

  beforeAll(async () => {
    h = await startWallHarness()
    base = h.server.url
    mkdirSync(screenshotDir, { recursive: true })
    password = (await h.server.auth.admin.createUser(null, { username: 'rules-admin', displayName: '规则管理员', roles: ['admin'], departmentId: null }, { mustChangePassword: false })).password
  })
  afterAll(async () => {
    await h?.close()
  })
  closePagesAfterEach(() => h?.browser)

  it('edits a threshold, refuses an invalid value at its field, saves revision 2, shows a stale save and a dry run', async () => {
    const page = await h.browser.newPage(SCREEN)
    const errors = watchErrors(page)
    await signIn(page, base, 'rules-admin', password)
    await page.getByTestId('nav-alert-rules').click()
    await page.waitForURL(`${base}/admin/alert-rules`)

    // The list, grouped by domain, says each condition in words.
    const row = page.locator(`[data-testid="rule-row"][data-rule="${RULE}"]`)
    expect(await row.getByTestId('rule-words').textContent()).toBe('站点 AQI > 150 持续 20 分钟，≤ 140 持续 20 分钟后解除')
    expect(await page.locator('[data-domain="air"]').getByTestId('rule-row').count()).toBeGreaterThan(3)
    const initial = await storedRules(page)
    expect(initial.ruleSet.revision).toBe(1)

    // A threshold raised to 160 reads at once in the list.
    await row.getByTestId('rule-edit').click()
    const editor = page.getByTestId('rule-editor')
    await editor.getByTestId('field-value').fill('160')
    await editor.getByTestId('field-clearValue').fill('150')
    await expect.poll(() => row.getByTestId('rule-words').textContent()).toBe('站点 AQI > 160 持续 20 分钟，≤ 150 持续 20 分钟后解除')
    expect(await page.getByTestId('rules-dirty').isVisible()).toBe(true)

    // A negative duration is refused before anything is sent, at its field; the server says the same of it, at the same place.
    await editor.getByTestId('field-forMin').fill('-5')
    await page.getByTestId('rules-save').click()
    const forMin = editor.locator('[data-field="forMin"]')
    await forMin.getByTestId('field-issue').waitFor()
    expect(await forMin.getByTestId('field-issue').textContent()).toMatch(/>=\s*0/)
    expect(await page.getByTestId('rules-invalid').textContent()).toContain('1 处问题')
    expect(await row.getByTestId('rule-issue-count').textContent()).toBe('1 处问题')
    const index = initial.ruleSet.rules.findIndex(r => r.id === RULE)
    const invalid = initial.ruleSet.rules.map((r, i) => (i === index ? { ...r, forMin: -5 } : r))
    const refused = await call(page, 'PUT', '/api/alert-rules', { expectedRevision: 1, rules: invalid })
    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({ issues: [{ path: ['rules', index, 'forMin'] }] })
    expect((await storedRules(page)).ruleSet.revision).toBe(1)

    // Fixed, the issue goes at once; saved as revision 2, at the top of the history.
    await editor.getByTestId('field-forMin').fill('20')
    await expect.poll(() => forMin.getByTestId('field-issue').count()).toBe(0)
    await page.getByTestId('rules-save').click()
    expect(await page.getByTestId('rules-saved').textContent()).toContain('已保存为第 2 版')
    const history = page.locator('[data-testid="rules-history"] tbody tr[data-revision]')
    await expect.poll(() => history.evaluateAll(trs => trs.map(tr => tr.getAttribute('data-revision')))).toEqual(['2', '1'])
    const top = await history.first().innerText()
    expect(top).toContain('当前')
    expect(top).toContain('rules-admin')
    expect(top).toContain(`${initial.ruleSet.rules.length} 条`)
    const v2 = await storedRules(page)
    expect(v2.ruleSet).toMatchObject({ revision: 2, updatedBy: 'rules-admin' })
    expect(v2.ruleSet.rules.find(r => r.id === RULE)).toMatchObject({ value: 160, clearValue: 150, forMin: 20 })

    // Someone else saves revision 3 (one rule switched off) while this editor still holds 2.
    const off = v2.ruleSet.rules.map(r => (r.id === 'halls.max-wait-45' ? { ...r, enabled: false } : r))
    expect((await call(page, 'PUT', '/api/alert-rules', { expectedRevision: 2, rules: off })).status).toBe(200)
    await page.locator('[data-testid="rule-row"][data-rule="traffic.segment.severe"]').getByTestId('rule-enabled').uncheck()
    await page.getByTestId('rules-save').click()
    const conflict = page.getByTestId('rules-conflict')
    await conflict.waitFor()
    const said = await conflict.innerText()
    expect(said).toContain('规则已被 rules-admin')
    expect(said).toContain('保存为第 3 版')
    expect(said).toContain('你的修改基于第 2 版')
    expect(await page.getByTestId('rules-conflict-changes').textContent()).toBe('对方修改了：大厅单人等候 ≥ 45 分钟')
    expect((await storedRules(page)).ruleSet.revision).toBe(3)
    await expect.poll(() => history.count()).toBe(3)

    // Reloading takes revision 3 and drops this editor's change.
    await page.getByTestId('conflict-reload').click()
    await expect.poll(() => page.getByTestId('rules-revision').textContent()).toContain('当前第 3 版')
    expect(await page.getByTestId('rules-conflict').count()).toBe(0)
    expect(await page.locator('[data-rule="halls.max-wait-45"]').getByTestId('rule-enabled').isChecked()).toBe(false)
    expect(await page.locator('[data-rule="traffic.segment.severe"]').getByTestId('rule-enabled').isChecked()).toBe(true)

    // A dry run of the edited set over the recorded history (once the history holds a step): with AQI > 20 at once, every reporting station would have fired.
    const v3rule = (await storedRules(page)).ruleSet.rules.find(r => r.id === RULE)
    await expect.poll(async () => ((await call(page, 'POST', '/api/alert-rules/dry-run', { rules: [v3rule] })).body as { steps?: number }).steps ?? 0, { timeout: 60_000 }).toBeGreaterThan(0)
    await row.getByTestId('rule-edit').click()
    await editor.getByTestId('field-value').fill('20')
    await editor.getByTestId('field-clearValue').fill('10')
    await editor.getByTestId('field-forMin').fill('0')
    expect(await row.getByTestId('rule-words').textContent()).toBe('站点 AQI > 20，≤ 10 持续 20 分钟后解除')
    await page.getByTestId('rules-dry-run').click()
    const dry = page.getByTestId('dry-run')
    await dry.waitFor({ timeout: 60_000 })
    expect(await dry.getByTestId('dry-run-span').textContent()).toMatch(/每 5 分钟评估一次/)
    expect(await dry.getByTestId('dry-run-rule').count()).toBeGreaterThan(0)
    const raised = await dry.locator(`[data-testid="dry-run-rule"][data-rule="${RULE}"]`).getByTestId('dry-run-raised').textContent()
    const listed = await dry.locator(`[data-testid="dry-run-alert"][data-rule="${RULE}"]`).count()
    expect(Number(raised)).toBeGreaterThan(0)
    expect(listed).toBe(Number(raised))
    await page.screenshot({ path: join(screenshotDir, 'alert-rules-admin-1080p.png') })
    // A feed's silence is not in the history: the dry run says so rather than counting nothing.
    expect(await dry.getByTestId('dry-run-not-replayed').textContent()).toContain('数据源中断')

    // One rule alone, from its row: only it is replayed.
    await row.getByTestId('rule-row-dry-run').click()
    await expect.poll(() => dry.getByTestId('dry-run-title').textContent()).toContain('站点中度污染')
    expect(await dry.getByTestId('dry-run-rule').evaluateAll(trs => trs.map(tr => tr.getAttribute('data-rule')))).toEqual([RULE])

    expect(errors).toEqual([])
  }, 180_000)
})
