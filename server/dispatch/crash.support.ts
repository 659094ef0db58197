/**
 * The SIGKILL crash run of dispatch commands (reliability.md §6.1 C1, §6.5 A1),
 * shared by server/dispatch/dispatch.crash.test.ts and bench/dispatch-crash.ts.
 *
 * A server child (server/dispatch/crash-child.ts, bundled once per run) takes
 * 12345 calls on a webhook feed; a duty officer and a department handler then
 * take every order through dispatch → sign → reply → revisit, each action
 * under its own commandId, retried with the same commandId until a 200,
 * several orders at once. Meanwhile the child is SIGKILLed at random moments
 * and started again; after the last action it is killed once more, so that
 * every acknowledgement has outlived a kill. The checks then read the
 * database the restarted server runs on.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { WorkOrderCommandInput, WorkOrderState } from '@shared/schemas/work-orders'
import { WorkOrderCommandAnswer } from '@shared/schemas/work-orders'
import { AdminService } from '@server/auth/admin-service'
import type { HttpSession } from '@server/auth/auth.support'
import { signIn } from '@server/auth/auth.support'
import { CSRF_HEADER } from '@server/auth/guard'
import { deriveKey } from '@server/auth/secrets'
import { bundleServer } from '@server/bundle.mjs'
import { loadCity } from '@server/city'
import { freePort } from '@server/cluster/cluster.support'
import type { CrashDatabase } from './crash.inspect'
import { inspectRun, postgresDatabase, sqliteDatabase } from './crash.inspect'
import type { CrashChecks } from './crash.inspect'
import { hotlineCall, incidentWebhook } from './dispatch.support'

export interface CrashRunOptions {
  backend: 'sqlite' | 'postgres'
  /** Dispatch actions to send, four per order (N). */
  actions: number
  /** SIGKILLs at random moments while they are sent (K); one more follows the last acknowledgement. */
  kills: number
  /** PostgreSQL, for the postgres backend (a schema of its own is made and dropped). */
  postgresUrl?: string
  /** Orders worked on at once. */
  lanes?: number
  /** Progress lines (restarts), for the benchmark. */
  log?: (line: string) => void
}

export interface CrashFigures extends CrashChecks {
  backend: CrashRunOptions['backend']
  actions: number
  orders: number
  /** Actions answered 200 (each counted once, however many tries it took). */
  acknowledged: number
  /** 200 answers with `replayed: true`: a try whose first answer was lost. */
  replays: number
  /** Requests sent, tries included. */
  attempts: number
  /** Requests refused while the server was down. */
  refused: number
  /** Requests cut off without an answer: the connection reset by a kill, or the request timeout. */
  cutOff: number
  /** Answers other than 200, by status. */
  statuses: Record<string, number>
  /** 200 answers whose order is not in the state and version the action leads to. */
  wrongAnswers: number
  /** SIGKILLs, the final one included; those that hit while commands were in flight. */
  kills: number
  killsInFlight: number
  /** From each SIGKILL until the new child answered /api/health. */
  restartMs: number[]
  /** An acknowledged command sent again after the final restart got its stored answer back. */
  replayAfterRestart: boolean
  /** Sending the actions, kills and restarts included. */
  sendMs: number
}

const STEPS: ReadonlyArray<{ who: 'duty' | 'handler', to: WorkOrderState, command: WorkOrderCommandInput }> = [
  { who: 'duty', to: 'dispatched', command: { action: 'dispatch', departmentId: '' } },
  { who: 'handler', to: 'in_progress', command: { action: 'sign' } },
  { who: 'handler', to: 'pending_revisit', command: { action: 'reply', summary: '已责令整改，复查达标', resolved: true } },
  { who: 'duty', to: 'closed', command: { action: 'revisit', satisfaction: 'satisfied', note: '市民表示满意' } },
]
export const ACTIONS_PER_ORDER = STEPS.length
/** Short: a request the kill cut off is tried again soon, with the same commandId. */
const REQUEST_TIMEOUT_MS = 3000
const RETRY_DELAY_MS = 50
/** A guard against a command that can never be acknowledged: the run fails instead of hanging. */
const GIVE_UP_MS = 60_000
const HEALTH_TIMEOUT_MS = 60_000
/** A killed child is started again after a random pause below this (the criterion: within 2 s). */
const RESTART_PAUSE_MS = 300
/** A kill comes up to this long after its moment is reached, so that it lands anywhere in a request. */
const KILL_JITTER_MS = 25
const CALLS_PER_PUSH = 50
const STOP_TIMEOUT_MS = 10_000

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const root = fileURLToPath(new URL('../..', import.meta.url))

