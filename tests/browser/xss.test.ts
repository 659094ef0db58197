/**
 * Citizens' words on the wall are text, never markup (reliability.md §4.4,
 * §6.4 S5): 200 XSS payloads travel as the title, description and address of
 * 12345 work orders through a signed webhook, ingest, the store and the
 * incidents stream to a wall in Chromium, where the 12345 panel shows them.
 * Nothing may run (no `window.__xss` call, no dialog), nothing may be refused
 * by the Content-Security-Policy (a refusal means the text became markup and
 * only the CSP stopped it), and each payload reads back literally.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IncidentReportInput } from '@shared/schemas/incidents'
import { INCIDENT_NATURES, INCIDENT_TOPICS } from '@shared/schemas/incidents'
import { signWebhook } from '@server/feeds/webhook.feed'
import type { WallHarness } from './harness'
import { screenshotDir, startWallHarness, wallUrl } from './harness'
import { xssPayloads } from './xss-payloads'

const FEED = 'xss-hooks'
const SECRET = 'a-test-secret-for-the-xss-webhook'
const PAYLOADS = xssPayloads(200)
/** The rows the wall's 12345 panel shows (client/views/WallView.vue): one batch of orders fills it. */
const PANEL_ROWS = 8
/** Elements that only a payload could have put in the panel. */
const FOREIGN_ELEMENTS = 'script, img, image, svg, math, iframe, object, embed, a, form, input, select, textarea, button, details, video, audio, source, style, link, meta, base, body, marquee, noscript, listing, isindex, x'

interface Violation { directive: string, blocked: string, sample: string }

declare global {
  interface Window {
    __xss?: (n: unknown) => void
    __xssCalls?: string[]
    __xssCspViolations?: Violation[]
  }
}

interface WatchedWall {
  page: Page
  /** Dialogs the page opened (alert, confirm, prompt), dismissed at once. */
  dialogs: string[]
  /** Which payloads ran: the arguments of every `window.__xss` call. */
  calls: () => Promise<string[]>
  violations: () => Promise<Violation[]>
}

