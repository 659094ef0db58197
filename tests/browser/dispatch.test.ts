/**
 * The dispatch screens in Chromium against the real server (no simulator,
 * 12345 calls from a signed webhook feed): a call arrives and the duty
 * officer sees it in /dispatch without a reload, dispatches it by keyboard
 * to the suggested department; the department's handler (a second browser
 * context) sees it in /inbox, signs and replies; the officer revisits 满意
 * and it is closed. A wall open in a third context (its 12345 scene)
 * shows the order's state in its incident list at each step. Then a conflict
 * (another officer acted first: 「工单已被他人更新」) and a command whose
 * answer is lost on the way back: retried with the same commandId, it
 * applies once.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CityModel } from '@shared/schemas/city'
import type { WorkOrderDetail } from '@shared/schemas/work-order-views'
import type { HttpSession } from '@server/auth/auth.support'
import { TEST_ADMIN, userSession } from '@server/auth/auth.support'
import { hotlineCall, incidentWebhook, sendCommand } from '@server/dispatch/dispatch.support'
import type { WallHarness } from './harness'
import { closePagesAfterEach, screenshotDir, startWallHarness, wallUrl } from './harness'

const SCREEN = { viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' }
const LIVE_MS = 20_000

function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', err => errors.push(err.message))
  return errors
}

async function signIn(browser: Browser, base: string, username: string, password: string, path: string): Promise<{ page: Page, errors: string[] }> {
  const page = await (await browser.newContext(SCREEN)).newPage()
  const errors = watchErrors(page)
  await page.goto(`${base}/login?next=${path}`)
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(`${base}${path}`)
  await page.getByTestId('order-table').waitFor()
  return { page, errors }
}

const row = (page: Page, ticket: string): Locator => page.locator('[data-testid="order-row"]', { hasText: ticket })

/** The order's state as the wall's 12345 list shows it (its row's work state), null while the row is not there. */
const wallState = (wall: Page, id: string): Promise<string | null> =>
  wall.locator(`[data-testid="incident-feed"] [data-incident="${id}"] [data-testid="incident-state"]`).getAttribute('data-work-state', { timeout: 1000 }).catch(() => null)

async function submitForm(page: Page): Promise<void> {
  await page.getByTestId('form-submit').click()
  await page.getByTestId('action-said').waitFor({ timeout: 15_000 })
}

