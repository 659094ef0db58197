/**
 * A named drill from its page to its after-action summary: a duty officer
 * starts a chemical-smell drill in 沙田 on /drills; the simulated city's
 * calls and the alerts they raise show 「演练」 on the wall, in the alert
 * console and in the dispatch console; the simulated officers work its
 * orders, an officer acknowledges its alerts; the drill is ended from the
 * page and its summary shows the step times, per role, and the key moments.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AlertList } from '@shared/schemas/alerts'
import { DrillDetail, DrillList } from '@shared/schemas/drills'
import type { HttpSession } from '@server/auth/auth.support'
import { TEST_ADMIN, userSession } from '@server/auth/auth.support'
import type { WallHarness } from './harness'
import { closePagesAfterEach, screenshotDir, startWallHarness, wallUrl } from './harness'

const SHATIAN = '441900123'
const DUTY = 'duty-li'
const NAME = '2026年第4季度沙田异味应急演练'

describe('a named drill', () => {
  let h: WallHarness
  let password: string
  let api: HttpSession

  beforeAll(async () => {
    // An hour of the city a minute, the rules every second, the simulated officers at work.
    h = await startWallHarness({ simSpeed: 60, alertEvalMs: 1000, simDispatch: true })
    password = (await h.server.auth.admin.createUser(TEST_ADMIN, { username: DUTY, displayName: '李值班长', roles: ['duty_officer'], departmentId: null }, { mustChangePassword: false })).password
    api = await userSession(h.server, h.server.url, ['duty_officer'])
    mkdirSync(screenshotDir, { recursive: true })
  }, 120_000)
  closePagesAfterEach(() => h?.browser)
  afterAll(async () => {
    await h?.close()
  })

  it('is started from its page, marked 演练 wherever it shows, ended, and summed up', { timeout: 300_000 }, async () => {
    const page = await h.browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    page.on('dialog', dialog => void dialog.accept())
    await signIn(page, h.server.url, password)

    await page.getByTestId('drill-name').fill(NAME)
    await page.getByTestId('drill-kind').selectOption('chemical-smell')
    await page.getByTestId('drill-towns').selectOption([SHATIAN])
    await page.getByTestId('drill-duration').fill('240')
    await page.getByTestId('drill-start').click()
    await expect.poll(() => page.getByTestId('drill-summary-name').textContent(), { timeout: 30_000 }).toBe(NAME)
    expect(await page.getByTestId('drill-summary-status').getAttribute('data-final')).toBe('false')
    const [drill] = DrillList.parse((await api.get('/api/drills')).body).drills
    expect(drill).toMatchObject({ name: NAME, status: 'running', startedBy: DUTY })

    // The drill's alerts raise on its calls and its air; an officer acknowledges them.
    const drillAlerts = async () => AlertList.parse((await api.get('/api/alerts?status=all&limit=500')).body).alerts.filter(a => a.drillId === drill!.id)
    await expect.poll(async () => (await drillAlerts()).length, { timeout: 150_000, interval: 1000 }).toBeGreaterThan(0)

    // The wall: the ticker and the 12345 list mark the drill's alerts and orders.
    const wall = await h.browser.newPage({ viewport: { width: 1920, height: 1080 } })
    wall.on('pageerror', err => errors.push(err.message))
    await wall.goto(await wallUrl(h.server, '?scene=incidents&rotate=0'))
    await wall.locator('.alert-ticker__item[data-alert] [data-mark="drill"]').first().waitFor({ state: 'attached', timeout: 60_000 })
    await wall.locator('[data-testid="incident-feed"] [data-mark="drill"]').first().waitFor({ state: 'attached', timeout: 60_000 })
    // Pictured live (a loaded machine can drop the wall's link for a moment; it reconnects by itself).
    await expect.poll(() => wall.getByTestId('alert-ticker').getAttribute('data-state'), { timeout: 60_000 }).toBe('live')
    await wall.screenshot({ path: join(screenshotDir, 'drill-wall-1080p.png') })
    await wall.close()

    for (const a of (await drillAlerts()).filter(x => x.status === 'firing'))
      await api.request('POST', `/api/alerts/${encodeURIComponent(a.id)}/ack`, {})

    // The alert console and the dispatch console show the mark too.
    await page.goto(`${h.server.url}/alerts`)
    await page.locator('[data-testid="alert-table"] [data-mark="drill"]').first().waitFor({ timeout: 30_000 })
    await page.goto(`${h.server.url}/dispatch`)
    await expect.poll(async () => {
      const detail = DrillDetail.parse((await api.get(`/api/drills/${drill!.id}`)).body)
      return detail.summary.orders.steps.find(s => s.step === 'call_to_dispatch')?.stats.count ?? 0
    }, { timeout: 120_000, interval: 1000 }).toBeGreaterThan(0)
    await page.goto(`${h.server.url}/dispatch`)
    await page.locator('.order-table [data-mark="drill"]').first().waitFor({ timeout: 30_000 })

    // Ended from its page: the summary is the one kept at its end.
    await page.goto(`${h.server.url}/drills`)
    await page.locator(`[data-drill="${drill!.id}"]`).click()
    await page.getByTestId('drill-end').click()
    await expect.poll(() => page.getByTestId('drill-summary-status').getAttribute('data-final'), { timeout: 30_000 }).toBe('true')
    const ended = DrillDetail.parse((await api.get(`/api/drills/${drill!.id}`)).body)
    expect(ended.drill.status).toBe('ended')
    expect(ended.summary.alerts.acknowledged).toBeGreaterThan(0)
    const dispatchRow = page.locator('[data-testid="drill-steps"] [data-step="call_to_dispatch"] td')
    expect(await dispatchRow.nth(1).textContent()).toBe(String(ended.summary.orders.steps[0]!.stats.count))
    expect(await page.locator('[data-testid="drill-by-role"] tbody tr').count()).toBe(ended.summary.alerts.byRole.length + ended.summary.orders.byRole.length)
    await page.locator('[data-testid="drill-timeline"] [data-moment="drill-end"]').waitFor()
    await page.locator('[data-testid="drill-chart"] canvas').waitFor()
    await page.screenshot({ path: join(screenshotDir, 'drill-summary-1080p.png'), fullPage: true })

    expect(errors).toEqual([])
  })
})

async function signIn(page: Page, base: string, password: string): Promise<void> {
  await page.goto(`${base}/login?next=/drills`)
  await page.getByTestId('login-username').fill(DUTY)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(`${base}/drills`)
}