/** Opens the wall as a display does, with the tripwires set before the page's first script runs. */
async function openWall(h: WallHarness): Promise<WatchedWall> {
  const page = await h.browser.newPage({ viewport: { width: 1920, height: 1080 } })
  await page.addInitScript(() => {
    const calls: string[] = []
    const violations: Violation[] = []
    window.__xssCalls = calls
    window.__xssCspViolations = violations
    window.__xss = (n: unknown) => {
      calls.push(String(n))
    }
    document.addEventListener('securitypolicyviolation', (e) => {
      violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample })
    })
  })
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`)
    void dialog.dismiss()
  })
  // The 12345 scene, held: its feed panel lists the newest orders (the bottom strip shows them too).
  await page.goto(await wallUrl(h.server, '?scene=incidents&rotate=0'))
  return {
    page,
    dialogs,
    calls: () => page.evaluate(() => [...(window.__xssCalls ?? [])]),
    violations: () => page.evaluate(() => [...(window.__xssCspViolations ?? [])]),
  }
}

/** The orders of one batch, each payload in all three of its text fields; reported a second apart, newest last. */
function workOrders(batch: number, payloads: readonly string[], startAt: number): IncidentReportInput[] {
  return payloads.map((payload, i) => {
    const n = batch * PANEL_ROWS + i
    const reportedAt = new Date(startAt + n * 1000).toISOString()
    return {
      ticketNo: `XSS-${String(n + 1).padStart(3, '0')}`,
      version: reportedAt,
      reportedAt,
      nature: INCIDENT_NATURES[n % INCIDENT_NATURES.length]!,
      topic: INCIDENT_TOPICS[n % INCIDENT_TOPICS.length]!,
      urgency: n % 5 === 0 ? 'urgent' : 'normal',
      title: payload,
      description: payload,
      address: payload,
      // A point in Dongguan: the order lands in a town, and the row names it.
      location: { lng: 113.6726, lat: 22.8148 },
    }
  })
}

/** What a panel row shows of an order, read from the DOM. */
interface ShownRow { id: string, title: string | null, address: string | null, textOnly: boolean }

function shownRows(page: Page): Promise<ShownRow[]> {
  return page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('[data-testid="incident-feed"] [data-incident]')).map((row) => {
    const title = row.querySelector('[data-testid="incident-title"]')
    const address = row.querySelector('[data-testid="incident-address"]')
    // Each field is a single text node: the payload was not parsed into anything.
    const textOnly = [title, address].every(el => el !== null && el.childNodes.length === 1 && el.firstChild?.nodeType === Node.TEXT_NODE)
    return { id: row.dataset.incident ?? '', title: title?.textContent ?? null, address: address?.textContent ?? null, textOnly }
  }))
}

describe('XSS through 12345 incident text, on the wall in Chromium', () => {
  let h: WallHarness

  beforeAll(async () => {
    h = await startWallHarness({ simulator: false, feeds: [{ id: FEED, adapter: 'webhook', secret: { value: SECRET } }] })
    mkdirSync(screenshotDir, { recursive: true })
  })
  afterAll(async () => {
    await h?.close()
  })

  async function push(records: IncidentReportInput[]): Promise<void> {
    const body = JSON.stringify({ kind: 'incident', records })
    const timestamp = Math.floor(Date.now() / 1000)
    const res = await fetch(`${h.server.url}/api/feeds/${FEED}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ioc-timestamp': String(timestamp), 'x-ioc-signature': signWebhook(SECRET, timestamp, body) },
      body,
    })
    expect(res.status).toBe(202)
    expect(await res.json()).toMatchObject({ accepted: records.length, rejected: 0 })
  }

  it('shows 200 payloads in titles, descriptions and addresses as text: none runs, the CSP refuses nothing', { timeout: 600_000 }, async () => {
    const wall = await openWall(h)
    const { page } = wall
    // No order yet: the panel honestly says so until the first batch arrives.
    await page.locator('[data-panel="incidents.feed"][data-state="no-data"]').waitFor({ timeout: 60_000 })
    const startAt = Date.now() - 3_600_000

    for (let batch = 0; batch * PANEL_ROWS < PAYLOADS.length; batch++) {
      const payloads = PAYLOADS.slice(batch * PANEL_ROWS, (batch + 1) * PANEL_ROWS)
      const orders = workOrders(batch, payloads, startAt)
      await push(orders)

      // The panel shows the batch, newest first, and nothing else.
      const expected = orders.map(o => ({ id: `${FEED}:${o.ticketNo}`, title: o.title, address: o.address ?? null, textOnly: true })).reverse()
      await expect.poll(() => shownRows(page), { timeout: 30_000 }).toEqual(expected)
      const panelText = await page.getByTestId('incident-feed').textContent() ?? ''
      for (const payload of payloads)
        expect(panelText).toContain(payload)
      expect(await page.locator(`[data-testid="incident-feed"] :is(${FOREIGN_ELEMENTS})`).count()).toBe(0)
      expect(await page.locator(`[data-testid="incident-strip"] :is(${FOREIGN_ELEMENTS})`).count()).toBe(0)
    }
    await page.screenshot({ path: join(screenshotDir, 'xss-wall-1920x1080.png') })

    // A tripwire of our own, set last: markup with an inline handler put into
    // the page the way a sink would. It proves the watch works (under the
    // wall's CSP it is refused, without one it calls __xss), and once it has
    // been reported, whatever a payload set off before it has been too.
    await page.evaluate(() => {
      const probe = document.createElement('div')
      probe.innerHTML = '<img src="/xss-probe-missing.png" onerror="window.__xss(\'probe\')">'
      document.body.append(probe)
    })
    await expect.poll(async () => (await wall.calls()).length + (await wall.violations()).length, { timeout: 30_000 }).toBeGreaterThan(0)

    expect(wall.dialogs).toEqual([])
    expect(await wall.calls(), 'scripts that ran (the probe too means the wall has no CSP refusing inline handlers)').toEqual([])
    // The probe's refusal is the only one: no payload's markup reached the DOM for the CSP to stop.
    expect((await wall.violations()).map(v => `${v.directive} ${v.blocked}`)).toEqual(['script-src-attr inline'])
    await page.close()
  })
})