describe('the dispatch console and the department inbox, in Chromium against the real server', () => {
  const hooks = incidentWebhook()
  let h: WallHarness
  let admin: HttpSession
  let otherOfficer: HttpSession
  let departmentId: string
  const passwords: Record<string, string> = {}

  beforeAll(async () => {
    h = await startWallHarness({ simulator: false, alerts: false, feeds: [hooks.feedConfig] })
    mkdirSync(screenshotDir, { recursive: true })
    admin = await userSession(h.server, h.server.url, ['admin'])
    otherOfficer = await userSession(h.server, h.server.url, ['duty_officer'])
    const city = (await admin.get<CityModel>('/api/city')).body
    // Where routing sends an environment call in town 441900123: the handler belongs there.
    const routed = city.routing.environment
    departmentId = routed === 'town' ? city.departments.find(d => d.townCode === '441900123')!.id : routed
    const make = async (username: string, displayName: string, roles: ('duty_officer' | 'dept_handler')[], dept: string | null): Promise<void> => {
      passwords[username] = (await h.server.auth.admin.createUser(TEST_ADMIN, { username, displayName, roles, departmentId: dept }, { mustChangePassword: false })).password
    }
    await make('duty-wang', '王值班', ['duty_officer'], null)
    await make('handler-chen', '陈办理', ['dept_handler'], departmentId)
  }, 180_000)
  afterAll(async () => {
    await h?.close()
  })
  closePagesAfterEach(() => h?.browser)

  it('takes a 12345 call from intake to close across the console, the inbox and the wall', async () => {
    const base = h.server.url
    const duty = await signIn(h.browser, base, 'duty-wang', passwords['duty-wang']!, '/dispatch')
    const wall = await (await h.browser.newContext(SCREEN)).newPage()
    const wallErrors = watchErrors(wall)
    await wall.goto(await wallUrl(h.server, '?scene=incidents&rotate=0'))

    // The call arrives while the console is open: its row appears by itself.
    await hooks.push(base, [hotlineCall('202612040001', new Date().toISOString())])
    const order = row(duty.page, '202612040001')
    await order.waitFor({ timeout: LIVE_MS })
    expect(await order.getAttribute('data-state')).toBe('accepted')
    expect(await order.getByTestId('order-state').innerText()).toBe('受理')
    const id = (await order.getAttribute('data-order-id'))!
    await expect.poll(() => wallState(wall, id), { timeout: LIVE_MS }).toBe('accepted')

    // j onto it, Enter opens it: the suggestion names the handler's department.
    await duty.page.locator('body').press('j')
    await duty.page.locator('body').press('Enter')
    await duty.page.getByTestId('order-detail').waitFor({ timeout: 15_000 })
    const suggested = await duty.page.getByTestId('suggestion-department').innerText()
    expect(suggested.length).toBeGreaterThan(0)
    expect(await duty.page.locator('[data-testid="timeline-entry"][data-action="create"]').count()).toBe(1)
    // Where it is: the call's own location on the city's outline.
    expect(await duty.page.getByTestId('locator-here').getAttribute('data-exact')).toBe('true')

    // d asks to confirm the suggested department; Enter on the confirm button sends it.
    await duty.page.locator('body').press('d')
    await duty.page.locator('[data-testid="action-form"][data-action="quick"]').waitFor()
    expect(await duty.page.getByTestId('quick-confirm-text').innerText()).toContain(suggested)
    await duty.page.getByTestId('form-submit').press('Enter')
    await expect.poll(() => order.getAttribute('data-state'), { timeout: 15_000 }).toBe('dispatched')
    expect(await duty.page.getByTestId('action-said-title').innerText()).toContain('待签收')
    expect(await duty.page.getByTestId('detail-department').innerText()).toBe(suggested)
    await expect.poll(() => wallState(wall, id), { timeout: LIVE_MS }).toBe('dispatched')
    await duty.page.screenshot({ path: join(screenshotDir, 'dispatch-console-1080p.png') })

    // The department's handler finds it in the inbox, signs and replies.
    const handler = await signIn(h.browser, base, 'handler-chen', passwords['handler-chen']!, '/inbox')
    const inboxRow = row(handler.page, '202612040001')
    await inboxRow.waitFor({ timeout: 15_000 })
    expect(await inboxRow.getByTestId('order-state').innerText()).toBe('待签收')
    await inboxRow.click()
    await handler.page.getByTestId('action-sign').click()
    await submitForm(handler.page)
    await expect.poll(() => inboxRow.getAttribute('data-state'), { timeout: 15_000 }).toBe('in_progress')
    await expect.poll(() => wallState(wall, id), { timeout: LIVE_MS }).toBe('in_progress')
    await wall.screenshot({ path: join(screenshotDir, 'wall-incidents-workorder-1080p.png'), timeout: 90_000 })
    await expect.poll(() => order.getAttribute('data-state'), { timeout: LIVE_MS }).toBe('in_progress')

    await handler.page.getByTestId('action-reply').click()
    await handler.page.getByTestId('form-text').fill('已到现场核查，责令工厂整改，气味已消除。')
    await handler.page.getByTestId('form-resolved').check()
    await submitForm(handler.page)
    await expect.poll(() => inboxRow.getAttribute('data-state'), { timeout: 15_000 }).toBe('pending_revisit')
    await handler.page.screenshot({ path: join(screenshotDir, 'dispatch-inbox-1080p.png') })
    await expect.poll(() => wallState(wall, id), { timeout: LIVE_MS }).toBe('pending_revisit')

    // The officer's console follows live; r opens the revisit form: 满意 closes it.
    await expect.poll(() => order.getAttribute('data-state'), { timeout: LIVE_MS }).toBe('pending_revisit')
    await duty.page.locator('body').press('r')
    await duty.page.locator('[data-testid="action-form"][data-action="revisit"]').waitFor({ timeout: 15_000 })
    await duty.page.getByTestId('form-satisfaction-satisfied').check()
    await duty.page.getByTestId('form-note').fill('市民表示满意')
    await submitForm(duty.page)
    await expect.poll(() => order.getAttribute('data-state'), { timeout: 15_000 }).toBe('closed')
    await expect.poll(() => wallState(wall, id), { timeout: LIVE_MS }).toBe('closed')
    await expect.poll(() => duty.page.locator('[data-testid="timeline-entry"]').evaluateAll(els => els.map(e => e.getAttribute('data-action'))), { timeout: 15_000 })
      .toEqual(['create', 'dispatch', 'sign', 'reply', 'revisit'])
    expect(await duty.page.getByTestId('detail-timeline').innerText()).toContain('满意')

    expect([...duty.errors, ...handler.errors, ...wallErrors]).toEqual([])
  }, 300_000)

  it('says 「工单已被他人更新」 when another officer acted first, and applies a retried command once', async () => {
    const base = h.server.url
    await hooks.push(base, [hotlineCall('202612040002', new Date().toISOString(), { title: '小区路灯不亮', topic: 'city-management' })])
    const duty = await signIn(h.browser, base, 'duty-wang', passwords['duty-wang']!, '/dispatch')
    const order = row(duty.page, '202612040002')
    await order.waitFor({ timeout: LIVE_MS })
    const id = (await order.getAttribute('data-order-id'))!
    await order.click()
    await duty.page.getByTestId('order-detail').waitFor({ timeout: 15_000 })

    // The officer opens the dispatch form on version 1; another officer dispatches first.
    await duty.page.getByTestId('action-dispatch').click()
    const seen = (await otherOfficer.get<WorkOrderDetail>(`/api/work-orders/${encodeURIComponent(id)}`)).body
    const first = await sendCommand(otherOfficer, id, seen.incident.handling.version, { action: 'dispatch', departmentId: seen.suggestion.departmentId })
    expect(first.status).toBe(200)
    await expect.poll(() => order.getAttribute('data-state'), { timeout: LIVE_MS }).toBe('dispatched')
    await submitForm(duty.page)
    expect(await duty.page.getByTestId('action-said-title').innerText()).toBe('工单已被他人更新')
    expect(await duty.page.getByTestId('action-said-detail').innerText()).toContain('待签收')
    await expect.poll(() => duty.page.getByTestId('detail-state').innerText(), { timeout: 15_000 }).toBe('待签收')

    // s (supervise): the first answer is lost on the way back; the page sends the same commandId again.
    const sent: string[] = []
    await duty.page.route('**/api/work-orders/*/commands', async (route) => {
      sent.push((route.request().postDataJSON() as { commandId: string }).commandId)
      const response = await route.fetch()
      if (sent.length === 1)
        await route.abort('failed')
      else
        await route.fulfill({ response })
    })
    await duty.page.locator('body').press('s')
    await duty.page.locator('[data-testid="action-form"][data-action="supervise"]').waitFor({ timeout: 15_000 })
    await duty.page.getByTestId('form-note').fill('请尽快处理')
    await submitForm(duty.page)
    expect(await duty.page.getByTestId('action-said').getAttribute('data-tone')).toBe('ok')
    expect(sent).toHaveLength(2)
    expect(sent[1]).toBe(sent[0])
    const after = (await otherOfficer.get<WorkOrderDetail>(`/api/work-orders/${encodeURIComponent(id)}`)).body
    expect(after.incident.handling.supervision).toBe(1)
    expect(after.timeline.filter(e => e.action === 'supervise')).toHaveLength(1)
    await expect.poll(() => duty.page.getByTestId('detail-supervision').innerText(), { timeout: 15_000 }).toBe('催办')
    expect(duty.errors).toEqual([])
  }, 300_000)
})
