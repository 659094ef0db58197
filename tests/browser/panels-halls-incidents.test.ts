/**
 * The halls and 12345 panels and the alert ticker on the real wall, against
 * the real server: a simulated city from 09:50 on a working Monday (halls
 * open, orders coming in) at 120× speed. Each panel is checked for live data
 * equal to the server's own answers (GET /api/halls/latest, /api/kpis), the
 * hourly intake against the orders the server stored, and the ticker for an
 * alert published on the server's bus; then the server goes away and every
 * panel says its data stopped.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '@shared/schemas/alerts'
import { alertFixture } from '@shared/schemas/alerts.fixture'
import type { HallReading, HallsSummary } from '@shared/schemas/halls'
import type { Incident } from '@shared/schemas/incidents'
import type { KpiSet } from '@shared/schemas/kpis'
import type { HttpSession } from '@server/auth/auth.support'
import { displaySession, requestJson, userSession } from '@server/auth/auth.support'
import { ensureClientBuilt } from '@server/client-build'
import { Config } from '@server/config'
import { createSimClock } from '@server/feeds/sim-clock'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import { CHROMIUM_ARGS, CHROMIUM_PATH, closePagesAfterEach, screenshotDir, wallUrl } from './harness'

const root = fileURLToPath(new URL('../..', import.meta.url))
const clientDir = join(root, 'dist/client')

/** Monday 2026-11-23 09:50 in Dongguan: every hall open, the 10:00 hour ten simulated minutes away. */
const T0 = Date.parse('2026-11-23T01:50:00.000Z')
/** Two simulated minutes a real second: the 10:00–11:00 hour is over 35 s after the start. */
const SPEED = 120
/** A KPI set every simulated minute: the history the hourly intake is read from has every minute. */
const KPI_INTERVAL_MS = 500
const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS

