/**
 * The leaders' review pages in Chromium against the real server and its
 * simulated city: a leader opens /review, switches the period, opens a town's
 * page from the traffic ranking and a department's page from the 12345
 * league table, and reads the page in English. Names come from the city
 * model; each page shows only the domains its scope has.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CityModel } from '@shared/schemas/city'
import { ReviewPage } from '@shared/schemas/review'
import type { HttpSession } from '@server/auth/auth.support'
import { TEST_ADMIN, userSession } from '@server/auth/auth.support'
import type { WallHarness } from './harness'
import { closePagesAfterEach, screenshotDir, startWallHarness } from './harness'

const LEADER = 'leader-review'

describe('the leaders\' review pages, in Chromium against the real server', () => {
  let h: WallHarness
  let base: string
  let password: string
  let leader: HttpSession
  let city: CityModel

  beforeAll(async () => {
    // Orders are worked by the simulated officers, so departments have rates to rank.
    h = await startWallHarness({ alerts: false, simDispatch: true })
    base = h.server.url
    mkdirSync(screenshotDir, { recursive: true })
    password = (await h.server.auth.admin.createUser(TEST_ADMIN, { username: LEADER, displayName: '李市长', roles: ['leader'], departmentId: null }, { mustChangePassword: false })).password
    leader = await userSession(h.server, base, ['leader'])
    city = CityModel.parse((await leader.get('/api/city')).body)
  }, 180_000)
  afterAll(async () => {
    await h?.close()
  })
  closePagesAfterEach(() => h?.browser)

  /** Today's page as the API answers it, once the simulated city has put towns and departments into it. */
  async function todayWithData(): Promise<ReviewPage> {
    let page: ReviewPage | null = null
    await expect.poll(async () => {
      const res = await leader.get('/api/review?scope=city&range=today')
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      page = ReviewPage.parse(res.body)
      return (page.traffic?.towns.length ?? 0) > 0 && page.hotline.departments.some(d => d.closed > 0)
    }, { timeout: 150_000, interval: 3000 }).toBe(true)
    return page!
  }

  it('answers the contract, and refuses a bad query and a future period', async () => {
    const res = await leader.get('/api/review')
    expect(res.status).toBe(200)
    const page = ReviewPage.parse(res.body)
    expect(page).toMatchObject({ scope: 'city', range: '7d', name: city.name })
    expect((await leader.get('/api/review?range=year')).status).toBe(400)
    expect((await leader.get('/api/review?range=custom&from=2999-01-01&to=2999-01-02')).status).toBe(422)
  })

  it('shows the city, switches the period, opens a town and a department, and speaks English', { timeout: 420_000 }, async () => {
    const api = await todayWithData()
    const page = await h.browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    page.setDefaultTimeout(60_000)
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    await signIn(page, base, password, '/review')

    // The default week: the city's name, the four domains, the period and the one compared.
    await expect.poll(() => page.getByTestId('review-title').textContent()).toBe('东莞市')
    expect(await sections(page)).toEqual(['air', 'traffic', 'halls', 'hotline'])
    expect(await page.getByTestId('review-period-text').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}，对比 (?:\d{4}-)?\d{2}-\d{2} 至 (?:\d{4}-)?\d{2}-\d{2}$/)
    expect(await page.locator('[data-range="7d"]').getAttribute('aria-pressed')).toBe('true')
    expect(await page.locator('[data-section="air"]').textContent()).toContain('AQI（HJ 633-2012 日报）')
    expect(await page.getByTestId('review-breadcrumb').getByTestId('review-to-city').count()).toBe(0)

    // Today: one day, written once with the time it runs to; the address keeps the period.
    await page.locator('[data-range="today"]').click()
    await page.waitForURL(/range=today/)
    await expect.poll(() => page.getByTestId('review-period-text').textContent()).toMatch(/^\d{4}-\d{2}-\d{2}（截至 \d{2}:\d{2}），对比 (?:\d{4}-)?\d{2}-\d{2}/)
    await expect.poll(() => page.getByTestId('review-town-row').count(), { timeout: 60_000 }).toBeGreaterThan(0)
    const resolution = page.locator('[data-section="hotline"] [data-measure="resolution"] [data-testid="review-tile-value"]')
    const closed = api.hotline.counts.closed
    expect(await resolution.textContent()).toMatch(closed > 0 ? /^\d+\.\d%$/ : /^—$/)
    await waitForCharts(page)
    await page.screenshot({ path: join(screenshotDir, 'review-city-1080p.png') })
    await fullPageShot(page, 'review-city-full-1080p.png')

    // A town from the ranking that has had calls today: its own page, the same period, a way back to 全市, no town ranking of its own.
    const calling = new Set(api.hotline.byTown.filter(t => t.count > 0).map(t => t.townCode))
    const ranked = await page.getByTestId('review-town-row').evaluateAll(rows => rows.map(r => r.getAttribute('data-town')))
    const withCalls = ranked.find(code => code !== null && calling.has(code))
    expect(withCalls, `a ranked town among those with calls: ${[...calling].join(', ')}`).toBeDefined()
    const firstTown = page.locator(`[data-testid="review-town-row"][data-town="${withCalls}"]`)
    const code = (await firstTown.getAttribute('data-town'))!
    const townName = city.towns.find(t => t.code === code)!.name
    await firstTown.getByTestId('review-town-link').click()
    await page.waitForURL(`${base}/review/town/${code}?range=today`)
    await expect.poll(() => page.getByTestId('review-title').textContent()).toBe(townName)
    expect(await page.getByTestId('review-to-city').textContent()).toBe('全市')
    expect(await page.getByTestId('review-town-ranking').count()).toBe(0)
    // Its league table: the departments' work in this town.
    await expect.poll(() => page.getByTestId('review-league-row').count(), { timeout: 60_000 }).toBeGreaterThan(0)
    await waitForCharts(page)
    await page.screenshot({ path: join(screenshotDir, 'review-town-1080p.png') })
    await fullPageShot(page, 'review-town-full-1080p.png')

    // Back to the city, then a department from the league table: 12345 only, its own row.
    await page.getByTestId('review-to-city').click()
    await page.waitForURL(`${base}/review?range=today`)
    await expect.poll(() => page.getByTestId('review-title').textContent()).toBe('东莞市')
    const row = page.getByTestId('review-league-row').first()
    await row.waitFor()
    const departmentId = (await row.getAttribute('data-department'))!
    const department = city.departments.find(d => d.id === departmentId)!
    await row.getByTestId('review-department-link').click()
    await page.waitForURL(`${base}/review/dept/${departmentId}?range=today`)
    await expect.poll(() => page.getByTestId('review-title').textContent()).toBe(department.name)
    expect(await sections(page)).toEqual(['hotline'])
    await expect.poll(() => page.getByTestId('review-league-row').evaluateAll(rows => rows.map(r => r.getAttribute('data-department')))).toEqual([departmentId])
    expect(await page.getByTestId('review-department-link').count()).toBe(0)
    await page.screenshot({ path: join(screenshotDir, 'review-dept-1080p.png') })

    // English: the city's English name, the same figures.
    await page.goto(`${base}/review?range=today&lang=en`)
    await expect.poll(() => page.getByTestId('review-title').textContent()).toBe(city.nameEn)
    expect(await page.locator('[data-range="today"]').textContent()).toContain('Today')
    await expect.poll(() => page.getByTestId('review-period-text').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \(until \d{2}:\d{2}\), compared with (?:\d{4}-)?\d{2}-\d{2}/)
    expect(await page.locator('[data-section="air"]').textContent()).toContain('AQI (HJ 633-2012, daily)')
    await waitForCharts(page)
    await page.screenshot({ path: join(screenshotDir, 'review-city-en-1080p.png') })
    expect(errors).toEqual([])
  })
})

async function signIn(page: Page, base: string, password: string, next: string): Promise<void> {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`)
  await page.getByTestId('login-username').fill(LEADER)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(`${base}${next}`)
}

/** The whole page at 1920 wide: the page scrolls inside its main area, so the viewport is made as tall as its content (rem stays 16 px: it follows the width). */
async function fullPageShot(page: Page, name: string): Promise<void> {
  const height = await page.evaluate(() => document.querySelector('.review-view__header')!.clientHeight + document.querySelector('.review-view__main')!.scrollHeight)
  await page.setViewportSize({ width: 1920, height })
  await waitForCharts(page)
  await page.screenshot({ path: join(screenshotDir, name) })
  await page.setViewportSize({ width: 1920, height: 1080 })
}

const sections = (page: Page): Promise<(string | null)[]> =>
  page.getByTestId('review-section').evaluateAll(list => list.map(s => s.getAttribute('data-section')))

/** Charts draw once ECharts has loaded and their box has a size. */
async function waitForCharts(page: Page): Promise<void> {
  await expect.poll(() => page.locator('[data-testid="review-section"] canvas').count(), { timeout: 30_000 }).toBeGreaterThan(0)
}
