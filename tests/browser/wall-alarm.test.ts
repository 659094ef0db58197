/**
 * The wall's audible alarm in Chromium against the real server: a new
 * critical alert sounds at once and again after the repeat interval (short
 * here: `?alarmRepeatS=`), stops once acknowledged, stays silent while
 * muted (M, remembered across a reload); a major alert chimes once. The
 * takeover times the alert on the server's simulated clock, and a browser
 * that holds sound until a gesture says so on the wall. Chimes are counted
 * by the page's probe (window.__iocAlarmProbe): headless Chromium has no
 * speaker, but its AudioContext runs and plays all the same.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '@shared/schemas/alerts'
import { alertFixture } from '@shared/schemas/alerts.fixture'
import type { WallHarness } from './harness'
import { closePagesAfterEach, launchKioskChromium, screenshotDir, startWallHarness, wallUrl } from './harness'

const SIM_SPEED = 60
const REPEAT_S = 6
/** Longer than the repeat interval: a silence this long means the alarm stopped. */
const QUIET_MS = (REPEAT_S + 2) * 1000
const SHATIAN = '441900123'

describe('the wall alarm', () => {
  let h: WallHarness
  /** Chromium as kiosk walls run it: sound without a gesture (playwright passes that flag by default too). */
  let kiosk: Browser
  /** No later than the server's simulated clock started: raisedAt from it is never in the server's future. */
  let simStartedBy = 0

  beforeAll(async () => {
    // No alert rules: the alerts on this wall are the test's own (and so are its chimes).
    h = await startWallHarness({ simSpeed: SIM_SPEED, alerts: false })
    simStartedBy = Date.now()
    kiosk = await launchKioskChromium()
    mkdirSync(screenshotDir, { recursive: true })
  }, 120_000)
  closePagesAfterEach(() => kiosk)
  afterAll(async () => {
    await kiosk?.close()
    await h?.close()
  })

  /** The server's simulated now, at most a couple of simulated minutes behind it (the server started a moment before). */
  const simNow = (): string => new Date(simStartedBy + (Date.now() - simStartedBy) * SIM_SPEED).toISOString()
  const emit = (alerts: Alert[]): void => {
    h.server.bus.emit('alerts.updated', {
      alerts,
      summary: { firing: alerts.filter(a => a.status === 'firing').length, acknowledged: alerts.filter(a => a.status === 'acknowledged').length },
    })
  }
  const chimes = (page: Page): Promise<{ critical: number, major: number }> =>
    page.evaluate(() => window.__iocAlarmProbe?.chimes() ?? { critical: -1, major: -1 })

  async function openWall(browser: Browser, query: string): Promise<{ page: Page, errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    const errors: string[] = []
    page.on('pageerror', e => errors.push(e.message))
    await page.goto(await wallUrl(h.server, query))
    await ready(page)
    return { page, errors }
  }
  /** The alerts stream's first snapshot came (the ticker is live) and the alarm is mounted. */
  async function ready(page: Page): Promise<void> {
    await expect.poll(() => page.getByTestId('alert-ticker').getAttribute('data-state'), { timeout: 30_000 }).toBe('live')
    await expect.poll(() => page.evaluate(() => window.__iocAlarmProbe?.state() ?? 'absent'), { timeout: 15_000 }).not.toBe('absent')
    // The ticker reads the stream itself; the alarm takes the first snapshot at the next UI tick, as the map's watch does.
    await page.waitForFunction(() => window.__iocMapProbe?.alertsReady() === true, undefined, { timeout: 30_000 })
  }

  it('sounds a new critical alert at once and on repeat, stops once acknowledged, keeps quiet when muted by M', { timeout: 240_000 }, async () => {
    const { page, errors } = await openWall(kiosk, `?scene=overview&rotate=0&alarmRepeatS=${REPEAT_S}`)
    expect(await page.evaluate(() => window.__iocAlarmProbe!.state())).toBe('running')
    expect(await page.getByTestId('alarm-gesture-hint').count()).toBe(0)
    expect(await page.getByTestId('alarm-toggle').getAttribute('data-enabled')).toBe('true')
    expect(await chimes(page)).toEqual({ critical: 0, major: 0 })
    await page.getByTestId('sim-clock').waitFor({ timeout: 30_000 })

    const raisedAt = simNow()
    const fire = alertFixture({ id: 'drill:fire-shatian', ruleId: 'hotline.cluster', domain: 'hotline', severity: 'critical', title: '沙田镇 12345 集中反映火情', townCode: SHATIAN, raisedAt, updatedAt: raisedAt, escalationLevel: 1 })
    const smog = alertFixture({ id: 'drill:pm25', severity: 'major', title: '莞城站 PM2.5 重度污染', raisedAt, updatedAt: raisedAt, muted: true })
    const jam = alertFixture({ id: 'drill:jam', domain: 'traffic', severity: 'warning', title: '东莞大道严重拥堵', raisedAt, updatedAt: raisedAt, status: 'acknowledged', acknowledgedBy: 'duty01', acknowledgedAt: raisedAt })
    const emittedAt = await page.evaluate(() => window.__iocAlarmProbe!.audioNow())
    emit([fire, smog, jam])
    const ticker = page.getByTestId('alert-ticker')
    await ticker.locator(`[data-alert="${fire.id}"]`).waitFor({ timeout: 30_000 })

    // At once, then again after the repeat interval; the muted major one never. Timed on the audio
    // device's own timeline, not by the test's polling: a loaded machine may look late, the page is not.
    await expect.poll(() => chimes(page).then(c => c.critical), { timeout: REPEAT_S * 1000 + 15_000 }).toBeGreaterThanOrEqual(2)
    expect((await chimes(page)).major).toBe(0)
    const log = await page.evaluate(() => window.__iocAlarmProbe!.log())
    expect(log.every(c => c.kind === 'critical')).toBe(true)
    // The first chime within the wall's next ticks of the alert's arrival, well before a repeat would be due.
    expect(log[0]!.at - emittedAt).toBeLessThan(REPEAT_S - 1)
    // Never sooner than the interval (the wall ticks once a second).
    for (let i = 1; i < log.length; i++)
      expect(log[i]!.at - log[i - 1]!.at).toBeGreaterThan(REPEAT_S - 0.5)

    // The ticker says who acknowledged, what is muted and what escalated.
    await expect.poll(() => ticker.locator(`[data-alert="${fire.id}"] [data-mark="escalated"]`).count()).toBe(1)
    expect(await ticker.locator(`[data-alert="${smog.id}"] [data-mark="muted"]`).textContent()).toBe('静音')
    expect(await ticker.locator(`[data-alert="${jam.id}"] [data-mark="acknowledged"]`).textContent()).toContain('duty01')

    // The takeover times the alert on the server's clock: minutes, not the hundreds of hours the browser's clock gave.
    const takeover = page.getByTestId('alert-takeover')
    await takeover.waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('takeover-escalated').textContent()).toBe('已升级')
    const elapsedS = async (): Promise<number> => {
      const text = (await page.getByTestId('takeover-elapsed').textContent()) ?? ''
      const parts = text.split(':').map(Number)
      return parts.length >= 2 && parts.every(Number.isFinite) ? parts.reduce((s, p) => s * 60 + p, 0) : -1
    }
    await expect.poll(elapsedS, { timeout: 30_000 }).toBeGreaterThan(0)
    expect(await elapsedS()).toBeLessThan(3600)
    await page.waitForTimeout(1_500)
    await page.screenshot({ path: join(screenshotDir, 'wall-alarm-1080p.png'), timeout: 90_000 })

    // Acknowledged: silent from then on.
    emit([{ ...fire, status: 'acknowledged', acknowledgedBy: 'duty01', acknowledgedAt: simNow(), updatedAt: simNow() }])
    await takeover.waitFor({ state: 'detached', timeout: 15_000 })
    const afterAck = await chimes(page)
    await page.waitForTimeout(QUIET_MS)
    expect(await chimes(page)).toEqual(afterAck)

    // M mutes: a new critical alert stays silent, and stays so after a reload (the choice is this browser's).
    await page.keyboard.press('m')
    await expect.poll(() => page.getByTestId('alarm-toggle').getAttribute('data-enabled')).toBe('false')
    const flood = alertFixture({ id: 'drill:flood', domain: 'cross', severity: 'critical', title: '虎门镇内涝', raisedAt: simNow(), updatedAt: simNow() })
    emit([flood])
    await page.locator(`[data-testid="alert-ticker"] [data-alert="${flood.id}"]`).waitFor({ timeout: 15_000 })
    await page.waitForTimeout(QUIET_MS)
    expect(await chimes(page)).toEqual(afterAck)
    await page.reload()
    await ready(page)
    expect(await page.evaluate(() => window.__iocAlarmProbe!.enabled())).toBe(false)
    // The server's snapshot holds only what its engine raised (none here): the test's alert is said again, as the engine would keep it.
    emit([flood])
    await page.locator(`[data-testid="alert-ticker"] [data-alert="${flood.id}"]`).waitFor({ timeout: 15_000 })
    await page.waitForTimeout(QUIET_MS)
    expect(await chimes(page)).toEqual({ critical: 0, major: 0 })

    // Unmuted (the header's speaker this time): the unacknowledged alert sounds at once.
    await page.getByTestId('alarm-toggle').click()
    await expect.poll(() => chimes(page), { timeout: 10_000 }).toEqual({ critical: 1, major: 0 })

    // A major alert chimes once, short, and never again.
    emit([{ ...flood, status: 'resolved', resolvedAt: simNow(), updatedAt: simNow() }, alertFixture({ id: 'drill:hall-wait', domain: 'halls', severity: 'major', title: '市民服务中心等候超时', raisedAt: simNow(), updatedAt: simNow() })])
    await expect.poll(() => chimes(page), { timeout: 10_000 }).toEqual({ critical: 1, major: 1 })
    await page.waitForTimeout(QUIET_MS)
    expect(await chimes(page)).toEqual({ critical: 1, major: 1 })
    expect(errors).toEqual([])
    await page.close()
  })

  it('says "点击启用声音" while the browser holds the sound, and sounds what it owes after the click', { timeout: 120_000 }, async () => {
    const { page, errors } = await openWall(kiosk, `?scene=overview&rotate=0&alarmRepeatS=${REPEAT_S}`)
    const hint = page.getByTestId('alarm-gesture-hint')
    expect(await hint.count()).toBe(0)
    // Held as a browser's autoplay policy holds it (headless Chromium never applies that policy itself).
    await page.evaluate(() => window.__iocAlarmProbe!.suspend())
    await hint.waitFor({ timeout: 10_000 })
    expect(await hint.textContent()).toContain('点击启用声音')
    // What the wall had sounded before (the stream may still hold an earlier test's alerts).
    const before = await chimes(page)
    // A critical alert raised while the sound is held is owed, not lost.
    const gas = alertFixture({ id: 'drill:gas', severity: 'critical', title: '燃气泄漏', raisedAt: simNow(), updatedAt: simNow() })
    emit([gas])
    await page.locator(`[data-testid="alert-ticker"] [data-alert="${gas.id}"]`).waitFor({ timeout: 15_000 })
    await page.waitForTimeout(2_000)
    expect(await chimes(page)).toEqual(before)
    await hint.click()
    await expect.poll(() => page.evaluate(() => window.__iocAlarmProbe!.state()), { timeout: 10_000 }).toBe('running')
    await hint.waitFor({ state: 'detached', timeout: 10_000 })
    await expect.poll(() => chimes(page), { timeout: 10_000 }).toEqual({ ...before, critical: before.critical + 1 })
    emit([{ ...gas, status: 'resolved', resolvedAt: simNow(), updatedAt: simNow() }])
    expect(errors).toEqual([])
    await page.close()
  })
})
