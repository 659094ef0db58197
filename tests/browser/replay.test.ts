/**
 * The wall's replay in Chromium against the real server: the simulated city
 * runs an hour and a quarter (five simulated minutes a real second), then
 * goes on at a simulated minute a second while a leader opens the replay of
 * a past hour. The banner and every panel say
 * 回放; played at 60× the replay's clock and the map move; a scrub to a time
 * shows what playing there shows, backward and forward; paused, the live
 * feed changes nothing on screen; leaving returns to the live wall.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_ADMIN } from '@server/auth/auth.support'
import { ensureClientBuilt } from '@server/client-build'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import { createSimClock } from '@server/feeds/sim-clock'
import { fastCityConfig, fastClock } from '@server/realtime/int.support'
import { CHROMIUM_ARGS, CHROMIUM_PATH, closePagesAfterEach, screenshotDir } from './harness'

const root = fileURLToPath(new URL('../..', import.meta.url))
const clientDir = join(root, 'dist/client')

/** Monday 2026-11-23 08:00 in Dongguan: the morning rush. */
const T0 = Date.parse('2026-11-23T00:00:00.000Z')
const MIN = 60_000
/** Five simulated minutes a real second; a simulator round (200 ms) is a simulated minute. */
const SIM_MS_PER_REAL_MS = 300
const FROM = T0 + 10 * MIN
const TO = FROM + 60 * MIN
const LEADER = 'leader-replay'
const iso = (t: number): string => new Date(t).toISOString()
/** hh:mm:ss in Beijing time, as the replay's clock shows it. */
const clockOf = (t: number): string => new Date(t + 8 * 3_600_000).toISOString().slice(11, 19)

