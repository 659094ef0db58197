import { randomBytes } from 'node:crypto'
import type { Principal, Role } from '@shared/auth/policy'
import type { Alert } from '@shared/schemas/alerts'
import type { Drill, DrillDetail, DrillRequest, DrillSummary } from '@shared/schemas/drills'
import type { ScenarioControl } from '@server/http/scenarios.routes'
import type { IncidentState } from '@server/live/incident-state'
import { actorOf } from '@server/auth/auth-service'
import type { AuditRecord, Store } from '@server/store/repositories'
import type { DrillRows } from '@server/store/drill.repository'
import type { DrillWindow } from './marking'
import { DRILL_AFTERMATH_MS, drillOfAlert } from './marking'
import { drillSummary } from './summary'

/** The simulator starts no scenario: drills need it (409). */
export class DrillsUnavailable extends Error {}
/** The drill is not running (it ended, or never was): 409 to an end. */
export class DrillNotRunning extends Error {
  constructor(readonly drill: Drill) {
    super(`drill ${drill.id} ended at ${drill.endedAt ?? '?'}`)
  }
}

export interface DrillServiceDeps {
  store: Store
  /** The simulator's scenarios on this node, while it runs them. */
  control: () => ScenarioControl | undefined
  /** The live calls: what a 12345 alert's drill mark is weighed on. */
  incidents: Pick<IncidentState, 'get' | 'list'>
  /** The simulator's feed id (a feed-outage drill silences it). */
  simulatorFeed: string
  /** Simulated time, epoch ms: drills run on the scenario's clock. */
  now: () => number
  /** How often (real time) running drills are checked for their scenario's end. */
  checkIntervalMs: number
  onError: (err: unknown) => void
}

const iso = (t: number): string => new Date(t).toISOString()

/** An id that sorts by start and cannot be guessed: dr-<simulated ms, base 36>-<random>. */
const newDrillId = (now: number): string => `dr-${now.toString(36)}-${randomBytes(4).toString('hex')}`

/**
 * Named drills on the node that runs the simulator: starts a drill's
 * scenario with its id (the calls it causes carry it), marks the alerts its
 * data raises, ends it when its scenario ends or on request, and keeps its
 * after-action summary.
 */
export class DrillService {
  /** Running and lately ended drills, as the alert marking weighs them. */
  private windows: DrillWindow[] = []
  private timer: NodeJS.Timeout | undefined
  private checking: Promise<void> = Promise.resolve()

  constructor(private readonly deps: DrillServiceDeps) {}

  async start(): Promise<void> {
    await this.reload()
    this.timer = setInterval(() => {
      this.checking = this.checking.then(() => this.endFinished()).catch(this.deps.onError)
    }, this.deps.checkIntervalMs)
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.checking
  }

  /** Starts the drill's scenario now and records the drill (audited). Throws DrillsUnavailable with the simulator off; the simulator's errors for a request it cannot place. */
  async begin(request: DrillRequest, principal: Principal, clientIp: string | null): Promise<DrillDetail> {
    const control = this.deps.control()
    if (!control)
      throw new DrillsUnavailable('the built-in simulator is not running: there is nothing to play a drill on')
    const now = this.deps.now()
    const id = newDrillId(now)
    const scenario = control.injectScenario(request.scenario, id)
    const drill: Drill = {
      id,
      name: request.name,
      scenario,
      status: 'running',
      startedAt: scenario.startsAt,
      endsAt: scenario.endsAt,
      endedAt: null,
      startedBy: principal.kind === 'user' ? principal.username : principal.name,
      endedBy: null,
    }
    try {
      await this.deps.store.drills.create(drill, this.audit(principal, clientIp, 'drill.start', drill.id, null, drill))
    }
    catch (err) {
      // Unrecorded, it must not play on unmarked in anyone's figures.
      control.cancelScenario(scenario.id)
      throw err
    }
    await this.reload()
    return { drill, summary: await this.summarise(drill, now) }
  }

  /** Ends a running drill now (its scenario stops), keeping its final summary. Undefined for an unknown drill; DrillNotRunning when it had ended. */
  async end(id: string, principal: Principal | null, clientIp: string | null): Promise<DrillDetail | undefined> {
    const held = await this.deps.store.drills.get(id)
    if (!held)
      return undefined
    if (held.drill.status !== 'running')
      throw new DrillNotRunning(held.drill)
    const ended = await this.finish(held.drill, principal, clientIp)
    if (!ended) {
      const now = await this.deps.store.drills.get(id)
      throw new DrillNotRunning(now?.drill ?? held.drill)
    }
    return ended
  }

