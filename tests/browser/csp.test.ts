/**
 * The wall under its Content-Security-Policy, in Chromium against the real
 * server: the map (MapLibre's self-hosted worker, drawn with WebGL), the
 * charts and the socket.io WebSocket all work, and nothing is refused.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { ConsoleMessage, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WallHarness } from './harness'
import { closePagesAfterEach, screenshotDir, startWallHarness, wallUrl } from './harness'

/** A violation as the page's securitypolicyviolation event reports it. */
interface Violation { directive: string, blocked: string, source: string, line: number, sample: string }

declare global {
  interface Window { __cspViolations?: Violation[] }
}

/** Chromium's own words when it refuses something under the CSP. */
const CSP_MESSAGE = /content[- ]security[- ]policy/i

interface WallUnderWatch {
  page: Page
  /** Console messages about the CSP, from the page and its workers. */
  cspMessages: string[]
  /** The URLs of the workers the page started. */
  workers: string[]
  /** The URLs of the WebSockets the page opened. */
  sockets: string[]
  /** Errors the page threw. */
  errors: string[]
  violations: () => Promise<Violation[]>
}

/** Opens the wall as a display would, listening for CSP violations from before its first script runs. */
async function openWall(h: WallHarness, viewport: { width: number, height: number }): Promise<WallUnderWatch> {
  const page = await h.browser.newPage({ viewport })
  await page.addInitScript(() => {
    const seen: Violation[] = []
    window.__cspViolations = seen
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample })
    })
  })
  const watch: WallUnderWatch = {
    page,
    cspMessages: [],
    workers: [],
    sockets: [],
    errors: [],
    violations: () => page.evaluate(() => [...(window.__cspViolations ?? [])]),
  }
  const onConsole = (message: ConsoleMessage): void => {
    if (CSP_MESSAGE.test(message.text()))
      watch.cspMessages.push(message.text())
  }
  page.on('console', onConsole)
  page.on('worker', (worker) => {
    watch.workers.push(worker.url())
    worker.on('console', onConsole)
  })
  page.on('websocket', socket => watch.sockets.push(socket.url()))
  page.on('pageerror', err => watch.errors.push(err.message))
  await page.goto(await wallUrl(h.server))
  return watch
}

/**
 * Distinct colours in a sample of the map's WebGL canvas, read in the frame
 * MapLibre has just drawn (the drawing buffer is cleared once it is shown).
 */
function mapColours(page: Page): Promise<number> {
  return page.evaluate(() => new Promise<number>((resolve, reject) => {
    const map = window.__iocMap
    if (!map)
      return reject(new Error('no map on the page'))
    map.once('render', () => {
      const canvas = map.getCanvas()
      const copy = document.createElement('canvas')
      copy.width = canvas.width
      copy.height = canvas.height
      const ctx = copy.getContext('2d')
      if (!ctx)
        return reject(new Error('no 2D context'))
      ctx.drawImage(canvas, 0, 0)
      const { data } = ctx.getImageData(0, 0, copy.width, copy.height)
      const colours = new Set<number>()
      // Every 97th pixel: enough to tell a drawn map from an empty or one-colour canvas.
      for (let i = 0; i < data.length; i += 4 * 97)
        colours.add(((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!) >>> 0)
      resolve(colours.size)
    })
    map.triggerRepaint()
  }))
}

/** Moves the pointer across each ECharts chart on the page (ECharts marks its containers with _echarts_instance_). */
async function hoverEveryChart(page: Page): Promise<void> {
  const charts = page.locator('[_echarts_instance_]')
  const count = await charts.count()
  expect(count).toBeGreaterThan(0)
  for (let i = 0; i < count; i++) {
    const box = await charts.nth(i).boundingBox()
    if (!box)
      continue
    for (const x of [0.3, 0.6, 0.9])
      await page.mouse.move(box.x + box.width * x, box.y + box.height / 2, { steps: 4 })
  }
  await page.mouse.move(0, 0)
  // Two frames: what the pointer set off is drawn, and its violations (queued as tasks) delivered.
  await page.evaluate(() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve))))
}

describe('the wall under its Content-Security-Policy', () => {
  let h: WallHarness

  beforeAll(async () => {
    h = await startWallHarness()
    mkdirSync(screenshotDir, { recursive: true })
  })
  closePagesAfterEach(() => h?.browser)
  afterAll(async () => {
    await h?.close()
  })

  it('renders the map, the charts and the live link at 1920×1080 with no CSP violation', async () => {
    const wall = await openWall(h, { width: 1920, height: 1080 })
    const { page } = wall

    // The policy the page runs under is the strict one (no 'unsafe-inline', no blob: workers).
    const csp = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'))
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("worker-src 'self'")
    expect(csp).not.toContain("'unsafe-")

    // The live link: socket.io's WebSocket to the page's own origin, under connect-src 'self'.
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 60_000 }).toBe('live')
    expect(wall.sockets.some(url => url.startsWith(`${h.server.url.replace(/^http/, 'ws')}/socket.io/`))).toBe(true)

    // The map: MapLibre's worker parsed the stations (queryRenderedFeatures answers from what was drawn)…
    await page.waitForFunction(() => {
      const map = window.__iocMap
      return map?.loaded() && map.getLayer('air-stations') !== undefined && map.queryRenderedFeatures({ layers: ['air-stations'] }).length >= 33
    }, undefined, { timeout: 60_000 })
    // …from a file of our own origin, not a blob:…
    expect(wall.workers.some(url => url.startsWith(`${h.server.url}/assets/maplibre-gl-worker`))).toBe(true)
    expect(wall.workers.filter(url => !url.startsWith(`${h.server.url}/`))).toEqual([])
    // …and WebGL drew it: land, water, towns and stations in many colours.
    expect(await mapColours(page)).toBeGreaterThan(8)

    // The charts: each 24-hour trend draws its ECharts canvas once the first KPI set arrives.
    await expect.poll(() => page.locator('[data-testid="trends"] canvas').count(), { timeout: 60_000 }).toBe(4)

    // A pointer over every chart: a tooltip rendered as HTML (style="" attributes) would be refused here.
    await hoverEveryChart(page)

    await page.screenshot({ path: join(screenshotDir, 'wall-csp-1920x1080.png') })
    expect(await wall.violations()).toEqual([])
    expect(wall.cspMessages).toEqual([])
    expect(wall.errors).toEqual([])
    await page.close()
  })

  it('reports a violation when something does break the policy (the watch is live)', async () => {
    const wall = await openWall(h, { width: 1920, height: 1080 })
    await wall.page.getByTestId('connection').waitFor()
    // What an injected handler attribute would do: script-src-attr 'none' refuses it.
    await wall.page.evaluate(() => {
      const probe = document.createElement('img')
      probe.setAttribute('onerror', 'window.__cspProbeRan = true')
      probe.src = 'data:,'
      document.body.append(probe)
    })
    await expect.poll(async () => (await wall.violations()).map(v => v.directive), { timeout: 10_000 }).toContain('script-src-attr')
    expect(await wall.page.evaluate(() => (window as { __cspProbeRan?: boolean }).__cspProbeRan === true)).toBe(false)
    await wall.page.close()
  })
})
