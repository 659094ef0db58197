/**
 * The dispatch actions the main browser test (dispatch.test.ts) leaves out,
 * in Chromium against the real server (no simulator, 12345 calls from a
 * signed webhook feed), each driven through the screens and checked both on
 * screen and through REST: bulk dispatch (x and the row checkboxes), merge
 * from the similar-orders list, direct answer (直接答复), the department's
 * return (退单) and the officer's review (改派 / 驳回), an extension request
 * (延期申请) and its approval (延期审批), an assisting department's note
 * (协办意见), the ? key list, and the console in English with a form open
 * (screenshot at 1920×1080). Steps that only set an order up go through REST.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { CityModel } from '@shared/schemas/city'
import type { WorkOrderDetail, WorkOrderList } from '@shared/schemas/work-order-views'
import type { HttpSession } from '@server/auth/auth.support'
import { TEST_ADMIN, userSession } from '@server/auth/auth.support'
import { hotlineCall, incidentWebhook, sendCommand } from '@server/dispatch/dispatch.support'
import type { WallHarness } from './harness'
import { closePagesAfterEach, screenshotDir, startWallHarness } from './harness'

const SCREEN = { viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' }
const LIVE_MS = 20_000

/** The calls of each scenario, pushed together at the start. */
const T = {
  bulk1: '202612041001',
  bulk2: '202612041002',
  bystander: '202612041003',
  mergeMain: '202612041011',
  mergeDuplicate: '202612041012',
  answer: '202612041021',
  redispatch: '202612041031',
  rejectReturn: '202612041032',
  assisted: '202612041041',
  english: '202612041051',
} as const

async function signIn(browser: Browser, base: string, username: string, password: string, path: string): Promise<{ page: Page, errors: string[] }> {
  const page = await (await browser.newContext(SCREEN)).newPage()
  const errors: string[] = []
  page.on('pageerror', err => errors.push(err.message))
  await page.goto(`${base}/login?next=${path}`)
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(`${base}${path}`)
  await page.getByTestId('order-table').waitFor()
  return { page, errors }
}

const row = (page: Page, ticket: string): Locator => page.locator('[data-testid="order-row"]', { hasText: ticket })

/** Opens the order by its row and waits for its detail. */
async function openRow(page: Page, ticket: string): Promise<void> {
  const r = row(page, ticket)
  await r.click()
  await page.locator(`[data-testid="order-detail"][data-order-id="${await r.getAttribute('data-order-id')}"]`).waitFor({ timeout: 15_000 })
}

/** Sends the open form and waits for what the pane says; its title. */
async function submitForm(page: Page, button = 'form-submit'): Promise<string> {
  await page.getByTestId(button).click()
  await page.getByTestId('action-said').waitFor({ timeout: 15_000 })
  expect(await page.getByTestId('action-said').getAttribute('data-tone')).toBe('ok')
  return page.getByTestId('action-said-title').innerText()
}

const timelineOnScreen = (page: Page): Promise<(string | null)[]> =>
  page.locator('[data-testid="timeline-entry"]').evaluateAll(els => els.map(e => e.getAttribute('data-action')))