  /** A drill with its summary: so far while it runs; for an ended one, the summary kept at its end, or made again now when `fresh` (orders closed since count). */
  async detail(id: string, fresh = false): Promise<DrillDetail | undefined> {
    const held = await this.deps.store.drills.get(id)
    if (!held)
      return undefined
    if (held.drill.status === 'ended' && held.summary && !fresh)
      return { drill: held.drill, summary: held.summary }
    return { drill: held.drill, summary: await this.summarise(held.drill, this.deps.now()) }
  }

  list(limit = 100): Promise<Drill[]> {
    return this.deps.store.drills.list(limit)
  }

  /** The drill a new alert belongs to, if any (marking.ts); for AlertService. */
  drillOf(alert: Pick<Alert, 'entityId' | 'domain' | 'townCode'> & { at: number }): string | undefined {
    if (this.windows.length === 0)
      return undefined
    const calls = this.deps.incidents.list()
    const evidence = (i: { id: string, townCode: string | null, topic: string, reportedAt: string, drillId?: string }) =>
      ({ id: i.id, townCode: i.townCode, topic: i.topic, reportedAt: Date.parse(i.reportedAt), ...(i.drillId !== undefined ? { drillId: i.drillId } : {}) })
    return drillOfAlert(alert, {
      drills: this.windows,
      call: (id) => {
        const i = this.deps.incidents.get(id)
        return i && evidence(i)
      },
      recentCalls: calls.map(evidence),
      simulatorFeed: this.deps.simulatorFeed,
    })
  }

  /** Ends the drills whose scenario is over (its time ran out, or it was cancelled or lost with the simulator). */
  async endFinished(): Promise<void> {
    const now = this.deps.now()
    const playing = new Set((this.deps.control()?.scenarios() ?? []).map(s => s.id))
    for (const drill of await this.deps.store.drills.running()) {
      if (now >= Date.parse(drill.endsAt) || !playing.has(drill.scenario.id))
        await this.finish(drill, null, null)
    }
    this.prune(now)
  }

  private async finish(drill: Drill, principal: Principal | null, clientIp: string | null): Promise<DrillDetail | undefined> {
    const now = this.deps.now()
    const end = Math.min(now, Date.parse(drill.endsAt))
    this.deps.control()?.cancelScenario(drill.scenario.id)
    const ended: Drill = {
      ...drill,
      status: 'ended',
      endedAt: iso(Math.max(end, Date.parse(drill.startedAt))),
      endedBy: principal === null ? null : principal.kind === 'user' ? principal.username : principal.name,
    }
    const summary = await this.summarise(ended, now)
    const stored = await this.deps.store.drills.end(ended, summary, this.audit(principal, clientIp, 'drill.end', drill.id, drill, { ...ended, summary: { alerts: summary.alerts.raised, orders: summary.orders.total } }))
    await this.reload()
    return stored && { drill: stored, summary }
  }

  private async summarise(drill: Drill, asOf: number): Promise<DrillSummary> {
    const rows = await this.deps.store.drills.rows(drill.id)
    const roles = await this.rolesOf(rows)
    return drillSummary({ drill, ...rows, rolesOf: who => roles.get(who) }, asOf)
  }

  /** The roles of the people who acted in the drill, by id and by username. */
  private async rolesOf(rows: DrillRows): Promise<Map<string, readonly Role[]>> {
    const roles = new Map<string, readonly Role[]>()
    const ids = new Set(rows.orderEvents.map(e => e.actor.id).filter(id => id !== 'system' && !id.startsWith('sim-')))
    const names = new Set(rows.alertEvents.map(e => e.by).filter((by): by is string => by !== null))
    for (const id of ids) {
      const user = await this.deps.store.auth.user(id)
      if (user)
        roles.set(id, user.roles)
    }
    for (const name of names) {
      const user = await this.deps.store.auth.userByName(name)
      if (user)
        roles.set(name, user.roles)
    }
    return roles
  }

  private async reload(): Promise<void> {
    const now = this.deps.now()
    const recent = await this.deps.store.drills.list(20)
    this.windows = recent
      .filter(d => d.status === 'running' || (d.endedAt !== null && Date.parse(d.endedAt) + DRILL_AFTERMATH_MS > now))
      .map(d => ({ id: d.id, kind: d.scenario.kind, townCodes: d.scenario.area.townCodes, startsAt: Date.parse(d.startedAt), endsAt: Date.parse(d.endedAt ?? d.endsAt) }))
  }

  private prune(now: number): void {
    this.windows = this.windows.filter(w => w.endsAt + DRILL_AFTERMATH_MS > now || now < w.endsAt)
  }

  private audit(principal: Principal | null, clientIp: string | null, action: string, targetId: string, before: unknown, after: unknown): AuditRecord {
    return { at: new Date().toISOString(), actor: actorOf(principal), clientIp, action, targetType: 'drill', targetId, outcome: 'ok', before, after }
  }
}
