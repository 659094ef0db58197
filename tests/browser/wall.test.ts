import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { WallHarness } from './harness'
import { closePagesAfterEach, screenshotDir, startWallHarness, wallUrl } from './harness'

/**
 * The smallest font size (px) of any visible text on the page, with where it
 * is: the wall must read from a few metres. The map's credits line is left
 * out (small by convention, not for operators).
 */
async function smallestText(page: Page): Promise<{ px: number, text: string }> {
  return page.evaluate(() => {
    let smallest = { px: Infinity, text: '' }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement
      const text = node.textContent?.trim() ?? ''
      if (!el || text === '' || el.closest('.maplibregl-ctrl-attrib'))
        continue
      const box = el.getBoundingClientRect()
      const style = getComputedStyle(el)
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || style.display === 'none')
        continue
      const px = Number.parseFloat(style.fontSize)
      if (px < smallest.px)
        smallest = { px, text }
    }
    return smallest
  })
}

describe('the wall, in Chromium against the real server', () => {
  let h: WallHarness

  beforeAll(async () => {
    // A raised critical alert would take the wall over mid-test: the rules stay off.
    h = await startWallHarness({ alerts: false })
    mkdirSync(screenshotDir, { recursive: true })
  })
  closePagesAfterEach(() => h?.browser)
  afterAll(async () => {
    await h?.close()
  })

  it('draws every station on the Dongguan map and shows a live city AQI', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1920, height: 1080 } })
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    await page.goto(await wallUrl(h.server, '?scene=overview&rotate=0'))

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
    await expect.poll(() => page.locator('[data-feed-chip="simulator"]').getAttribute('data-status'), { timeout: 30_000 }).toBe('up')

    await page.screenshot({ path: join(screenshotDir, 'wall-1920x1080.png') })
    // Legible from 5 m: nothing on a 1080p wall under 12 px (0.75rem).
    const smallest = await smallestText(page)
    expect(smallest.px, `smallest text: "${smallest.text}"`).toBeGreaterThanOrEqual(12)
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows the wall at 3840×2160 with the same content, scaled', async () => {
    const page = await h.browser.newPage({ viewport: { width: 3840, height: 2160 } })
    await page.goto(await wallUrl(h.server, '?scene=overview&rotate=0'))
    await page.waitForFunction(() => (window.__iocMap?.queryRenderedFeatures({ layers: ['air-stations'] }).length ?? 0) >= 33, undefined, { timeout: 60_000 })
    const fontSize = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)
    expect(fontSize).toBe('32px')
    await page.screenshot({ path: join(screenshotDir, 'wall-3840x2160.png') })
    const smallest = await smallestText(page)
    expect(smallest.px, `smallest text: "${smallest.text}"`).toBeGreaterThanOrEqual(24)
    await page.close()
  })

  it('dims a domain\'s panels as stale when its feed drops, and keeps the others live', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(await wallUrl(h.server, '?scene=overview&rotate=0'))
    const air = page.locator('[data-panel="air.city"]')
    const traffic = page.locator('[data-panel="traffic.tpi"]')
    await expect.poll(() => air.getAttribute('data-state'), { timeout: 30_000 }).toBe('live')
    await expect.poll(() => traffic.getAttribute('data-state'), { timeout: 30_000 }).toBe('live')

    // A data-interruption drill: the simulator stops sending air records (the other kinds go on).
    const drill = h.server.simulator?.injectScenario({ kind: 'feed-outage', feed: 'air', durationMin: 24 * 60 })
    expect(drill?.label).toBe('空气质量数据中断')
    await expect.poll(() => air.getAttribute('data-state'), { timeout: 40_000 }).toBe('stale')
    expect(await air.textContent()).toMatch(/数据中断 自 \d\d:\d\d/)
    // The last known AQI stays on the panel, dimmed: stale is not no-data.
    expect(Number(await page.getByTestId('city-aqi-value').textContent())).toBeGreaterThan(0)
    expect(await traffic.getAttribute('data-state')).toBe('live')
    expect(await page.getByTestId('connection').getAttribute('data-state')).toBe('live')
    await page.screenshot({ path: join(screenshotDir, 'wall-air-feed-dropped.png') })

    h.server.simulator?.cancelScenario(drill?.id ?? '')
    await expect.poll(() => air.getAttribute('data-state'), { timeout: 30_000 }).toBe('live')
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
    // Every panel says its data stopped, and since when.
    await expect.poll(() => page.locator('[data-panel="air.city"]').getAttribute('data-state')).toBe('stale')
    expect(await page.locator('[data-panel="air.city"]').textContent()).toMatch(/数据中断 自 \d\d:\d\d/)
    await page.screenshot({ path: join(screenshotDir, 'wall-disconnected.png') })
    await page.close()
  })
})
