/**
 * The alert console (/alerts) in Chromium against the real server, signed in
 * as a user who is both operator and duty officer: once an administrator
 * saves two rules that hold for every station and town (through the REST
 * rules API, so the test stays calm: nothing resolves under it), the alerts
 * the server's own engine raises from the simulated city arrive in the list
 * without a reload, filter by severity, and are acknowledged (status and by whom),
 * silenced (the silence listed, the alert marked 静音, then 解除) and turned
 * into a work order (its id shown), with the keyboard and the mouse.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HttpSession } from '@server/auth/auth.support'
import { TEST_ADMIN, userSession } from '@server/auth/auth.support'
import type { WallHarness } from './harness'
import { closePagesAfterEach, screenshotDir, startWallHarness } from './harness'

const SCREEN = { viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' }
const USERNAME = 'duty-li'
/** The engine evaluates on the simulated city's rhythm: its first alerts come within seconds of the rules. */
const FIRST_ALERT_MS = 60_000

/** Rules that hold for every station (警告) and every town (重要) as long as they report: alerts that fire and never clear. */
const STEADY_RULES = [
  { id: 'test.station-aqi', name: '测试：站点 AQI', kind: 'threshold', severity: 'warning', domain: 'air', entityKind: 'station', metric: 'aqi', op: '>=', value: 0 },
  { id: 'test.town-aqi', name: '测试：镇街 AQI', kind: 'threshold', severity: 'major', domain: 'air', entityKind: 'town', metric: 'aqi', op: '>=', value: 0 },
]

/** The administrator replaces the rule set with STEADY_RULES, as the rules screen would. */
async function saveSteadyRules(admin: HttpSession): Promise<void> {
  const current = await admin.get<{ ruleSet: { revision: number } }>('/api/alert-rules')
  expect(current.status).toBe(200)
  const saved = await admin.request('PUT', '/api/alert-rules', { expectedRevision: current.body.ruleSet.revision, rules: STEADY_RULES })
  expect(saved.status, JSON.stringify(saved.body)).toBe(200)
}

function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', err => errors.push(err.message))
  return errors
}

async function signIn(page: Page, base: string, password: string): Promise<void> {
  await page.goto(`${base}/login?next=/alerts`)
  await page.getByTestId('login-username').fill(USERNAME)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(`${base}/alerts`)
}

