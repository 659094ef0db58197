/**
 * The 日报 and 周报 in Chromium against the real server and its simulated
 * city: a leader makes reports from the review page (and one through the
 * API), finds them listed, reaches a 周报's print page in two clicks, reads
 * the same figures the API holds, downloads the CSV and the XLSX through the
 * links, and prints the paper as A4 (a screenshot in print media and a PDF).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localDate } from '@shared/calendar/working-days'
import { addDays, weekdayOf } from '@shared/review/periods'
import { periodZh } from '@shared/review/report-tables'
import { ReviewPage } from '@shared/schemas/review'
import { ReportList, ReviewReport } from '@shared/schemas/review-report'
import type { HttpSession } from '@server/auth/auth.support'
import { TEST_ADMIN, userSession } from '@server/auth/auth.support'
import type { WallHarness } from './harness'
import { closePagesAfterEach, screenshotDir, startWallHarness } from './harness'

const LEADER = 'leader-reports'

describe('the daily and weekly reports, in Chromium against the real server', () => {
  let h: WallHarness
  let base: string
  let password: string
  let leader: HttpSession

  beforeAll(async () => {
    h = await startWallHarness({ alerts: false })
    base = h.server.url
    mkdirSync(screenshotDir, { recursive: true })
    password = (await h.server.auth.admin.createUser(TEST_ADMIN, { username: LEADER, displayName: '王市长', roles: ['leader'], departmentId: null }, { mustChangePassword: false })).password
    leader = await userSession(h.server, base, ['leader'])
  }, 180_000)
  afterAll(async () => {
    await h?.close()
  })
  closePagesAfterEach(() => h?.browser)

  it('makes, lists, prints and downloads the reports', { timeout: 420_000 }, async () => {
    // Today's reports count the simulated city's work orders: wait until it has filed some.
    await expect.poll(async () => ReviewPage.parse((await leader.get('/api/review?range=today')).body).hotline.counts.accepted, { timeout: 150_000, interval: 3000 }).toBeGreaterThan(0)
    const today = localDate(Date.now())
    const monday = addDays(today, -weekdayOf(today))
    // One through the API: today's 日报, made by the leader's session.
    const posted = await leader.request('POST', '/api/review/reports', { kind: 'daily', day: today })
    expect(posted.status, JSON.stringify(posted.body)).toBe(201)
    const postedReport = ReviewReport.parse(posted.body)
    expect(postedReport.id).toBe(`daily-${today}`)

    const page = await h.browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', acceptDownloads: true })
    page.setDefaultTimeout(60_000)
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    const outside: string[] = []
    page.on('request', (req) => {
      if (!req.url().startsWith(base) && !req.url().startsWith('data:'))
        outside.push(req.url())
    })
    await signIn(page, base, password, '/review')

    // The panel opens from the review's city page; the API's report is listed, made by whom it says.
    await page.getByTestId('review-reports-toggle').click()
    await page.waitForURL(/reports=1/)
    const daily = page.locator(`[data-testid="report-row"][data-report="daily-${today}"]`)
    await expect.poll(() => daily.count()).toBe(1)
    expect(await daily.getByTestId('report-period').textContent()).toBe(periodZh(today, today))
    expect(await daily.locator('td').nth(3).textContent()).toBe(postedReport.generatedBy)

    // This week's 周报 through the buttons, with a date; yesterday's 日报 with none (the server's default).
    await page.getByTestId('report-day').fill(today)
    await page.getByTestId('report-make-weekly').click()
    // A week not over yet is reported up to today, and its title says so.
    const thisWeek = periodZh(monday, today < addDays(monday, 6) ? today : addDays(monday, 6))
    await expect.poll(() => page.getByTestId('report-made').textContent()).toBe(`已生成：东莞市城市运行周报（${thisWeek}）`)
    const weekly = page.locator(`[data-testid="report-row"][data-report="weekly-${monday}"]`)
    await expect.poll(() => weekly.count()).toBe(1)
    expect(await weekly.getByTestId('report-period').textContent()).toBe(periodZh(monday, addDays(monday, 6)))
    expect(await weekly.locator('td').nth(3).textContent()).toBe(LEADER)
    await page.getByTestId('report-day').fill('')
    await page.getByTestId('report-make-daily').click()
    const yesterday = addDays(today, -1)
    await expect.poll(() => page.locator(`[data-testid="report-row"][data-report="daily-${yesterday}"]`).count()).toBe(1)

    // The list is the API's, newest period first.
    const listed = ReportList.parse((await leader.get('/api/review/reports')).body).reports
    expect(await page.getByTestId('report-row').evaluateAll(rows => rows.map(r => r.getAttribute('data-report')))).toEqual(listed.map(r => r.id))
    expect(listed.map(r => r.id)).toEqual(expect.arrayContaining([`daily-${today}`, `daily-${yesterday}`, `weekly-${monday}`]))
    await page.screenshot({ path: join(screenshotDir, 'review-reports-1080p.png') })

    // Two clicks from the review to the 周报: the panel, then 打印.
    await page.goto(`${base}/review`)
    await page.getByTestId('review-reports-toggle').click()
    await weekly.getByTestId('report-print').click()
    await page.waitForURL(`${base}/review/reports/weekly-${monday}/print`)
    const report = ReviewReport.parse((await leader.get(`/api/review/reports/weekly-${monday}`)).body)
    await page.locator('[data-testid="report-sheet"][data-ready="true"]').waitFor()
    expect(await page.getByTestId('report-print-title').textContent()).toBe(report.title)
    expect(await page.title()).toBe(report.title)
    expect(await page.getByTestId('report-print-period').textContent()).toBe(periodZh(report.page.period.from, report.page.period.to))
    expect(await page.getByTestId('report-print-compared').textContent()).toBe(periodZh(report.page.previous.from, report.page.previous.to))
    // The 12345 intake of the summary table is the report's own figure.
    const intake = page.locator('[data-sheet="主要指标"] tbody tr').filter({ hasText: '12345 受理量' })
    expect(await intake.locator('td').allTextContents()).toEqual(['12345 受理量', '件', String(report.page.hotline.counts.accepted), String(report.page.hotline.previous.accepted), String(report.page.hotline.counts.accepted - report.page.hotline.previous.accepted)])
    const sheets = await page.getByTestId('report-table').evaluateAll(list => list.map(s => s.getAttribute('data-sheet')))
    expect(sheets).toEqual(expect.arrayContaining(['主要指标', '空气质量逐日', '受理量按类别', '部门考核']))
    // Figures right-aligned; a missing one written "—".
    expect(await intake.locator('td').nth(2).evaluate(td => getComputedStyle(td).textAlign)).toBe('right')
    expect(await page.locator('[data-sheet="主要指标"] tbody tr').filter({ hasText: '超期工单数' }).locator('td').nth(3).textContent()).toBe('—')
    await page.screenshot({ path: join(screenshotDir, 'report-print-screen-1080p.png'), fullPage: true })

    // Printed: the buttons gone, headers repeating, an A4 sheet.
    await page.setViewportSize({ width: 794, height: 1123 })
    await page.emulateMedia({ media: 'print' })
    expect(await page.getByTestId('report-print-button').isVisible()).toBe(false)
    expect(await page.locator('[data-sheet="部门考核"] thead').evaluate(el => getComputedStyle(el).display)).toBe('table-header-group')
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)')
    await page.screenshot({ path: join(screenshotDir, 'report-print-a4.png') })
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true })
    writeFileSync(join(screenshotDir, 'report-weekly.pdf'), pdf)
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0).toBeGreaterThan(1)
    await page.emulateMedia({ media: 'screen' })
    await page.setViewportSize({ width: 1920, height: 1080 })

    // Back to the panel, still open; the downloads through their links.
    await page.getByTestId('report-print-back').click()
    await page.waitForURL(/\/review\?reports=1$/)
    const csv = await download(page, weekly.getByTestId('report-csv'))
    expect(csv.name).toBe(`${report.title}.csv`)
    expect(csv.body.subarray(0, 3)).toEqual(Buffer.from([0xEF, 0xBB, 0xBF]))
    const text = csv.body.toString('utf8').slice(1)
    expect(text.split('\r\n')[0]).toBe(report.title)
    expect(text).toContain(`12345 受理量,件,${report.page.hotline.counts.accepted},`)
    const xlsx = await download(page, weekly.getByTestId('report-xlsx'))
    expect(xlsx.name).toBe(`${report.title}.xlsx`)
    expect(xlsx.body.subarray(0, 2).toString('latin1')).toBe('PK')
    expect(xlsx.body.length).toBeGreaterThan(5000)

    // The panel speaks English; the paper stays Chinese.
    await page.goto(`${base}/review?reports=1&lang=en`)
    await expect.poll(() => page.getByTestId('review-reports-toggle').textContent()).toContain('Daily · weekly reports')
    expect(await weekly.locator('td').first().textContent()).toBe('Weekly')
    expect(await weekly.getByTestId('report-period').textContent()).toBe(`${monday} – ${addDays(monday, 6)}`)
    await weekly.getByTestId('report-print').click()
    await page.locator('[data-testid="report-sheet"][data-ready="true"]').waitFor()
    expect(await page.getByTestId('report-print-title').textContent()).toBe(report.title)

    expect(errors).toEqual([])
    expect(outside).toEqual([])
  })

  it('refuses a report of a day to come', async () => {
    const res = await leader.request('POST', '/api/review/reports', { kind: 'daily', day: addDays(localDate(Date.now()), 2) })
    expect(res.status).toBe(422)
  })
})

async function signIn(page: Page, base: string, password: string, next: string): Promise<void> {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`)
  await page.getByTestId('login-username').fill(LEADER)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(`${base}${next}`)
}

/** Clicks a download link and reads what arrives, with the name the server gave it. */
async function download(page: Page, link: ReturnType<Page['locator']>): Promise<{ name: string, body: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()])
  const path = await file.path()
  return { name: file.suggestedFilename(), body: readFileSync(path) }
}
