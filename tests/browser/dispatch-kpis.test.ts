/**
 * Work orders in Chromium against the real server (no simulator): 12345
 * calls arrive on a webhook feed, a duty officer and department handlers
 * drive them through REST (dispatch, sign, reply, revisit 满意 / 不满意, a
 * return). The leaders' screen (/dispatch-kpis) shows the figures the API
 * counts, ranks the departments by the rate clicked (below-target ones
 * marked, "—" where nothing was rated); the wall's map detail follows one
 * order from 受理 to 待签收 to 办理中 as the commands are sent, without a reload.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CityModel } from '@shared/schemas/city'
import type { Department } from '@shared/schemas/city'
import { WorkOrderList } from '@shared/schemas/work-order-views'
import type { DispatchCounts, WorkOrder } from '@shared/schemas/work-orders'
import { DispatchKpis } from '@shared/schemas/work-orders'
import type { HttpSession } from '@server/auth/auth.support'
import { TEST_ADMIN, userSession } from '@server/auth/auth.support'
import { hotlineCall, incidentWebhook, sendCommand } from '@server/dispatch/dispatch.support'
import type { WallHarness } from './harness'
import { closePagesAfterEach, screenshotDir, startWallHarness, wallUrl } from './harness'

const hooks = incidentWebhook()
const LEADER = 'leader-wang'

/** Each call at its own place, far enough apart that the map never clusters them at street zoom. */
const PLACES: Record<string, { lng: number, lat: number }> = {
  'KPI-A': { lng: 113.62, lat: 22.92 },
  'KPI-B': { lng: 113.68, lat: 22.95 },
  'KPI-C': { lng: 113.72, lat: 23.0 },
  'KPI-D': { lng: 113.66, lat: 23.04 },
  'KPI-E': { lng: 113.76, lat: 23.03 },
  'KPI-W': { lng: 113.8, lat: 22.97 },
}

const percent = (part: number, whole: number): string => (whole === 0 ? '—' : `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`)

