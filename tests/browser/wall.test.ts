import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WallHarness } from './harness'
import { screenshotDir, startWallHarness, wallUrl } from './harness'

describe('the wall, in Chromium against the real server', () => {
  let h: WallHarness

  beforeAll(async () => {
    h = await startWallHarness()
    mkdirSync(screenshotDir, { recursive: true })
  })
  afterAll(async () => {
    await h?.close()
  })

  it('draws every station on the Dongguan map and shows a live city AQI', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1920, height: 1080 } })
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    await page.goto(await wallUrl(h.server))

    // Ask the map what it has drawn: every station, with an AQI label.
    const stations = await (await page.waitForFunction(() => {
      const map = window.__iocMap
      if (!map?.loaded() || !map.getLayer('air-stations'))
        return 0
      const drawn = map.queryRenderedFeatures({ layers: ['air-stations'] })
      const rated = drawn.filter(f => f.properties.aqi !== '—')
      return rated.length >= 33 ? rated.length : 0
    }, undefined, { timeout: 60_000 })).jsonValue()
    expect(stations).toBeGreaterThanOrEqual(33)

    const value = page.getByTestId('city-aqi-value')
    await value.waitFor()
    expect(Number(await value.textContent())).toBeGreaterThan(0)
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state')).toBe('live')

    // The value is live: the city AQI panel follows the stream.
    const before = await page.evaluate(() => document.querySelector('[data-testid="city-aqi"]')?.textContent)
    await page.waitForFunction(previous => document.querySelector('[data-testid="city-aqi"]')?.textContent !== previous, before, { timeout: 30_000 })

    // The feed behind it is on the wall, with its state.
    await expect.poll(() => page.locator('[data-feed="simulator"]').getAttribute('data-status'), { timeout: 30_000 }).toBe('up')

    await page.screenshot({ path: join(screenshotDir, 'wall-1920x1080.png') })
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows the wall at 3840×2160 with the same content, scaled', async () => {
    const page = await h.browser.newPage({ viewport: { width: 3840, height: 2160 } })
    await page.goto(await wallUrl(h.server))
    await page.waitForFunction(() => (window.__iocMap?.queryRenderedFeatures({ layers: ['air-stations'] }).length ?? 0) >= 33, undefined, { timeout: 60_000 })
    const fontSize = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)
    expect(fontSize).toBe('32px')
    await page.screenshot({ path: join(screenshotDir, 'wall-3840x2160.png') })
    await page.close()
  })

  it('marks the wall stale when the server goes away, and keeps trying to reconnect', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(await wallUrl(h.server))
    const badge = page.getByTestId('connection')
    await expect.poll(() => badge.getAttribute('data-state'), { timeout: 30_000 }).toBe('live')
    expect(await badge.textContent()).toContain('实时')
    await h.server.close()
    await expect.poll(() => badge.getAttribute('data-state'), { timeout: 30_000 }).toMatch(/^(offline|connecting)$/)
    // The wall does not give up: the badge counts the attempts (first one within 1–3 s).
    await expect.poll(() => page.getByTestId('connection-attempt').textContent(), { timeout: 30_000 }).toMatch(/第 \d+ 次重连/)
    expect(await badge.textContent()).toMatch(/离线|连接中/)
    await page.screenshot({ path: join(screenshotDir, 'wall-disconnected.png') })
    await page.close()
  })
})