describe('the wall\'s replay, in Chromium against the real server', () => {
  let dir: string
  let server: RunningServer
  let browser: Browser
  let password: string

  beforeAll(async () => {
    await ensureClientBuilt(root, clientDir, () => {})
    mkdirSync(screenshotDir, { recursive: true })
    dir = mkdtempSync(join(tmpdir(), 'ioc-replay-browser-'))
    const dbFile = join(dir, 'ioc.db')
    // First the history: the city at full tilt until the hour and a bit is recorded…
    const clock = fastClock(T0, SIM_MS_PER_REAL_MS)
    const first = await startServer(fastCityConfig(dbFile), { clientDir, clock, kpiIntervalMs: 200 })
    while (clock.now() < TO + 5 * MIN)
      await new Promise(resolve => setTimeout(resolve, 500))
    await first.drained()
    const stoppedAt = clock.now()
    await first.close()
    // …then the same city goes on at the wall's usual pace (a simulated minute a second), leaving Chromium the CPU.
    server = await startServer(fastCityConfig(dbFile, { simIntervalMs: 1000, simTrafficIntervalMs: 5000, simHallIntervalMs: 5000 }), { clientDir, clock: createSimClock(60, stoppedAt) })
    password = (await server.auth.admin.createUser(TEST_ADMIN, { username: LEADER, displayName: '李主任', roles: ['leader'], departmentId: null }, { mustChangePassword: false })).password
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  }, 180_000)
  closePagesAfterEach(() => browser)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (dir)
      rmSync(dir, { recursive: true, force: true })
  })

  const grades = (page: Page): Promise<Record<number, number>> => page.evaluate(() => window.__iocMapProbe!.storeGrades())
  const shownClock = (page: Page): Promise<string | null> => page.getByTestId('replay-clock').textContent()
  async function scrubTo(page: Page, t: number): Promise<void> {
    await page.getByTestId('replay-timeline').evaluate((input: HTMLInputElement, value) => {
      input.value = String(value)
      input.dispatchEvent(new Event('input', { bubbles: true }))
    }, t)
    await expect.poll(() => shownClock(page), { timeout: 10_000 }).toBe(clockOf(t))
  }

  it('replays a past hour: marked as a replay, played at 60×, scrubbed both ways, then back to live', { timeout: 300_000 }, async () => {
    // One context: the 4K page below shares the leader's session.
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    const next = `/replay?from=${encodeURIComponent(iso(FROM))}&to=${encodeURIComponent(iso(TO))}`
    await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`)
    await page.getByTestId('login-username').fill(LEADER)
    await page.getByTestId('login-password').fill(password)
    await page.getByTestId('login-submit').click()
    await page.waitForURL(/\/replay\?/)

    // Unmistakably a replay: the banner with its window, and every panel's title tagged.
    const banner = page.getByTestId('replay-banner')
    await expect.poll(() => banner.textContent(), { timeout: 60_000 }).toContain('回放')
    await expect.poll(() => page.getByTestId('replay-window').textContent(), { timeout: 60_000 }).toContain('08:10:00')
    expect(await page.getByTestId('replay-window').textContent()).toContain('09:10:00')
    expect(await shownClock(page)).toBe(clockOf(FROM))
    const tags = await page.locator('.wall-panel__title').evaluateAll(titles => titles.map(t => getComputedStyle(t, '::after').content))
    expect(tags.length).toBeGreaterThanOrEqual(8)
    for (const tag of tags)
      expect(tag).toBe('"回放"')
    expect(await page.locator('.replay__map-tag').textContent()).toBe(`回放 ${clockOf(FROM)}`)

    await page.waitForFunction(() => window.__iocMapProbe?.ready() === true, undefined, { timeout: 90_000 })
    await expect.poll(async () => Object.keys(await grades(page)).length, { timeout: 30_000 }).toBeGreaterThan(1000)
    const atStart = await grades(page)

    // Played at 60×: a replayed minute a second.
    await page.locator('[data-speed="60"]').click()
    await page.getByTestId('replay-play').click()
    await expect.poll(() => shownClock(page), { timeout: 60_000 }).toMatch(/^08:1[4-9]|^08:[2-5]/)
    await page.getByTestId('replay-play').click()
    expect(await grades(page)).not.toEqual(atStart)

    // Paused, the live feed (which goes on underneath) changes nothing on screen.
    const paused = { clock: await shownClock(page), grades: await grades(page) }
    await new Promise(resolve => setTimeout(resolve, 3000))
    expect(await shownClock(page)).toBe(paused.clock)
    expect(await grades(page)).toEqual(paused.grades)
    await page.screenshot({ path: join(screenshotDir, 'replay-1080p.png') })

    // A scrub to a time gives what playing there gives, whichever way it came.
    await scrubTo(page, FROM + 40 * MIN)
    const at40 = await grades(page)
    await scrubTo(page, FROM + 5 * MIN)
    expect(await grades(page)).not.toEqual(at40)
    await scrubTo(page, FROM)
    expect(await grades(page)).toEqual(atStart)
    await scrubTo(page, FROM + 40 * MIN)
    expect(await grades(page)).toEqual(at40)

    // A 4K wall opens the same replay at its own size (the map fits the city to the screen it starts on).
    const big = await context.newPage()
    await big.setViewportSize({ width: 3840, height: 2160 })
    await big.goto(`${server.url}${next}`)
    await big.waitForFunction(() => window.__iocMapProbe?.ready() === true, undefined, { timeout: 90_000 })
    await expect.poll(() => big.getByTestId('replay-clock').textContent(), { timeout: 60_000 }).toBe(clockOf(FROM))
    await scrubTo(big, FROM + 40 * MIN)
    expect(await grades(big)).toEqual(at40)
    await big.screenshot({ path: join(screenshotDir, 'replay-2160p.png') })
    await big.close()

    // Leaving the replay returns to the live wall.
    await page.getByTestId('replay-exit').click()
    await page.waitForURL(/\/wall$/)
    await page.getByTestId('to-replay').waitFor()
    expect(await page.getByTestId('replay-banner').count()).toBe(0)
    await expect.poll(async () => Object.keys(await page.evaluate(() => window.__iocMapProbe?.storeGrades() ?? {})).length, { timeout: 30_000 }).toBeGreaterThan(1000)
    expect(errors).toEqual([])
  })
})