const rows = (page: Page): Locator => page.getByTestId('alert-row')
const row = (page: Page, id: string): Locator => page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`)

describe('the alert console, in Chromium against the real server', () => {
  let h: WallHarness
  let password: string
  let admin: HttpSession

  beforeAll(async () => {
    h = await startWallHarness({ alertEvalMs: 1000 })
    mkdirSync(screenshotDir, { recursive: true })
    admin = await userSession(h.server, h.server.url, ['admin'])
    password = (await h.server.auth.admin.createUser(TEST_ADMIN, { username: USERNAME, displayName: '李值班', roles: ['operator', 'duty_officer'], departmentId: null }, { mustChangePassword: false })).password
  }, 120_000)
  afterAll(async () => {
    await h?.close()
  })
  closePagesAfterEach(() => h?.browser)

  it('shows the engine\'s alerts live, filters, acknowledges, silences and makes a work order', async () => {
    const page = await h.browser.newPage(SCREEN)
    const errors = watchErrors(page)
    await signIn(page, h.server.url, password)
    expect(await page.getByTestId('alerts-user').textContent()).toContain('李值班')

    // The page is open before the rules are saved: their alerts must arrive by themselves.
    await page.getByTestId('alert-table').waitFor()
    await saveSteadyRules(admin)
    // Both rules' alerts arrive (the default rules' may still be listed beside them until they clear).
    const ruleIds = async (): Promise<string[]> => [...new Set(await rows(page).evaluateAll(els => els.map(e => e.getAttribute('data-rule-id') ?? '')))]
    await expect.poll(ruleIds, { timeout: FIRST_ALERT_MS }).toEqual(expect.arrayContaining(STEADY_RULES.map(r => r.id)))

    // Filter by severity: only the towns' 重要 alerts are left.
    const all = await rows(page).count()
    await page.getByTestId('filter-severity').selectOption('major')
    await expect.poll(async () => new Set(await rows(page).evaluateAll(els => els.map(e => e.getAttribute('data-severity'))))).toEqual(new Set(['major']))
    expect(await ruleIds()).toContain('test.town-aqi')
    expect(await rows(page).count()).toBeLessThan(all)
    await page.getByTestId('filter-reset').click()
    await expect.poll(ruleIds).toContain('test.station-aqi')

    // The keys select: j onto the first row, and the detail pane shows it with its history.
    await page.locator('body').press('j')
    const first = rows(page).first()
    await expect.poll(() => first.getAttribute('aria-selected')).toBe('true')
    const firstId = (await first.getAttribute('data-alert-id'))!
    await page.getByTestId('detail-events').waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('alert-detail').getAttribute('data-alert-id')).toBe(firstId)
    expect(await page.getByTestId('detail-cap').getAttribute('href')).toBe(`/api/alerts/${encodeURIComponent(firstId)}/cap`)
    // ↓ moves on, k comes back.
    await page.locator('body').press('ArrowDown')
    await expect.poll(() => rows(page).nth(1).getAttribute('aria-selected')).toBe('true')
    await page.locator('body').press('k')
    await expect.poll(() => first.getAttribute('aria-selected')).toBe('true')

    // A station's alert to work on.
    const firing = page.locator('[data-testid="alert-row"][data-rule-id="test.station-aqi"][data-status="firing"]').first()
    const id = (await firing.getAttribute('data-alert-id'))!
    await firing.click()
    await expect.poll(() => page.getByTestId('alert-detail').getAttribute('data-alert-id')).toBe(id)

    // 确认 with a comment: the row says acknowledged and by whom; the history has it.
    await page.getByTestId('action-ack').click()
    await page.getByTestId('ack-comment').fill('已通知环保部门')
    await page.getByTestId('ack-submit').click()
    await expect.poll(() => row(page, id).getAttribute('data-status'), { timeout: 15_000 }).toBe('acknowledged')
    expect(await row(page, id).getByTestId('alert-status').innerText()).toMatch(new RegExp(`已确认[\\s\\S]*${USERNAME}`))
    expect(await page.getByTestId('detail-acked').innerText()).toContain(USERNAME)
    await expect.poll(() => page.locator('[data-testid="detail-events"] [data-type="acknowledged"]').count(), { timeout: 15_000 }).toBe(1)

    // 静音 this rule for this entity for 1 h: the silence is listed and the alert, still shown, is marked 静音.
    await page.getByTestId('action-silence').click()
    await page.getByTestId('silence-1h').check()
    await page.getByTestId('silence-comment').fill('现场检修')
    await page.getByTestId('silence-submit').click()
    await page.getByTestId('silence-item').first().waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('silence-list').innerText()).toContain('现场检修')
    await row(page, id).getByTestId('alert-muted').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('detail-muted').innerText()).toContain('静音')

    // 转工单: the new 12345 order's number is shown, in the pane and in the row.
    await page.getByTestId('action-work-order').click()
    await page.getByTestId('work-order-submit').click()
    await expect.poll(() => page.getByTestId('detail-work-order').innerText(), { timeout: 15_000 }).toMatch(/^GJ[-0-9A-Z]+$/)
    const orderId = await page.getByTestId('detail-work-order').innerText()
    expect(await page.getByTestId('action-done').innerText()).toContain(orderId)
    expect(await row(page, id).getByTestId('alert-work-order').innerText()).toBe(orderId)
    expect(await page.getByTestId('action-work-order').isDisabled()).toBe(true)

    await page.screenshot({ path: join(screenshotDir, 'alerts-console-1080p.png') })

    // The a key acknowledges the selected alert at once.
    const other = page.locator('[data-testid="alert-row"][data-rule-id="test.station-aqi"][data-status="firing"]').first()
    const otherId = (await other.getAttribute('data-alert-id'))!
    await other.click()
    await expect.poll(() => page.getByTestId('alert-detail').getAttribute('data-alert-id')).toBe(otherId)
    await page.locator('body').press('a')
    await expect.poll(() => row(page, otherId).getAttribute('data-status'), { timeout: 15_000 }).toBe('acknowledged')

    // 解除 ends the silence.
    await page.getByTestId('silence-end').first().click()
    await expect.poll(() => page.getByTestId('silence-item').count(), { timeout: 15_000 }).toBe(0)

    // The resolved listing comes from REST and still answers with the filters.
    await page.getByTestId('filter-status-resolved').click()
    await expect.poll(async () => (await rows(page).evaluateAll(els => els.map(e => e.getAttribute('data-status')))).every(s => s === 'resolved')).toBe(true)
    expect(errors).toEqual([])
  }, 300_000)
})
