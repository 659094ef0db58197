import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Browser } from 'playwright-core'
import { afterEach } from 'vitest'
import { TEST_ADMIN } from '@server/auth/auth.support'
import { ensureClientBuilt } from '@server/client-build'
import { Config } from '@server/config'
import type { ConfigInput } from '@server/config'
import { startServer } from '@server/main'
import type { RunningServer } from '@server/main'

const root = fileURLToPath(new URL('../..', import.meta.url))
const clientDir = join(root, 'dist/client')

/** Debian's Chromium, as CI installs it; CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Chromium as kiosk walls run it: sound plays without a click (README, Alerts). */
export function launchKioskChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'] })
}

/**
 * A failed test leaves its page open: close every page after each test, or it
 * keeps drawing while the next test waits for the CPU (a 2-core machine).
 */
export function closePagesAfterEach(browser: () => Browser | undefined): void {
  afterEach(async () => {
    for (const context of browser()?.contexts() ?? [])
      await context.close()
  })
}

export interface WallHarness {
  server: RunningServer
  browser: Browser
  close: () => Promise<void>
}

/** The real server (fresh database, fast simulator) and a real Chromium, ready for a page. */
export async function startWallHarness(overrides: ConfigInput = {}): Promise<WallHarness> {
  await ensureClientBuilt(root, clientDir, () => {})
  const dir = mkdtempSync(join(tmpdir(), 'ioc-browser-'))
  const config = Config.parse({
    port: 0,
    host: '127.0.0.1',
    dbFile: join(dir, 'ioc.db'),
    buildClient: false,
    simSpeed: 60,
    simIntervalMs: 1000,
    simFaultRate: 0,
    // Simulated orders close as the simulated platform says; the officers' cycle is tested on its own.
    simDispatch: false,
    ...overrides,
  })
  const server = await startServer(config, { clientDir })
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  return {
    server,
    browser,
    close: async () => {
      await browser.close()
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export const screenshotDir = join(root, 'test-results')

/**
 * The wall's address with a fresh display token, as an administrator hands
 * it out (/wall#display=…): the page signs in with it, as a wall does.
 */
export async function wallUrl(server: RunningServer, query = ''): Promise<string> {
  const { secret } = await server.auth.admin.issueDisplayToken(TEST_ADMIN, { name: 'browser test wall', scene: null })
  return `${server.url}/wall${query}#display=${secret}`
}
