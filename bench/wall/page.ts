/**
 * One wall page under measurement: a fresh browser context at 1920×1080
 * (DPR 1), signed in with a display token as a real wall is, with the
 * probes installed and its socket frames tallied over CDP.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core'
import { TEST_ADMIN } from '@server/auth/auth.support'
import type { BenchBrowser } from './browser'
import { VIEWPORT } from './browser'
import { FrameTally, tallyFrames } from './frames'
import type { RunningLoad } from './load'
import { addProbes } from './probes'

export interface ScriptLoad {
  url: string
  /** ms after navigation started. */
  atMs: number
}

export interface WallPage {
  page: Page
  cdp: CDPSession
  tally: FrameTally
  /** Scripts the page requested, in order (the MapLibre worker's own fetch is not among them). */
  scripts: ScriptLoad[]
  /** ms from navigation until the wall held every stream's first data and its map had its style. */
  readyMs: number
  /** Console warnings and errors, e.g. "Too many active WebGL contexts". */
  console: string[]
  close: () => Promise<void>
}

const READY_TIMEOUT_MS = 180_000
/** A few UI ticks after the data arrived: the panels and the map have drawn it. */
const READY_TICKS = 8

export async function openWall(bench: BenchBrowser, load: RunningLoad, query = ''): Promise<WallPage> {
  const context: BrowserContext = await bench.browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 })
  const page = await context.newPage()
  const messages: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error')
      messages.push(`${m.type()}: ${m.text().slice(0, 300)}`)
  })
  await addProbes(page)
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Performance.enable')
  const tally = new FrameTally()
  tallyFrames(cdp, tally)
  const scripts: ScriptLoad[] = []
  const started = Date.now()
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.type === 'Script')
      scripts.push({ url: e.request.url, atMs: Date.now() - started })
  })
  const { secret } = await load.server.auth.admin.issueDisplayToken(TEST_ADMIN, { name: 'wall benchmark', scene: null })
  await page.goto(`${load.relay.url}/wall${query}#display=${secret}`)
  const segments = load.city.roads.length
  const deadline = Date.now() + READY_TIMEOUT_MS
  for (;;) {
    // The style is parsed and its layers added once getStyle() answers; isStyleLoaded() also waits for every
    // source's tiles, which a map whose sources are replaced every tick (the setData strategy) may never reach.
    const ready = tally.snapshots.traffic === segments && tally.snapshots.incidents !== undefined
      && await page.evaluate(n => window.__iocMap?.getStyle() !== undefined && (window.__iocTicks?.count ?? 0) >= n, READY_TICKS)
    if (ready)
      break
    if (Date.now() > deadline) {
      const state = await page.evaluate(() => ({ url: location.href, map: Boolean(window.__iocMap), style: window.__iocMap?.getStyle() !== undefined, ticks: window.__iocTicks?.count ?? null }))
      await context.close()
      throw new Error(`the wall was not ready after ${READY_TIMEOUT_MS / 1000} s (page ${JSON.stringify(state)}; snapshots ${JSON.stringify(tally.snapshots)}; console: ${messages.slice(-3).join(' | ')})`)
    }
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
  return { page, cdp, tally, scripts, readyMs: Date.now() - started, console: messages, close: () => context.close() }
}
