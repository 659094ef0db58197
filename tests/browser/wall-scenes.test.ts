/**
 * The wall as an operator lives with it, in Chromium against the real server:
 * scenes rotate with their own durations from the wall's preset, and a newly
 * raised critical alert takes the wall over until it is acknowledged.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '@shared/schemas/alerts'
import { alertFixture } from '@shared/schemas/alerts.fixture'
import { DEFAULT_WALL_LAYOUT } from '@shared/schemas/wall'
import type { WallLayoutPut } from '@shared/schemas/wall'
import { TEST_ADMIN, userSession } from '@server/auth/auth.support'
import type { WallHarness } from './harness'
import { closePagesAfterEach, screenshotDir, startWallHarness } from './harness'

const SHATIAN = '441900123'

describe('wall scenes and the critical-alert takeover', () => {
  let h: WallHarness

  beforeAll(async () => {
    // The alerts on screen are the ones this file publishes: the rules stay off.
    h = await startWallHarness({ alerts: false })
    mkdirSync(screenshotDir, { recursive: true })
    // A preset with short scenes, as an administrator saves it.
    const admin = await userSession(h.server, h.server.url, ['admin'])
    const preset: WallLayoutPut = {
      ...DEFAULT_WALL_LAYOUT,
      name: '测试大屏',
      // Three scenes in an order of its own; the others are switched off.
      scenes: [
        { scene: 'traffic', durationS: 15, enabled: true },
        { scene: 'overview', durationS: 15, enabled: false },
        { scene: 'incidents', durationS: 15, enabled: true },
        { scene: 'halls', durationS: 15, enabled: false },
        { scene: 'air', durationS: 15, enabled: true },
      ],
      takeover: { enabled: true, timeoutS: 120 },
      nightMode: 'off',
      expectedVersion: 0,
    }
    const saved = await admin.request('PUT', '/api/wall/layouts/fast', preset)
    expect(saved.status).toBe(201)
  }, 120_000)
  closePagesAfterEach(() => h?.browser)
  afterAll(async () => {
    await h?.close()
  })

  async function openWall(width: number, height: number): Promise<Page> {
    const { secret } = await h.server.auth.admin.issueDisplayToken(TEST_ADMIN, { name: 'scene test wall', scene: 'fast' })
    const page = await h.browser.newPage({ viewport: { width, height } })
    await page.goto(`${h.server.url}/wall#display=${secret}`)
    return page
  }

  const sceneOf = (page: Page): Promise<string | null> => page.locator('.wall').getAttribute('data-scene')

  it('rotates through the enabled scenes of its preset, in its order', { timeout: 240_000 }, async () => {
    const page = await openWall(1920, 1080)
    await expect.poll(() => sceneOf(page), { timeout: 30_000 }).toBe('traffic')
    const ORDER = ['traffic', 'incidents', 'air']
    const seen: string[] = ['traffic']
    let incidentsPanels: string[] = []
    const started = Date.now()
    // Around once and back to the first: three changes, each to the next enabled scene.
    while (seen.length < 4 && Date.now() - started < 120_000) {
      const scene = await sceneOf(page)
      if (scene && seen.at(-1) !== scene) {
        seen.push(scene)
        // Each scene shows its own panels beside the one map.
        if (scene === 'incidents')
          incidentsPanels = await page.locator('[data-panel]').evaluateAll(els => els.map(el => el.getAttribute('data-panel') ?? ''))
      }
      await page.waitForTimeout(500)
    }
    expect(seen).toEqual([...ORDER, 'traffic'])
    expect(incidentsPanels).toContain('incidents.onTime')
    expect(incidentsPanels).not.toContain('traffic.grades')
    await page.close()
  })

  it('hands the wall (1080p, then 4K) to a newly raised critical alert and back once it is acknowledged', async () => {
    const page = await openWall(1920, 1080)
    await expect.poll(() => page.getByTestId('scene-indicator').getAttribute('data-state'), { timeout: 30_000 }).toBe('running')
    // Alerts in the stream's first snapshot are old news; only one raised after that takes over.
    await expect.poll(() => page.getByTestId('alert-ticker').getAttribute('data-state'), { timeout: 30_000 }).toBe('live')
    // The ticker reads the stream itself; the wall's watchers take the snapshot at the next UI tick, as the map's does:
    // an alert sent before that tick would arrive with the first snapshot, as known.
    await page.waitForFunction(() => window.__iocMapProbe?.alertsReady() === true, undefined, { timeout: 30_000 })
    const raisedAt = new Date().toISOString()
    const alert: Alert = alertFixture({ id: 'drill:so2-shatian', ruleId: 'air.threshold', severity: 'critical', title: '沙田站二氧化硫浓度超标', townCode: SHATIAN, raisedAt })
    h.server.bus.emit('alerts.updated', { alerts: [alert], summary: { firing: 1, acknowledged: 0 } })

    const overlay = page.getByTestId('alert-takeover')
    await overlay.waitFor({ timeout: 45_000 })
    expect(await page.getByTestId('takeover-title').textContent()).toBe(alert.title)
    expect(await page.getByTestId('scene-indicator').getAttribute('data-state')).toBe('takeover')
    // While the alert holds the wall the rotation stands still.
    const held = await sceneOf(page)
    await page.waitForTimeout(17_000)
    expect(await sceneOf(page)).toBe(held)
    await page.screenshot({ path: join(screenshotDir, 'wall-takeover-1920x1080.png') })
    // The same takeover on a 4K wall: the layout is in rem of the viewport, so a resize is a 4K wall.
    await page.setViewportSize({ width: 3840, height: 2160 })
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('32px')
    await page.waitForTimeout(2_000)
    await page.screenshot({ path: join(screenshotDir, 'wall-takeover-3840x2160.png'), timeout: 90_000 })
    expect(await page.getByTestId('alert-takeover').isVisible()).toBe(true)

    const acknowledged = { ...alert, status: 'acknowledged' as const, updatedAt: new Date().toISOString() }
    h.server.bus.emit('alerts.updated', { alerts: [acknowledged], summary: { firing: 0, acknowledged: 1 } })
    await overlay.waitFor({ state: 'detached', timeout: 15_000 })
    await expect.poll(() => page.getByTestId('scene-indicator').getAttribute('data-state'), { timeout: 15_000 }).toBe('running')
    await page.close()
  })
})