describe('the halls and 12345 panels and the alert ticker', () => {
  let dir: string
  let server: RunningServer
  let browser: Browser
  let wall: HttpSession
  let operator: HttpSession

  beforeAll(async () => {
    await ensureClientBuilt(root, clientDir, () => {})
    mkdirSync(screenshotDir, { recursive: true })
    dir = mkdtempSync(join(tmpdir(), 'ioc-panels-hi-'))
    const config = Config.parse({
      port: 0,
      host: '127.0.0.1',
      dbFile: join(dir, 'ioc.db'),
      buildClient: false,
      simIntervalMs: 1000,
      simHallIntervalMs: 1000,
      simFaultRate: 0,
      // The ticker shows the alerts this file publishes, and its calm line when there are none: the rules stay off.
      alerts: false,
    })
    server = await startServer(config, { clientDir, clock: createSimClock(SPEED, T0), kpiIntervalMs: KPI_INTERVAL_MS })
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
    wall = await displaySession(server, server.url)
    operator = await userSession(server, server.url, ['operator'])
  })
  closePagesAfterEach(() => browser)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const api = async <T>(path: string, session: HttpSession = wall): Promise<T> => {
    const reply = await requestJson<T>(server.url, 'GET', path, { cookie: session.cookie })
    expect(reply.status, path).toBe(200)
    return reply.body
  }
  const text = async (page: Page, testid: string): Promise<string> => (await page.getByTestId(testid).first().textContent())?.trim() ?? ''
  const attr = async (page: Page, selector: string, name: string): Promise<string> => (await page.locator(selector).first().getAttribute(name)) ?? ''
  const panelState = (page: Page, testid: string): Promise<string | null> => page.getByTestId(testid).first().getAttribute('data-state')

  async function openWall(scene: string, viewport = { width: 1920, height: 1080 }, lang = ''): Promise<{ page: Page, errors: string[] }> {
    const page = await browser.newPage({ viewport })
    // Chromium's software renderer shares 2 cores with the server: the first frame of a wall may take a while.
    page.setDefaultTimeout(90_000)
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.stack ?? err.message))
    await page.goto(await wallUrl(server, `?scene=${scene}&rotate=0${lang}`))
    return { page, errors }
  }

  it('shows the halls\' queues, waits and ratings as the server has them', async () => {
    const { page, errors } = await openWall('halls')
    for (const testid of ['halls-top', 'halls-trend', 'halls-ratings'])
      await expect.poll(() => panelState(page, testid), { timeout: 60_000 }).toBe('live')

    // Waiting by hall: every hall drawn waits as many as the server says, and they are the most waiting.
    await expect.poll(async () => {
      const [drawn, latest] = [JSON.parse(await attr(page, '[data-testid="halls-top"] [data-rows]', 'data-rows') || '[]') as [string, number, string | null][], await api<{ halls: HallReading[] }>('/api/halls/latest')]
      const waiting = new Map(latest.halls.map(h => [h.hallId, h.waiting]))
      const expected = [...waiting.values()].filter(w => w > 0).sort((a, b) => b - a).slice(0, drawn.length)
      return drawn.length >= 5 && drawn.every(([id, n]) => waiting.get(id) === n) && drawn.map(([, n]) => n).join() === expected.join()
    }, { timeout: 30_000 }).toBe(true)

    // 好差评 today: the counts the halls summary holds.
    await expect.poll(async () => {
      const { summary } = await api<{ summary: HallsSummary }>('/api/halls/latest')
      const r = summary.ratingsToday
      const total = r.verySatisfied + r.satisfied + r.basic + r.dissatisfied + r.veryDissatisfied
      const shown = [await text(page, 'halls-ratings-total'), await text(page, 'halls-bad'), await text(page, 'halls-good-rate')]
      return shown.join('|') === [total, r.dissatisfied + r.veryDissatisfied, summary.goodRate === null ? '—' : `${(summary.goodRate * 100).toFixed(1)}%`].join('|')
    }, { timeout: 30_000 }).toBe(true)

    // The mean wait and people waiting now, as the KPIs say, over a line through the day.
    await expect.poll(async () => {
      const kpis = await api<KpiSet>('/api/kpis')
      return [await text(page, 'halls-avg-wait'), await text(page, 'halls-waiting')].join('|') === [kpis.halls.avgWaitMin.value?.toFixed(1), kpis.halls.waiting.value].join('|')
    }, { timeout: 30_000 }).toBe(true)
    await expect.poll(async () => Number(await attr(page, '[data-testid="halls-trend"] [data-points]', 'data-points')), { timeout: 30_000 }).toBeGreaterThan(2)
    await expect.poll(() => page.locator('[data-testid="halls-trend"] canvas').count(), { timeout: 10_000 }).toBeGreaterThan(0)

    await page.screenshot({ path: join(screenshotDir, 'panels-halls-1920x1080.png') })
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows the 12345 categories, departments and on-time figures as the server\'s KPIs have them', async () => {
    const { page, errors } = await openWall('incidents')
    for (const testid of ['incidents-intake', 'incidents-categories', 'incidents-departments', 'incidents-on-time'])
      await expect.poll(() => panelState(page, testid), { timeout: 60_000 }).toBe('live')

    await expect.poll(async () => {
      const kpis = await api<KpiSet>('/api/kpis')
      const i = kpis.incidents
      const drawn = JSON.parse(await attr(page, '[data-testid="incidents-categories"] [data-drawn]', 'data-drawn') || '{}') as { natures?: [string, number][], topics?: [string | null, number][] }
      const departments = JSON.parse(await attr(page, '[data-testid="incidents-departments"] [data-rows]', 'data-rows') || '[]') as [string | null, number][]
      const byNature = i.openByNature as Record<string, number | undefined>
      const byTopic = i.openByTopic as Record<string, number | undefined>
      return (i.open.value ?? 0) > 0
        && await text(page, 'incidents-open') === String(i.open.value)
        && (drawn.natures ?? []).every(([n, c]) => (byNature[n] ?? 0) === c)
        && (drawn.topics ?? []).every(([k, c]) => k === null || byTopic[k] === c)
        && departments.length > 0
        && departments.every(([k, c]) => k === null || i.openByDepartment[k] === c)
        && departments.reduce((sum, [, c]) => sum + c, 0) === i.open.value
        && await text(page, 'incidents-overdue') === String(i.overdue.value)
        && await text(page, 'incidents-closed-today') === String(i.closedToday.value)
        && await text(page, 'incidents-on-time-rate') === (i.onTimeRate.value === null ? '—' : `${(i.onTimeRate.value * 100).toFixed(1)}%`)
    }, { timeout: 30_000 }).toBe(true)

    await page.screenshot({ path: join(screenshotDir, 'panels-incidents-1920x1080.png') })
    expect(errors).toEqual([])
    await page.close()
  })

  it('counts each hour\'s 12345 intake as the orders the server stored for that hour', async () => {
    const { page, errors } = await openWall('incidents')
    const hours = async (): Promise<(number | null)[]> => JSON.parse(await attr(page, '[data-testid="incidents-intake"] [data-today]', 'data-today') || '[]') as (number | null)[]
    const start = Date.parse('2026-11-23T02:00:00.000Z')
    const stored = async (): Promise<number> => {
      const { incidents } = await api<{ incidents: Incident[] }>('/api/incidents?limit=1000', operator)
      return incidents.filter(i => Date.parse(i.reportedAt) >= start && Date.parse(i.reportedAt) < start + HOUR_MS).length
    }
    // 10:00–11:00 is over about 35 s after the start; the wall reads the count at the new hour, and again every
    // 5 simulated minutes for orders that arrive late: the bar comes to equal what the server stored, exactly.
    await expect.poll(async () => (await hours())[10] ?? null, { timeout: 90_000 }).not.toBeNull()
    await expect.poll(async () => ((await hours())[10] ?? Number.NaN) - await stored(), { timeout: 60_000 }).toBe(0)
    const exact = await stored()
    expect(exact).toBeGreaterThan(50)
    // The server started at 09:50: the 09:00 hour shows what the store holds for it, like any ended hour.
    expect((await hours())[9]).toEqual(expect.any(Number))
    console.log(`[panels] 10:00–11:00: ${(await hours())[10]} on the wall, ${exact} stored`)
    expect(errors).toEqual([])
    await page.close()
  })

  it('ticks a published critical alert along the bottom, and a calm line with real figures when there is none', async () => {
    const { page, errors } = await openWall('overview')
    const ticker = page.getByTestId('alert-ticker')
    await expect.poll(() => ticker.getAttribute('data-state'), { timeout: 60_000 }).toBe('live')
    // No alert: the calm line names the orders of the last hour, as many as the server stored.
    await expect.poll(async () => (await page.getByTestId('alert-ticker-calm').textContent()) ?? '', { timeout: 30_000 }).toMatch(/无告警.*近1小时 12345 受理 \d+ 件/)

    const now = new Date(T0).toISOString()
    const alerts: Alert[] = [
      alertFixture({ id: 'test-critical', ruleId: 'hall-queue', domain: 'halls', severity: 'critical', title: '南城街道政务服务中心排队严重', townCode: '441900004', raisedAt: now }),
      alertFixture({ id: 'test-warning', ruleId: 'aqi-high', severity: 'warning', status: 'acknowledged', title: '虎门镇空气质量轻度污染', townCode: '441900129', raisedAt: now }),
    ]
    server.bus.emit('alerts.updated', { alerts, summary: { firing: 1, acknowledged: 1 } })
    await expect.poll(() => ticker.getAttribute('data-count'), { timeout: 30_000 }).toBe('2')
    const first = ticker.locator('[data-alert]').first()
    expect(await first.getAttribute('data-severity')).toBe('critical')
    expect(await first.textContent()).toContain('◆ 严重')
    expect(await first.textContent()).toContain('南城街道政务服务中心排队严重')
    expect(await ticker.locator('[data-alert="test-warning"]').textContent()).toContain('已确认')
    await page.screenshot({ path: join(screenshotDir, 'panels-overview-alert-1920x1080.png') })

    // Resolved: the calm line again.
    server.bus.emit('alerts.updated', { alerts: alerts.map(a => ({ ...a, status: 'resolved' as const, updatedAt: new Date(T0 + MINUTE_MS).toISOString() })), summary: { firing: 0, acknowledged: 0 } })
    await expect.poll(() => ticker.getAttribute('data-count'), { timeout: 30_000 }).toBe('0')
    await page.getByTestId('alert-ticker-calm').waitFor()
    expect(errors).toEqual([])
    await page.close()
  })

  it('reads at 3840×2160 (halls, then 12345)', async () => {
    // One page, stepped with the operator's keys (paused, then →): a second 4K page costs its first frame again.
    const page = await browser.newPage({ viewport: { width: 3840, height: 2160 } })
    page.setDefaultTimeout(90_000)
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.stack ?? err.message))
    await page.goto(await wallUrl(server, '?scene=halls'))
    await expect.poll(() => page.getByTestId('scene-indicator').getAttribute('data-state'), { timeout: 60_000 }).toBe('running')
    await page.keyboard.press('Space')
    await expect.poll(() => page.getByTestId('scene-indicator').getAttribute('data-state')).toBe('paused')
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('32px')
    for (const scene of ['halls', 'incidents'] as const) {
      if (scene === 'incidents')
        await page.keyboard.press('ArrowRight')
      await expect.poll(() => page.locator('.wall').getAttribute('data-scene')).toBe(scene)
      const panels = scene === 'halls' ? ['halls-top', 'halls-trend', 'halls-ratings'] : ['incidents-intake', 'incidents-categories', 'incidents-departments', 'incidents-on-time']
      for (const testid of panels)
        await expect.poll(() => panelState(page, testid), { timeout: 60_000 }).toBe('live')
      await page.screenshot({ path: join(screenshotDir, `panels-${scene}-3840x2160.png`) })
    }
    expect(errors).toEqual([])
    await page.close()
  }, 240_000)

  it('reads in English', async () => {
    const { page, errors } = await openWall('overview')
    await expect.poll(() => panelState(page, 'halls-top'), { timeout: 60_000 }).toBe('live')
    // A display takes its preset's language; an operator switches it from the header.
    await page.locator('.wall-header__lang').click()
    await expect.poll(async () => page.getByTestId('halls-top').textContent()).toContain('Top 10 hall queues')
    expect(await page.getByTestId('halls-ratings').textContent()).toContain('Service ratings today')
    expect(await page.getByTestId('incidents-intake').textContent()).toContain('12345 intake per hour')
    expect(await page.getByTestId('incidents-categories').textContent()).toMatch(/Open orders by category.*Enquiry.*Help.*Complaint/)
    expect(await page.getByTestId('alert-ticker').textContent()).toMatch(/Alerts.*No alerts/)
    await page.screenshot({ path: join(screenshotDir, 'panels-overview-en-1920x1080.png') })
    expect(errors).toEqual([])
    await page.close()
  }, 240_000)

  it('marks every panel and the ticker as interrupted when the server goes away, never "no alerts"', async () => {
    const { page } = await openWall('overview')
    const ticker = page.getByTestId('alert-ticker')
    await expect.poll(() => ticker.getAttribute('data-state'), { timeout: 60_000 }).toBe('live')
    await expect.poll(() => panelState(page, 'halls-top'), { timeout: 60_000 }).toBe('live')
    const now = new Date(T0).toISOString()
    server.bus.emit('alerts.updated', { alerts: [alertFixture({ id: 'test-before-outage', ruleId: 'aqi-high', severity: 'major', title: '中堂镇空气质量中度污染', raisedAt: now })], summary: { firing: 1, acknowledged: 0 } })
    await expect.poll(() => ticker.getAttribute('data-count'), { timeout: 30_000 }).toBe('1')
    await server.close()
    await expect.poll(() => ticker.getAttribute('data-state'), { timeout: 30_000 }).toBe('stale')
    // The interruption is said, the alert last known stays (dimmed), and nothing claims there are no alerts.
    expect(await ticker.textContent()).toMatch(/告警数据中断 自 \d\d:\d\d/)
    expect(await ticker.textContent()).toContain('中堂镇空气质量中度污染')
    expect(await ticker.textContent()).not.toContain('无告警')
    for (const testid of ['halls-top', 'halls-ratings', 'incidents-intake', 'incidents-categories'])
      expect(await panelState(page, testid), testid).toBe('stale')
    await page.screenshot({ path: join(screenshotDir, 'panels-overview-stale-1920x1080.png') })
    await page.close()
  }, 240_000)
})