describe('dispatch KPIs and work orders on the wall, in Chromium against the real server', () => {
  let h: WallHarness
  let base: string
  let duty: HttpSession
  let handlers: Record<string, HttpSession>
  let departments: { eco: Department, urban: Department, third: Department }
  let password: string

  beforeAll(async () => {
    h = await startWallHarness({ simulator: false, alerts: false, feeds: [hooks.feedConfig] })
    base = h.server.url
    mkdirSync(screenshotDir, { recursive: true })
    duty = await userSession(h.server, base, ['duty_officer'])
    const city = CityModel.parse((await duty.get('/api/city')).body)
    const eco = city.departments.find(d => d.id.endsWith('-eco-env'))!
    const urban = city.departments.find(d => d.id.endsWith('-urban-mgmt'))!
    const third = city.departments.find(d => d.townCode === undefined && d.id !== eco.id && d.id !== urban.id)!
    departments = { eco, urban, third }
    handlers = Object.fromEntries(await Promise.all([eco, urban, third].map(async d => [d.id, await userSession(h.server, base, ['dept_handler'], d.id)] as const)))
    password = (await h.server.auth.admin.createUser(TEST_ADMIN, { username: LEADER, displayName: '王局长', roles: ['leader'], departmentId: null }, { mustChangePassword: false })).password
  }, 120_000)
  afterAll(async () => {
    await h?.close()
  })
  closePagesAfterEach(() => h?.browser)

  /** Pushes calls and waits until their orders are in the queue; their ids. */
  async function arrive(...tickets: string[]): Promise<string[]> {
    const at = new Date().toISOString()
    await hooks.push(base, tickets.map(no => hotlineCall(no, at, { location: PLACES[no]!, title: `测试工单 ${no}` })))
    const ids = tickets.map(no => `${hooks.id}:${no}`)
    await expect.poll(async () => {
      const list = WorkOrderList.parse((await duty.get('/api/work-orders?state=accepted')).body)
      return ids.every(id => list.items.some(i => i.id === id))
    }, { timeout: 20_000 }).toBe(true)
    return ids
  }

  /** One command that must succeed; the order after it. */
  async function step(who: HttpSession, order: Pick<WorkOrder, 'id' | 'version'>, command: Parameters<typeof sendCommand>[3]): Promise<WorkOrder> {
    const res = await sendCommand(who, order.id, order.version, command)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body.order
  }

  const fresh = (id: string) => ({ id, version: 1 })

  it('shows the city\'s rates as the API counts them, and ranks the departments by the rate clicked', { timeout: 240_000 }, async () => {
    const { eco, urban, third } = departments
    const [a, b, c, d, e] = await arrive('KPI-A', 'KPI-B', 'KPI-C', 'KPI-D', 'KPI-E')
    // A: eco, resolved, 满意 → 办结. B: eco, not resolved, 不满意 → 重办.
    let order = await step(duty, fresh(a!), { action: 'dispatch', departmentId: eco.id })
    order = await step(handlers[eco.id]!, order, { action: 'sign' })
    order = await step(handlers[eco.id]!, order, { action: 'reply', summary: '已责令整改', resolved: true })
    await step(duty, order, { action: 'revisit', satisfaction: 'satisfied' })
    order = await step(duty, fresh(b!), { action: 'dispatch', departmentId: eco.id })
    order = await step(handlers[eco.id]!, order, { action: 'sign' })
    order = await step(handlers[eco.id]!, order, { action: 'reply', summary: '暂未解决', resolved: false })
    expect((await step(duty, order, { action: 'revisit', satisfaction: 'unsatisfied', note: '仍有气味' })).state).toBe('in_progress')
    // C: urban returns it. D: urban closes it unresolved (基本满意): 解决率 0 %, below target.
    order = await step(duty, fresh(c!), { action: 'dispatch', departmentId: urban.id })
    expect((await step(handlers[urban.id]!, order, { action: 'return', reason: '不属本单位职责' })).state).toBe('returned')
    order = await step(duty, fresh(d!), { action: 'dispatch', departmentId: urban.id })
    order = await step(handlers[urban.id]!, order, { action: 'sign' })
    order = await step(handlers[urban.id]!, order, { action: 'reply', summary: '已协调', resolved: false })
    await step(duty, order, { action: 'revisit', satisfaction: 'basic' })
    // E: the third department signs and has closed nothing: nothing to rate.
    order = await step(duty, fresh(e!), { action: 'dispatch', departmentId: third.id })
    await step(handlers[third.id]!, order, { action: 'sign' })

    const api = DispatchKpis.parse((await duty.get('/api/dispatch/kpis')).body)
    const city: DispatchCounts = api.city
    expect(city).toMatchObject({ dispatched: 5, closed: 2, resolved: 1, revisited: 3, satisfied: 2, returned: 1, reopened: 1 })

    const page = await h.browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    await signIn(page, base, password)
    await page.getByTestId('kpi-tiles').waitFor()

    const tile = (rate: string) => page.locator(`[data-testid="kpi-tile"][data-rate="${rate}"]`)
    expect(await tile('closeOnTime').getByTestId('kpi-value').textContent()).toBe(percent(city.closedOnTime, city.closed))
    expect(await tile('closeOnTime').getByTestId('kpi-parts').textContent()).toBe(`按时办结 ${city.closedOnTime} / 办结 ${city.closed}`)
    expect(await tile('resolution').getByTestId('kpi-value').textContent()).toBe(percent(city.resolved, city.closed))
    expect(await tile('resolution').getByTestId('kpi-target').textContent()).toContain('低于目标')
    expect(await tile('satisfaction').getByTestId('kpi-value').textContent()).toBe(percent(city.satisfied, city.revisited))
    expect(await tile('returns').getByTestId('kpi-value').textContent()).toBe(percent(city.returned, city.dispatched))
    expect(await tile('reopens').getByTestId('kpi-value').textContent()).toBe(percent(city.reopened, city.revisited))
    expect(await tile('signOnTime').getByTestId('kpi-value').textContent()).toBe(percent(city.signedOnTime, city.signed))

    // Ranked by 解决率, best first: eco 100 %, urban 0 % (marked below target), the third with nothing closed last ("—").
    await page.locator('[data-sort-key="resolution"]').click()
    const order1 = await rankedIds(page)
    expect(order1).toEqual([eco.id, urban.id, third.id])
    const row = (id: string) => page.locator(`[data-testid="kpi-ranking-row"][data-department="${id}"]`)
    expect(await row(urban.id).getAttribute('data-below-target')).toBe('true')
    expect(await row(urban.id).getByTestId('kpi-below-target').textContent()).toContain('低于目标')
    expect(await row(eco.id).getByTestId('kpi-below-target').count()).toBe(0)
    expect(await row(third.id).locator('[data-rate="resolution"] .kpi-ranking__value').textContent()).toBe('—')
    expect(await row(third.id).locator('[data-rate="closeOnTime"] .kpi-ranking__value').textContent()).toBe('—')
    // Names as the city model has them, without the city's own name in front.
    expect(await row(urban.id).getByTestId('kpi-department-name').textContent()).toBe(urban.name.replace(/^东莞市/, ''))
    // Clicked again: lowest first; "—" stays last.
    await page.locator('[data-sort-key="resolution"]').click()
    expect(await rankedIds(page)).toEqual([urban.id, eco.id, third.id])
    // By 满意率: urban 100 % (1 of 1), eco 50 % (1 of 2).
    await page.locator('[data-sort-key="satisfaction"]').click()
    expect((await rankedIds(page)).slice(0, 2)).toEqual([urban.id, eco.id])
    expect(await row(eco.id).locator('[data-rate="satisfaction"] .kpi-ranking__value').textContent()).toBe(percent(1, 2))

    await expect.poll(() => page.locator('[data-testid="kpi-chart"] canvas').count(), { timeout: 20_000 }).toBeGreaterThan(0)
    await page.screenshot({ path: join(screenshotDir, 'dispatch-kpis-1080p.png') })

    // Today has the same orders; English speaks the same figures.
    await page.locator('[data-period="today"]').click()
    await expect.poll(() => tile('closeOnTime').getByTestId('kpi-value').textContent()).toBe(percent(city.closedOnTime, city.closed))
    expect(errors).toEqual([])
  })

  it('follows an order on the wall: 受理, then 待签收, then 办理中, as commands are sent', { timeout: 240_000 }, async () => {
    const { eco } = departments
    const [id] = await arrive('KPI-W')
    const page = await h.browser.newPage({ viewport: { width: 3840, height: 2160 }, locale: 'zh-CN' })
    page.setDefaultTimeout(90_000)
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    await page.goto(await wallUrl(h.server, '?scene=incidents&rotate=0'))
    await page.waitForFunction(() => window.__iocMapProbe?.ready() === true, undefined, { timeout: 90_000 })

    // Street zoom at the call's place, then a click on its point opens its detail.
    const place = PLACES['KPI-W']!
    await page.evaluate(([lng, lat]) => window.__iocMap!.jumpTo({ center: [lng, lat], zoom: 15 }), [place.lng, place.lat] as [number, number])
    await page.waitForFunction(wanted => (window.__iocMap?.queryRenderedFeatures({ layers: ['incident-points'] }) ?? []).some(f => f.properties.id === wanted), id, { timeout: 60_000 })
    const box = await page.getByTestId('city-map').boundingBox()
    const at = await page.evaluate(([lng, lat]) => window.__iocMap!.project([lng, lat]), [place.lng, place.lat] as [number, number])
    await page.mouse.click(box!.x + at.x, box!.y + at.y)
    const detail = page.getByTestId('map-detail')
    await detail.waitFor({ timeout: 15_000 })
    expect(await detail.getAttribute('data-id')).toBe(id)
    const state = detail.locator('[data-row="work-order-state"]')
    await expect.poll(() => state.textContent()).toContain('受理')

    let order = await step(duty, fresh(id!), { action: 'dispatch', departmentId: eco.id })
    await expect.poll(() => state.textContent(), { timeout: 15_000 }).toContain('待签收')
    expect(await detail.locator('[data-row="work-order-department"]').textContent()).toContain('生态环境局')
    order = await step(handlers[eco.id]!, order, { action: 'sign' })
    await expect.poll(() => state.textContent(), { timeout: 15_000 }).toContain('办理中')
    await step(duty, order, { action: 'supervise', note: '请加快办理' })
    await expect.poll(() => state.textContent(), { timeout: 15_000 }).toContain('办理中 · 催办')

    await page.getByTestId('city-map').screenshot({ path: join(screenshotDir, 'wall-map-detail-workorder-2160p.png') })
    await page.locator('[data-panel="incidents.feed"]').screenshot({ path: join(screenshotDir, 'wall-incidents-workorders-2160p.png') })
    expect(errors).toEqual([])
  })
})

async function signIn(page: Page, base: string, password: string): Promise<void> {
  await page.goto(`${base}/login?next=/dispatch-kpis`)
  await page.getByTestId('login-username').fill(LEADER)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(`${base}/dispatch-kpis`)
}

const rankedIds = (page: Page): Promise<(string | null)[]> =>
  page.getByTestId('kpi-ranking-row').evaluateAll(rows => rows.map(r => r.getAttribute('data-department')))
