/**
 * A drill, end to end, with the alert rules on: a chemical-smell drill in 沙田
 * makes the simulated city's stations rise and its citizens call 12345; the
 * server's rules raise the correlated air-plus-complaints alert; the wall
 * shows it along the bottom and on the map, takes over and sounds; an
 * operator acknowledges it and the wall lets go of it.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AlertList } from '@shared/schemas/alerts'
import type { Alert } from '@shared/schemas/alerts'
import { userSession } from '@server/auth/auth.support'
import type { WallHarness } from './harness'
import { closePagesAfterEach, launchKioskChromium, screenshotDir, startWallHarness, wallUrl } from './harness'

const SHATIAN = '441900123'

describe('a drill on the wall', () => {
  let h: WallHarness
  let kiosk: Browser

  beforeAll(async () => {
    // An hour of the city a minute, the rules every second.
    h = await startWallHarness({ simSpeed: 60, alertEvalMs: 1000 })
    kiosk = await launchKioskChromium()
    mkdirSync(screenshotDir, { recursive: true })
  }, 120_000)
  closePagesAfterEach(() => kiosk)
  afterAll(async () => {
    await kiosk?.close()
    await h?.close()
  })

  it('raises the air-plus-smell alert of a chemical-smell drill in 沙田 on the wall, with sound, until an operator acknowledges it', { timeout: 240_000 }, async () => {
    const page = await kiosk.newPage({ viewport: { width: 1920, height: 1080 } })
    const errors: string[] = []
    page.on('pageerror', e => errors.push(e.message))
    await page.goto(await wallUrl(h.server, '?scene=overview&rotate=0'))
    await expect.poll(() => page.getByTestId('alert-ticker').getAttribute('data-state'), { timeout: 30_000 }).toBe('live')

    h.server.simulator!.injectScenario({ kind: 'chemical-smell', area: { townCodes: [SHATIAN] }, intensity: 0.9 })
    const operator = await userSession(h.server, h.server.url, ['operator'])
    const find = async (): Promise<Alert | undefined> =>
      AlertList.parse((await operator.get(`/api/alerts?ruleId=cross.air-smell&town=${SHATIAN}`)).body).alerts[0]
    await expect.poll(find, { timeout: 120_000, interval: 1000 }).toBeDefined()
    const alert = (await find())!

    // Along the bottom, on the map, and over the wall, sounding.
    await page.locator(`.alert-ticker__item[data-alert="${alert.id}"]`).first().waitFor({ state: 'attached', timeout: 30_000 })
    await page.locator(`.map-alert[data-town="${SHATIAN}"][data-severity="critical"]`).waitFor({ state: 'attached', timeout: 30_000 })
    const overlay = page.locator(`[data-testid="alert-takeover"][data-alert="${alert.id}"]`)
    // Another critical alert raised earlier may hold the wall first; this one takes its turn.
    await overlay.waitFor({ timeout: 90_000 })
    expect(await page.getByTestId('takeover-title').textContent()).toContain('沙田镇')
    await expect.poll(() => page.evaluate(() => window.__iocAlarmProbe?.chimes().critical ?? 0), { timeout: 15_000 }).toBeGreaterThan(0)
    await page.screenshot({ path: join(screenshotDir, 'alert-drill-1080p.png') })

    const ack = await operator.request('POST', `/api/alerts/${encodeURIComponent(alert.id)}/ack`, {})
    expect(ack.status).toBe(200)
    await overlay.waitFor({ state: 'detached', timeout: 30_000 })
    await page.locator(`.alert-ticker__item[data-alert="${alert.id}"] [data-mark="acknowledged"]`).first().waitFor({ state: 'attached', timeout: 30_000 })
    expect(errors).toEqual([])
  })
})