/** The server child: started, killed, started again on the same port and database. */
class ServerChild {
  private child: ChildProcess | undefined
  private output: string[] = []

  constructor(private readonly bundle: string, private readonly env: Record<string, string>, readonly base: string) {}

  /** Starts it and waits until /api/health answers. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [this.bundle], { cwd: root, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    const keep = (chunk: Buffer): void => {
      this.output.push(chunk.toString())
      this.output = this.output.slice(-50)
    }
    child.stdout?.on('data', keep)
    child.stderr?.on('data', keep)
    const deadline = Date.now() + HEALTH_TIMEOUT_MS
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the server child exited (${child.exitCode ?? child.signalCode}) before it answered:\n${this.output.join('')}`)
      const ok = await fetch(`${this.base}/api/health`, { signal: AbortSignal.timeout(1000) }).then(r => r.ok, () => false)
      if (ok)
        return
      await sleep(25)
    }
    throw new Error(`the server child did not answer /api/health in ${HEALTH_TIMEOUT_MS} ms:\n${this.output.join('')}`)
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return
    const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
    child.kill(signal)
    // A clean stop that hangs must not hang the run.
    const guard = signal === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    await exited
    clearTimeout(guard)
  }

  kill9 = (): Promise<void> => this.end('SIGKILL')
  stop = (): Promise<void> => this.end('SIGTERM')
}

interface Backend {
  env: Record<string, string>
  database: CrashDatabase
}

function openBackend(options: CrashRunOptions, dir: string, auditKey: Buffer): Backend {
  if (options.backend === 'sqlite') {
    const file = join(dir, 'ioc.db')
    return { env: { IOC_DB_FILE: file }, database: sqliteDatabase(file, auditKey) }
  }
  if (!options.postgresUrl)
    throw new Error('the postgres backend needs postgresUrl')
  const url = options.postgresUrl
  const schema = `ioc_crash_${randomBytes(6).toString('hex')}`
  return {
    env: { IOC_DB_FILE: join(dir, 'ioc.db'), IOC_DATABASE_URL: url, IOC_DATABASE_SCHEMA: schema },
    database: postgresDatabase(url, schema, auditKey),
  }
}

/** A duty officer and a handler of the department environment calls go to, made on the store before the first start. */
async function makeUsers(db: CrashDatabase, departmentId: string): Promise<Record<'duty' | 'handler', { username: string, password: string }>> {
  const city = loadCity('dongguan')
  const store = await db.openStore()
  try {
    await store.auth.seedDepartments(city.departments.map(d => ({ id: d.id, name: d.name, nameEn: d.nameEn, townCode: d.townCode ?? null, active: true })))
    const admin = new AdminService(store.auth)
    const duty = await admin.createUser(null, { username: 'crash-duty', displayName: '值班长（崩溃测试）', roles: ['duty_officer'], departmentId: null }, { mustChangePassword: false })
    const handler = await admin.createUser(null, { username: 'crash-handler', displayName: '处理人（崩溃测试）', roles: ['dept_handler'], departmentId }, { mustChangePassword: false })
    return { duty: { username: 'crash-duty', password: duty.password }, handler: { username: 'crash-handler', password: handler.password } }
  }
  finally {
    await store.close()
  }
}

interface Action { orderId: string, commandId: string, expectedVersion: number, to: WorkOrderState, who: HttpSession, command: WorkOrderCommandInput }

/** What the senders saw; the killer reads `acknowledged` and `inFlight`. */
class Tally {
  acknowledgedIds: string[] = []
  inFlight = 0
  replays = 0
  attempts = 0
  refused = 0
  cutOff = 0
  wrongAnswers = 0
  statuses: Record<string, number> = {}
  /** Set when the killer failed (a child that would not start again): the senders stop. */
  abort: Error | undefined
}

/** Sends one action until it is acknowledged, always under its own commandId. */
async function deliver(action: Action, tally: Tally): Promise<void> {
  const body = JSON.stringify({ commandId: action.commandId, expectedVersion: action.expectedVersion, command: action.command })
  const giveUpAt = Date.now() + GIVE_UP_MS
  for (;;) {
    tally.attempts++
    tally.inFlight++
    try {
      const res = await fetch(`${action.who.base}/api/work-orders/${encodeURIComponent(action.orderId)}/commands`, {
        method: 'POST',
        headers: { 'origin': action.who.base, 'content-type': 'application/json', 'cookie': action.who.cookie, [CSRF_HEADER]: action.who.info.csrfToken },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      })
      const text = await res.text()
      if (res.status === 200) {
        const answer = WorkOrderCommandAnswer.parse(JSON.parse(text))
        if (answer.replayed)
          tally.replays++
        if (answer.order.state !== action.to || answer.order.version !== action.expectedVersion + 1)
          tally.wrongAnswers++
        tally.acknowledgedIds.push(action.commandId)
        return
      }
      tally.statuses[res.status] = (tally.statuses[res.status] ?? 0) + 1
    }
    catch (err) {
      if ((err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED')
        tally.refused++
      else
        tally.cutOff++
    }
    finally {
      tally.inFlight--
    }
    if (tally.abort)
      throw tally.abort
    if (Date.now() > giveUpAt)
      throw new Error(`command ${action.commandId} (${action.command.action} on ${action.orderId}) not acknowledged in ${GIVE_UP_MS} ms; answers so far: ${JSON.stringify(tally.statuses)}`)
    await sleep(RETRY_DELAY_MS)
  }
}

/** One lane's orders, step by step across them (dispatch all, sign all…): each order's actions in order, orders interleaved. */
async function runLane(actions: Action[][], tally: Tally): Promise<void> {
  for (let step = 0; step < ACTIONS_PER_ORDER; step++) {
    for (const perOrder of actions)
      await deliver(perOrder[step]!, tally)
  }
}

/** The moments (as counts of acknowledged actions) at which the child is killed: K distinct, at random, between 5 % and 90 % of N. */
function killMoments(actions: number, kills: number): number[] {
  const low = Math.max(1, Math.floor(actions * 0.05))
  const high = Math.max(low + kills, Math.floor(actions * 0.9))
  const moments = new Set<number>()
  while (moments.size < kills)
    moments.add(low + Math.floor(Math.random() * (high - low)))
  return [...moments].sort((a, b) => a - b)
}

/** Runs C1 once and returns its figures; throws only when the run itself could not be carried out. */
export async function runDispatchCrash(options: CrashRunOptions): Promise<CrashFigures> {
  const log = options.log ?? ((): void => {})
  if (options.actions <= 0 || options.actions % ACTIONS_PER_ORDER !== 0)
    throw new Error(`actions must be a positive multiple of ${ACTIONS_PER_ORDER} (whole orders)`)
  const orders = options.actions / ACTIONS_PER_ORDER
  const dir = mkdtempSync(join(tmpdir(), 'ioc-crash-'))
  const cacheDir = join(root, 'node_modules', '.cache', 'ioc-crash')
  // Its own file per run, under node_modules so that the packages left outside the bundle resolve.
  const bundle = join(cacheDir, `crash-child-${process.pid}-${randomBytes(4).toString('hex')}.mjs`)
  const secret = randomBytes(32).toString('hex')
  const auditKey = deriveKey(secret, 'audit')
  const hooks = incidentWebhook('crash-hooks')
  const departmentId = loadCity('dongguan').routing.environment
  if (!departmentId)
    throw new Error('no department for environment calls in the city model')
  const backend = openBackend(options, dir, auditKey)
  let server: ServerChild | undefined
  try {
    mkdirSync(cacheDir, { recursive: true })
    await bundleServer(fileURLToPath(new URL('./crash-child.ts', import.meta.url)), bundle)
    const users = await makeUsers(backend.database, departmentId)
    const port = await freePort()
    server = new ServerChild(bundle, {
      ...backend.env,
      IOC_PORT: String(port),
      IOC_HOST: '127.0.0.1',
      IOC_SECRET: secret,
      IOC_CITY: 'dongguan',
      IOC_SIMULATOR: 'false',
      IOC_ALERTS: 'false',
      IOC_FEEDS: JSON.stringify([hooks.feedConfig]),
      IOC_PRODUCTION: 'false',
    }, `http://127.0.0.1:${port}`)
    await server.start()
    const base = server.base
    const duty = await signIn(base, users.duty.username, users.duty.password)
    const handler = await signIn(base, users.handler.username, users.handler.password)

    // The calls, and their orders in the queue before anything is killed.
    const at = new Date().toISOString()
    const tickets = Array.from({ length: orders }, (_, i) => `C1-${String(i + 1).padStart(5, '0')}`)
    for (let i = 0; i < tickets.length; i += CALLS_PER_PUSH)
      await hooks.push(base, tickets.slice(i, i + CALLS_PER_PUSH).map(no => hotlineCall(no, at)))
    const orderIds = tickets.map(no => `${hooks.id}:${no}`)
    await waitForOrders(duty, orderIds)

    const lanes = options.lanes ?? 4
    const perLane: Action[][][] = Array.from({ length: lanes }, () => [])
    orderIds.forEach((orderId, i) => {
      perLane[i % lanes]!.push(STEPS.map((step, s) => ({
        orderId,
        commandId: `c1-${randomUUID()}`,
        expectedVersion: s + 1,
        to: step.to,
        who: step.who === 'duty' ? duty : handler,
        command: step.command.action === 'dispatch' ? { ...step.command, departmentId } : step.command,
      })))
    })

    const tally = new Tally()
    const restartMs: number[] = []
    let killsInFlight = 0
    const child = server
    const killAndRestart = async (): Promise<void> => {
      const killedAt = performance.now()
      if (tally.inFlight > 0)
        killsInFlight++
      await child.kill9()
      await sleep(Math.random() * RESTART_PAUSE_MS)
      await child.start()
      restartMs.push(performance.now() - killedAt)
      log(`  killed and restarted (${restartMs.length}) at ${tally.acknowledgedIds.length}/${options.actions} acknowledged, in ${Math.round(restartMs.at(-1)!)} ms`)
    }
    const started = performance.now()
    let sending = true
    const killer = (async () => {
      for (const moment of killMoments(options.actions, options.kills)) {
        while (sending && tally.acknowledgedIds.length < moment)
          await sleep(2)
        if (!sending)
          return
        await sleep(Math.random() * KILL_JITTER_MS)
        await killAndRestart()
      }
    })().catch((err: unknown) => {
      tally.abort = err instanceof Error ? err : new Error(String(err))
    })
    try {
      await Promise.all(perLane.map(actions => runLane(actions, tally)))
    }
    finally {
      sending = false
      await killer
    }
    if (tally.abort)
      throw tally.abort
    // Every acknowledgement must outlive a kill: one more after the last.
    await killAndRestart()
    const sendMs = performance.now() - started

    const sample = perLane[0]![0]![0]!
    const again = await fetchAnswer(sample)
    const checks = await inspectRun(backend.database, auditKey, {
      orderIds,
      acknowledged: tally.acknowledgedIds,
      expectedActions: STEPS.map(s => s.command.action),
    })
    return {
      backend: options.backend,
      actions: options.actions,
      orders,
      acknowledged: new Set(tally.acknowledgedIds).size,
      replays: tally.replays,
      attempts: tally.attempts,
      refused: tally.refused,
      cutOff: tally.cutOff,
      statuses: tally.statuses,
      wrongAnswers: tally.wrongAnswers,
      kills: restartMs.length,
      killsInFlight,
      restartMs,
      replayAfterRestart: again?.replayed === true && again.order.version === sample.expectedVersion + 1,
      sendMs,
      ...checks,
    }
  }
  finally {
    await server?.stop()
    await backend.database.drop()
    rmSync(dir, { recursive: true, force: true })
    rmSync(bundle, { force: true })
    rmSync(`${bundle}.map`, { force: true })
  }
}

/** The answer to an action sent once more, or undefined when it is not a 200. */
async function fetchAnswer(action: Action): Promise<WorkOrderCommandAnswer | undefined> {
  const res = await action.who.request('POST', `/api/work-orders/${encodeURIComponent(action.orderId)}/commands`, { commandId: action.commandId, expectedVersion: action.expectedVersion, command: action.command })
  return res.status === 200 ? WorkOrderCommandAnswer.parse(res.body) : undefined
}

async function waitForOrders(duty: HttpSession, ids: readonly string[]): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS
  for (;;) {
    const res = await duty.get<{ items: Array<{ id: string }> }>('/api/work-orders?state=accepted&limit=500')
    const listed = new Set(res.status === 200 ? res.body.items.map(i => i.id) : [])
    if (ids.every(id => listed.has(id)))
      return
    if (Date.now() > deadline)
      throw new Error(`${ids.filter(id => !listed.has(id)).length} of ${ids.length} orders never reached the queue`)
    await sleep(100)
  }
}