describe('the dispatch actions beyond the main path, in Chromium against the real server', () => {
  const hooks = incidentWebhook()
  let h: WallHarness
  let officer: HttpSession
  let handlerA: HttpSession
  let city: CityModel
  /** The department routing suggests for the environment calls (handler A's), and two others. */
  let deptA: string
  let deptB: string
  let deptC: string
  const ids: Record<string, string> = {}
  const passwords: Record<string, string> = {}

  const orderOf = async (ticket: string): Promise<WorkOrderDetail> => (await officer.get<WorkOrderDetail>(`/api/work-orders/${encodeURIComponent(ids[ticket]!)}`)).body
  const nameOf = (id: string): string => city.departments.find(d => d.id === id)!.name
  const send = async (ticket: string, command: Parameters<typeof sendCommand>[3], who = officer): Promise<void> => {
    const now = await orderOf(ticket)
    expect((await sendCommand(who, ids[ticket]!, now.incident.handling.version, command)).status).toBe(200)
  }

  beforeAll(async () => {
    h = await startWallHarness({ simulator: false, alerts: false, feeds: [hooks.feedConfig] })
    mkdirSync(screenshotDir, { recursive: true })
    const admin = await userSession(h.server, h.server.url, ['admin'])
    officer = await userSession(h.server, h.server.url, ['duty_officer'])
    city = (await admin.get<CityModel>('/api/city')).body
    const routed = city.routing.environment
    deptA = routed === 'town' ? city.departments.find(d => d.townCode === '441900123')!.id : routed
    const others = city.departments.filter(d => d.id !== deptA && !d.townCode)
    deptB = others[0]!.id
    deptC = others[1]!.id
    handlerA = await userSession(h.server, h.server.url, ['dept_handler'], deptA)
    const make = async (username: string, displayName: string, roles: ('duty_officer' | 'dept_handler')[], dept: string | null): Promise<void> => {
      passwords[username] = (await h.server.auth.admin.createUser(TEST_ADMIN, { username, displayName, roles, departmentId: dept }, { mustChangePassword: false })).password
    }
    await make('duty-li', '李值班', ['duty_officer'], null)
    await make('handler-zhao', '赵办理', ['dept_handler'], deptA)
    await make('handler-sun', '孙协办', ['dept_handler'], deptB)

    const at = new Date().toISOString()
    const nearby = { lng: 113.6201, lat: 22.9203 }
    await hooks.push(h.server.url, [
      hotlineCall(T.bulk1, at, { title: '河涌发黑发臭' }),
      hotlineCall(T.bulk2, at, { title: '餐馆油烟扰民' }),
      hotlineCall(T.bystander, at, { title: '工地夜间施工噪声' }),
      hotlineCall(T.mergeMain, at, { topic: 'transport', title: '港口大道红绿灯故障' }),
      hotlineCall(T.mergeDuplicate, at, { topic: 'transport', title: '港口大道路口信号灯不亮', location: nearby }),
      hotlineCall(T.answer, at, { topic: 'city-management', nature: 'consult', title: '咨询垃圾分类投放时间' }),
      hotlineCall(T.redispatch, at, { title: '小区旁废品站焚烧垃圾' }),
      hotlineCall(T.rejectReturn, at, { title: '养殖场污水直排' }),
      hotlineCall(T.assisted, at, { title: '工业园区废气异味' }),
      hotlineCall(T.english, at, { title: '商铺外放音响噪声' }),
    ])
    // The feed answers 202 before the orders are stored: wait for each (expect.poll is for tests only).
    for (const ticket of Object.values(T)) {
      ids[ticket] = await vi.waitFor(async () => {
        const id = (await officer.get<WorkOrderList>(`/api/work-orders?q=${ticket}`)).body.items[0]?.id
        if (!id)
          throw new Error(`${ticket} not stored yet`)
        return id
      }, { timeout: LIVE_MS, interval: 100 })
    }
  }, 180_000)
  afterAll(async () => {
    await h?.close()
  })
  closePagesAfterEach(() => h?.browser)

  it('lists the keys on ?, bulk-dispatches the rows chosen with x and a checkbox, merges a duplicate from the similar list, answers directly', async () => {
    const { page, errors } = await signIn(h.browser, h.server.url, 'duty-li', passwords['duty-li']!, '/dispatch')
    await row(page, T.bulk1).waitFor({ timeout: LIVE_MS })

    await page.locator('body').press('?')
    const help = page.getByTestId('key-help')
    await help.waitFor()
    expect(await help.locator('dd').allInnerTexts()).toEqual(['下一条', '上一条', '打开工单', '选择 / 取消选择', '按建议派单（需确认）', '回访', '督办', '搜索', '显示快捷键'])
    await page.locator('body').press('Escape')
    await help.waitFor({ state: 'detached' })

    // x selects the cursor's row (a click puts the cursor there); the second one by its checkbox.
    await openRow(page, T.bulk1)
    await page.locator('body').press('x')
    expect(await row(page, T.bulk1).getByTestId('order-select').isChecked()).toBe(true)
    await row(page, T.bulk2).getByTestId('order-select').check()
    expect(await page.getByTestId('bulk-count').innerText()).toBe('已选 2 件')
    await page.getByTestId('bulk-submit').click()
    const results = page.getByTestId('bulk-result')
    await expect.poll(() => results.evaluateAll(els => els.map(e => e.getAttribute('data-outcome'))), { timeout: 15_000 }).toEqual(['ok', 'ok'])
    // Each result names its ticket (not the internal order id) and where it went.
    expect(await results.locator('.adm-mono').allInnerTexts()).toEqual(expect.arrayContaining([T.bulk1, T.bulk2]))
    for (const ticket of [T.bulk1, T.bulk2]) {
      expect(await results.filter({ hasText: ticket }).innerText()).toContain(`已派单 → ${nameOf(deptA)}`)
      await expect.poll(() => row(page, ticket).getAttribute('data-state'), { timeout: 15_000 }).toBe('dispatched')
    }
    expect(await page.getByTestId('order-select').evaluateAll(els => els.filter(e => (e as HTMLInputElement).checked).length)).toBe(0)

    for (const ticket of [T.bulk1, T.bulk2]) {
      const order = await orderOf(ticket)
      expect(order.incident.handling.state).toBe('dispatched')
      expect(order.incident.handling.departmentId).toBe(deptA)
      expect(order.timeline.map(e => e.action)).toEqual(['create', 'dispatch'])
    }
    // Only the chosen rows went.
    expect((await orderOf(T.bystander)).incident.handling.state).toBe('accepted')
    expect(await row(page, T.bystander).getAttribute('data-state')).toBe('accepted')

    // 并入此单 in the similar-orders list merges the opened order into that one.
    const mainId = ids[T.mergeMain]!
    const duplicateId = ids[T.mergeDuplicate]!

    await openRow(page, T.mergeDuplicate)
    const similar = page.locator(`[data-testid="similar-item"][data-order-id="${mainId}"]`)
    expect(await similar.innerText()).toContain(T.mergeMain)
    await similar.getByTestId('similar-merge').click()
    await page.getByTestId('action-said').waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('action-said-title').innerText()).toBe('已合并，工单状态：已合并')
    await expect.poll(() => row(page, T.mergeDuplicate).getAttribute('data-state'), { timeout: 15_000 }).toBe('merged')
    await expect.poll(() => page.getByTestId('detail-state').innerText(), { timeout: 15_000 }).toBe('已合并')
    const duplicate = await orderOf(T.mergeDuplicate)
    expect(duplicate.incident.handling).toMatchObject({ state: 'merged', mergedInto: mainId })
    expect(duplicate.timeline.map(e => e.action)).toEqual(['create', 'merge'])
    const main = await orderOf(T.mergeMain)
    expect(main.incident.handling.state).toBe('accepted')
    expect(main.incident.handling.mergedIds).toEqual([duplicateId])
    expect(main.timeline.at(-1)).toMatchObject({ action: 'merged_from', detail: { duplicateId } })
    await openRow(page, T.mergeMain)
    await expect.poll(() => timelineOnScreen(page), { timeout: 15_000 }).toEqual(['create', 'merged_from'])

    // 直接答复: a consultation the center answers itself is closed without a department.
    await openRow(page, T.answer)
    await page.getByTestId('action-answer').click()
    const summary = '其他垃圾每日 18:00–21:00 定时投放，可回收物随时投放。'
    await page.getByTestId('form-text').fill(summary)
    expect(await submitForm(page)).toBe('已直接答复，工单状态：办结')
    await expect.poll(() => row(page, T.answer).getAttribute('data-state'), { timeout: 15_000 }).toBe('closed')
    await expect.poll(() => timelineOnScreen(page), { timeout: 15_000 }).toEqual(['create', 'answer'])
    const answered = await orderOf(T.answer)
    expect(answered.incident.handling.state).toBe('closed')
    expect(answered.incident.handling.reply?.summary).toBe(summary)
    expect(answered.timeline.at(-1)!.detail).toEqual({ summary })
    expect(errors).toEqual([])
  }, 120_000)

  it('takes returns to review (改派 and 驳回), an extension to approval, and an assisting department\'s note', async () => {
    // Set-up through REST: three orders with department A, one of them with B assisting and signed.
    await send(T.redispatch, { action: 'dispatch', departmentId: deptA })
    await send(T.rejectReturn, { action: 'dispatch', departmentId: deptA })
    await send(T.assisted, { action: 'dispatch', departmentId: deptA, assistingDepartmentIds: [deptB] })
    await send(T.assisted, { action: 'sign' }, handlerA)

    // Three people at once: department A's handler, the officer, department B's handler.
    const [handler, duty, assistant] = await Promise.all([
      signIn(h.browser, h.server.url, 'handler-zhao', passwords['handler-zhao']!, '/inbox'),
      signIn(h.browser, h.server.url, 'duty-li', passwords['duty-li']!, '/dispatch'),
      signIn(h.browser, h.server.url, 'handler-sun', passwords['handler-sun']!, '/inbox'),
    ])

    // Department A returns two orders from its inbox.
    for (const ticket of [T.redispatch, T.rejectReturn]) {
      await row(handler.page, ticket).waitFor({ timeout: 15_000 })
      await openRow(handler.page, ticket)
      await handler.page.getByTestId('action-return').click()
      await handler.page.getByTestId('form-text').fill('不属本部门职责')
      expect(await submitForm(handler.page)).toBe('已退单，工单状态：退单待审')
      await expect.poll(() => row(handler.page, ticket).getAttribute('data-state'), { timeout: 15_000 }).toBe('returned')
      expect((await orderOf(ticket)).incident.handling).toMatchObject({ state: 'returned', returns: 1, returnRequest: { reason: '不属本部门职责', from: 'dispatched' } })
    }

    // The officer sends the first to department B (改派) and turns down the second (驳回).
    await expect.poll(() => row(duty.page, T.redispatch).getAttribute('data-state'), { timeout: LIVE_MS }).toBe('returned')
    await openRow(duty.page, T.redispatch)
    expect(await duty.page.getByTestId('order-detail').innerText()).toContain('退单申请：不属本部门职责（handler-zhao）')
    await duty.page.getByTestId('action-review_return').click()
    expect(await duty.page.getByTestId('form-redispatch').isChecked()).toBe(true)
    await duty.page.getByTestId('form-department').selectOption(deptB)
    expect(await submitForm(duty.page)).toBe('已退单审核，工单状态：待签收')
    await expect.poll(() => duty.page.getByTestId('detail-department').innerText(), { timeout: 15_000 }).toBe(nameOf(deptB))
    const redispatched = await orderOf(T.redispatch)
    expect(redispatched.incident.handling).toMatchObject({ state: 'dispatched', departmentId: deptB, returnRequest: null, returns: 1 })
    expect(redispatched.timeline.at(-1)).toMatchObject({ action: 'review_return', detail: { decision: 'redispatch', departmentId: deptB } })

    await openRow(duty.page, T.rejectReturn)
    await duty.page.getByTestId('action-review_return').click()
    await duty.page.getByTestId('form-reject').check()
    await expect.poll(() => duty.page.getByTestId('form-department').count()).toBe(0)
    await duty.page.getByTestId('form-note').fill('属本部门职责，请继续办理')
    expect(await submitForm(duty.page)).toBe('已退单审核，工单状态：待签收')
    const rejected = await orderOf(T.rejectReturn)
    expect(rejected.incident.handling).toMatchObject({ state: 'dispatched', departmentId: deptA, returnRequest: null })
    expect(rejected.timeline.at(-1)).toMatchObject({ action: 'review_return', detail: { decision: 'reject', note: '属本部门职责，请继续办理' } })

    // Department A: the order sent to B has left its inbox; it signs the other and asks for 5 more working days.
    await handler.page.getByTestId('list-refresh').click()
    await expect.poll(() => row(handler.page, T.redispatch).count(), { timeout: 15_000 }).toBe(0)
    await expect.poll(() => row(handler.page, T.rejectReturn).getAttribute('data-state'), { timeout: 15_000 }).toBe('dispatched')
    await handler.page.getByTestId('action-sign').click()
    await submitForm(handler.page)
    await handler.page.getByTestId('action-request_extension').click()
    await handler.page.getByTestId('form-working-days').fill('5')
    await handler.page.getByTestId('form-text').fill('需协调环保检测')
    expect(await submitForm(handler.page)).toBe('已延期申请，工单状态：办理中')
    const before = await orderOf(T.rejectReturn)
    expect(before.incident.handling.extensionRequest).toMatchObject({ workingDays: 5, reason: '需协调环保检测' })

    // The officer's open detail follows; 批准 moves the handling deadline.
    await duty.page.getByTestId('action-review_extension').click({ timeout: LIVE_MS })
    expect(await duty.page.locator('[data-testid="action-form"][data-action="review_extension"]').innerText()).toContain('5')
    await duty.page.getByTestId('form-note').fill('同意延期')
    expect(await submitForm(duty.page, 'form-approve')).toBe('已延期审批，工单状态：办理中')
    const after = await orderOf(T.rejectReturn)
    expect(after.incident.handling).toMatchObject({ extensionRequest: null, extensionsGranted: 1 })
    expect(Date.parse(after.incident.handling.handleDueAt)).toBeGreaterThan(Date.parse(before.incident.handling.handleDueAt))
    expect(after.timeline.at(-1)).toMatchObject({ action: 'review_extension', detail: { approve: true, note: '同意延期' } })
    await expect.poll(() => timelineOnScreen(duty.page), { timeout: 15_000 })
      .toEqual(['create', 'dispatch', 'return', 'review_return', 'sign', 'request_extension', 'review_extension'])

    // Department B, assisting, may only add its note to the order A handles.
    await row(assistant.page, T.assisted).waitFor({ timeout: 15_000 })
    await openRow(assistant.page, T.assisted)
    expect(await assistant.page.locator('[data-testid^="action-"][type="button"]').evaluateAll(els => els.map(e => e.getAttribute('data-testid')))).toEqual(['action-assist_note'])
    await assistant.page.getByTestId('action-assist_note').click()
    await assistant.page.getByTestId('form-text').fill('已派员配合现场检测')
    expect(await submitForm(assistant.page)).toBe('已提交协办意见，工单状态：办理中')
    const assisted = await orderOf(T.assisted)
    expect(assisted.incident.handling).toMatchObject({ state: 'in_progress', departmentId: deptA })
    expect(assisted.timeline.at(-1)).toMatchObject({ action: 'assist_note', actor: { departmentId: deptB }, detail: { text: '已派员配合现场检测' } })

    expect([...handler.errors, ...duty.errors, ...assistant.errors]).toEqual([])
  }, 120_000)

  it('reads in English, with the dispatch form open (1080p screenshot)', async () => {
    const { page, errors } = await signIn(h.browser, h.server.url, 'duty-li', passwords['duty-li']!, '/dispatch')
    await page.getByRole('button', { name: 'EN', exact: true }).click()
    await expect.poll(() => page.locator('.desk__title').innerText()).toBe('Dispatch')
    await page.locator('body').press('?')
    expect(await page.getByTestId('key-help').innerText()).toContain('Dispatch as suggested (confirm)')
    await page.locator('body').press('Escape')

    await openRow(page, T.english)
    expect(await row(page, T.english).getByTestId('order-state').innerText()).not.toMatch(/[\u4E00-\u9FFF]/)
    await page.getByTestId('action-dispatch').click()
    await page.locator(`[data-testid="form-assisting"][value="${deptC}"]`).check()
    await page.getByTestId('form-priority').selectOption('urgent')
    await page.getByTestId('form-note').fill('Loudspeaker outside a shop')
    await page.screenshot({ path: join(screenshotDir, 'dispatch-console-en-1080p.png') })
    const said = await submitForm(page)
    expect(said).toMatch(/done/)
    expect(said).not.toMatch(/[\u4E00-\u9FFF]/)
    const order = await orderOf(T.english)
    expect(order.incident.handling).toMatchObject({ state: 'dispatched', departmentId: deptA, assistingDepartmentIds: [deptC], priority: 'urgent' })
    expect(order.timeline.at(-1)!.detail).toMatchObject({ note: 'Loudspeaker outside a shop' })
    expect(errors).toEqual([])
  }, 120_000)
})
