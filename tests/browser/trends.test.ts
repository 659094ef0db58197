/**
 * The wall's 24-hour trends survive a server restart: history accumulates
 * under a fast simulated clock, the server stops and starts again on the same
 * database file (its clock going on from where it stopped, as real time
 * would), and a wall opened afterwards shows trend points from before the
 * restart, then extends them live.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HistoryResponse } from '@shared/schemas/history'
import { ensureClientBuilt } from '@server/client-build'
import { Config } from '@server/config'
import { createSimClock } from '@server/feeds/sim-clock'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import { displaySession } from '@server/auth/auth.support'
import { CHROMIUM_ARGS, CHROMIUM_PATH, closePagesAfterEach, screenshotDir, wallUrl } from './harness'

const root = fileURLToPath(new URL('../..', import.meta.url))
const clientDir = join(root, 'dist/client')

/** Monday 2026-11-23 06:00 in Dongguan: the morning rush and the halls' opening ahead. */
const T0 = Date.parse('2026-11-22T22:00:00.000Z')
/** The first run: twenty simulated minutes per real second… */
const SPEED = 1200
/** …and a KPI set every 5 simulated minutes, one per trend bucket. */
const KPI_INTERVAL_MS = 250
/** After the restart, a simulated minute per real second and a KPI set each: a new bucket every 5 s. */
const SPEED_AFTER = 60
const KPI_INTERVAL_AFTER_MS = 1000
/** Real time the first run records history for: about 10 simulated hours. */
const FIRST_RUN_MS = 30_000
const MINUTE_MS = 60_000
/** At least two hours of 5-minute buckets must come back. */
const MIN_POINTS = 24
const TREND_KPIS = ['air.aqi', 'traffic.tpi', 'halls.waiting', 'incidents.open'] as const

describe('the wall\'s 24-hour trends across a server restart', () => {
  let dir: string
  let browser: Browser
  let server: RunningServer | undefined
  let restartAt = 0

  /** Rounds every second while history accumulates; the simulator's default pace afterwards, leaving Chromium the CPU. */
  const config = (dbFile: string, roundMs: number | undefined): Config => Config.parse({
    port: 0,
    host: '127.0.0.1',
    dbFile,
    buildClient: false,
    simIntervalMs: 1000,
    ...(roundMs === undefined ? {} : { simTrafficIntervalMs: roundMs, simHallIntervalMs: roundMs }),
    simFaultRate: 0,
    // A raised critical alert would take the wall over mid-test: the rules stay off.
    alerts: false,
  })

  beforeAll(async () => {
    await ensureClientBuilt(root, clientDir, () => {})
    mkdirSync(screenshotDir, { recursive: true })
    dir = mkdtempSync(join(tmpdir(), 'ioc-trends-'))
    const dbFile = join(dir, 'ioc.db')

    const firstClock = createSimClock(SPEED, T0)
    const first = await startServer(config(dbFile, 1000), { clientDir, clock: firstClock, kpiIntervalMs: KPI_INTERVAL_MS })
    await new Promise(resolve => setTimeout(resolve, FIRST_RUN_MS))
    restartAt = firstClock.now()
    await first.close()

    server = await startServer(config(dbFile, undefined), { clientDir, clock: createSimClock(SPEED_AFTER, restartAt + 10 * MINUTE_MS), kpiIntervalMs: KPI_INTERVAL_AFTER_MS })
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  })
  closePagesAfterEach(() => browser)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Each trend cell's point count and first bucket, as the wall shows them. */
  const cells = (page: Page): Promise<{ key: string, points: number, first: string }[]> => page.evaluate(keys => keys.map((key) => {
    const cell = document.querySelector(`[data-testid="trend-${key}"]`)
    return { key, points: Number(cell?.getAttribute('data-points') ?? 0), first: cell?.getAttribute('data-first') ?? '' }
  }), [...TREND_KPIS])

  it('serves the history recorded before the restart', async () => {
    const query = new URLSearchParams({ metric: 'kpi.air.aqi', from: new Date(restartAt - 24 * 60 * MINUTE_MS).toISOString(), to: new Date(restartAt).toISOString(), resolution: 'minute' })
    const wall = await displaySession(server!, server!.url)
    const res = await fetch(`${server!.url}/api/history?${query}`, { headers: { cookie: wall.cookie } })
    const text = await res.text()
    const history = HistoryResponse.parse(JSON.parse(text))
    // A KPI sample every 5 simulated minutes for about 10 hours, fewer on a busy machine (a beat still running skips the next).
    expect(history.rows.length).toBeGreaterThan(MIN_POINTS)
    expect(Date.parse(history.rows[0]!.t)).toBeLessThan(T0 + 60 * MINUTE_MS)
    console.log(`[trends] first run: ${((restartAt - T0) / 3_600_000).toFixed(1)} simulated h; ${history.rows.length} minute rows of kpi.air.aqi, ${text.length} bytes`)
  })

  it('shows trend points from before the restart on a wall opened after it, and extends them live', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    await page.goto(await wallUrl(server!, '?scene=overview&rotate=0'))
    await page.getByTestId('trends').waitFor()

    await expect.poll(async () => (await cells(page)).every(c => c.points > MIN_POINTS && Date.parse(c.first) < restartAt - 5 * 3_600_000), { timeout: 30_000 }).toBe(true)
    for (const cell of await cells(page))
      expect(Date.parse(cell.first), cell.key).toBeLessThan(T0 + 60 * MINUTE_MS)
    const before = await cells(page)
    // Live: the kpis stream adds a bucket every 5 simulated minutes.
    await expect.poll(async () => (await cells(page)).every((c, i) => c.points > before[i]!.points), { timeout: 30_000 }).toBe(true)
    // Every cell draws a chart, none says "no data".
    await expect.poll(() => page.locator('[data-testid="trends"] canvas').count(), { timeout: 10_000 }).toBe(TREND_KPIS.length)
    expect(await page.locator('[data-testid="trends"]').textContent()).not.toContain('暂无数据')

    await page.waitForFunction(() => (window.__iocMap?.queryRenderedFeatures({ layers: ['air-stations'] }).length ?? 0) >= 33, undefined, { timeout: 60_000 })
    await page.screenshot({ path: join(screenshotDir, 'wall-trends-1920x1080.png') })

    // The same panel in English, loaded afresh: the history again, not what this page gathered.
    await page.goto(await wallUrl(server!, '?scene=overview&rotate=0&lang=en'))
    await expect.poll(async () => (await cells(page)).every(c => Date.parse(c.first) < T0 + 60 * MINUTE_MS), { timeout: 30_000 }).toBe(true)
    expect(await page.getByTestId('trends').textContent()).toMatch(/24-hour trends.*City AQI.*City TPI.*Waiting in halls.*12345 open orders/)
    await page.waitForFunction(() => (window.__iocMap?.queryRenderedFeatures({ layers: ['air-stations'] }).filter(f => f.properties.aqi !== '—').length ?? 0) >= 33, undefined, { timeout: 60_000 })
    await page.screenshot({ path: join(screenshotDir, 'wall-trends-en-1920x1080.png') })
    expect(errors).toEqual([])
    await page.close()
  })
})
