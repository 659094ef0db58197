import { createHash, randomUUID } from 'node:crypto'
import type { Alert, AlertEvent, AlertsSummary, AlertWorkOrderRequest } from '@shared/schemas/alerts'
import type { AlertRuleSet, AlertSilence, NewAlertSilence } from '@shared/schemas/alert-rules'
import type { CityModel } from '@shared/schemas/city'
import type { IncidentReportInput, IncidentTopic } from '@shared/schemas/incidents'
import type { DomainBus } from '@server/bus'
import type { FeedHealthMonitor } from '@server/live/feed-health'
import type { LiveStates } from '@server/publisher'
import type { AlertWrite, AuditRecord, Store } from '@server/store/repositories'
import type { BaselineSet } from './baseline'
import { learnCityBaselines } from './baseline-learner'
import { defaultRuleSet } from './default-rules'
import type { EngineState } from './engine'
import { AlertEngine } from './engine'
import type { CityFacts } from './facts'
import type { AlertTransition, LifecycleOptions } from './lifecycle'
import { liveFacts } from './live-facts'
import { mutedBy } from './silences'

const HOUR_MS = 3_600_000
/** The engine's memory is saved with every step that changed an alert, and at least this often (real time). */
const STATE_SAVE_MS = 60_000
/** A firing alert's figure (its title) is refreshed on screens at most this often (real time), not on every step. */
const FIGURE_REFRESH_MS = 60_000

/** What an alert's notification types are, of the engine's transitions. */
const EVENT_OF: Partial<Record<AlertTransition['type'], AlertEvent['type']>> = {
  raised: 'raised',
  acknowledged: 'acknowledged',
  escalated: 'escalated',
  flapping: 'flapping',
  steady: 'steady',
  resolved: 'resolved',
}

/** Where a work order made of an alert goes, by the alert's domain. */
const TOPIC_OF: Record<Alert['domain'], IncidentTopic> = {
  air: 'environment',
  traffic: 'transport',
  halls: 'local',
  hotline: 'local',
  feeds: 'emergency',
  cross: 'emergency',
}

export class AlertNotFound extends Error {}
/** The alert is not in a state that allows the action (resolved, or already made into a work order). */
export class AlertStateConflict extends Error {
  constructor(message: string, readonly alert: Alert) {
    super(message)
  }
}

export interface AlertServiceDeps {
  store: Store
  city: CityModel
  states: LiveStates
  health: FeedHealthMonitor
  bus: DomainBus
  /** The engine's clock: the server's simulated time, epoch ms. */
  now: () => number
  /** Real time, epoch ms (feed health and notifications count in it). */
  realNow?: () => number
  simSpeed: number
  /** How often the rules are evaluated (real time). */
  evalIntervalMs: number
  lifecycle?: Partial<LifecycleOptions>
  /** Stores a work order the center makes of an alert (the leader's ingest); resolves once it is stored. */
  submitWorkOrder: (report: IncidentReportInput) => Promise<void>
  /** The drill an alert being raised belongs to, if any (server/drills/marking.ts): decided once, at raise. */
  drillOf?: (alert: Pick<Alert, 'entityId' | 'domain' | 'townCode'> & { at: number }) => string | undefined
  onError: (err: unknown) => void
}

const iso = (t: number): string => new Date(t).toISOString()

type PendingNotification = NonNullable<AlertWrite['notifications']>[number]

/** What one step changed, in lists the service still adds to before writing. */
interface StepChange { raised: Alert[], updated: Alert[], events: AlertEvent[], notifications: PendingNotification[] }

/**
 * The alerts of the city, on the node that leads: evaluates the rules on the
 * live state every few seconds, keeps each alert's row, events and
 * notifications in the store with the engine's memory (so a restart or a new
 * leader neither loses nor repeats an alert), publishes what changed on the
 * alerts stream, and carries out people's actions: acknowledge, silence, turn
 * into a work order, change the rules.
 */
export class AlertService {
  private engine: AlertEngine | undefined
  private rules: AlertRuleSet = defaultRuleSet()
  private silences: AlertSilence[] = []
  /** Firing and acknowledged alerts, by id. */
  private readonly active = new Map<string, Alert>()
  private baselines: BaselineSet | undefined
  private baselineHour = -1
  private timer: NodeJS.Timeout | undefined
  private stepping: Promise<void> = Promise.resolve()
  private savedAt = 0
  private refreshedAt = 0

  constructor(private readonly deps: AlertServiceDeps) {}

  private get realNow(): number {
    return (this.deps.realNow ?? Date.now)()
  }

  /** The rules in force: saved ones, or the defaults saved as revision 1 at first start. */
  async loadRules(): Promise<AlertRuleSet> {
    const held = await this.deps.store.alerts.rules()
    if (held)
      return held
    try {
      return await this.deps.store.alerts.saveRules(defaultRuleSet(), 0, { at: new Date().toISOString(), by: 'system' }, null)
    }
    catch {
      // Another node seeded them at the same moment.
      return (await this.deps.store.alerts.rules()) ?? defaultRuleSet()
    }
  }

  /** The active alerts as the store has them: what this node's alerts stream starts from, leader or not. */
  async restoreActive(): Promise<void> {
    this.active.clear()
    for (const a of await this.deps.store.alerts.active())
      this.active.set(a.id, a)
  }

  get running(): boolean {
    return this.engine !== undefined
  }

  /** Takes over the alerts: the rules, silences, alerts and the engine's memory as the store has them. */
  async start(): Promise<void> {
    if (this.engine)
      return
    const { store } = this.deps
    this.rules = await this.loadRules()
    this.silences = await store.alerts.silences(iso(this.deps.now()))
    const saved = await store.alerts.engineState()
    this.engine = new AlertEngine({
      rules: this.rules,
      silences: this.silences,
      ...(saved ? { state: JSON.parse(saved) as EngineState } : {}),
      ...(this.deps.lifecycle ? { options: this.deps.lifecycle } : {}),
    })
    await this.restoreActive()
    this.savedAt = this.realNow
    this.timer = setInterval(() => {
      void this.step().catch(this.deps.onError)
    }, this.deps.evalIntervalMs)
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.stepping.catch(() => {})
    if (this.engine)
      await this.deps.store.alerts.write({ engineState: this.stateToSave() }).catch(this.deps.onError)
    this.engine = undefined
  }

  /** The alerts stream's state. */
  snapshot(): { alerts: Alert[], summary: AlertsSummary } {
    return { alerts: [...this.active.values()], summary: this.summary() }
  }

  currentRules(): AlertRuleSet {
    return this.rules
  }

  /** One evaluation, serialised with every other change (tests call it with facts of their own). */
  step(facts?: CityFacts): Promise<void> {
    const run = this.stepping.then(() => this.evaluate(facts))
    this.stepping = run.catch(() => {})
    return run
  }

  private async evaluate(given?: CityFacts): Promise<void> {
    const engine = this.engine
    if (!engine)
      return
    const now = this.deps.now()
    const facts = given ?? liveFacts({
      city: this.deps.city,
      states: this.deps.states,
      feeds: this.deps.health.snapshot(),
      now,
      realNow: this.realNow,
      simSpeed: this.deps.simSpeed,
      ...(await this.currentBaselines(now)),
    })
    const transitions = engine.step(now, facts)
    const change = this.changeOf(transitions)
    this.refreshFigures(change, now)
    await this.commit(change, transitions.length > 0)
  }

  /** Relearned once per simulated hour. */
  private async currentBaselines(now: number): Promise<{ baselines?: BaselineSet }> {
    const hour = Math.floor(now / HOUR_MS)
    if (hour !== this.baselineHour) {
      this.baselineHour = hour
      this.baselines = await learnCityBaselines(this.deps.store, this.deps.city, now)
    }
    return this.baselines ? { baselines: this.baselines } : {}
  }

  private ruleName(ruleId: string): string {
    return this.rules.rules.find(r => r.id === ruleId)?.name ?? ruleId
  }

  /** The rows, events and notifications the transitions make; the held alerts are updated as they go. */
  private changeOf(transitions: readonly AlertTransition[]): StepChange {
    const raised: Alert[] = []
    const updated = new Map<string, Alert>()
    const events: AlertEvent[] = []
    const notifications: PendingNotification[] = []
    for (const t of transitions) {
      const type = EVENT_OF[t.type]
      if (!type || t.alertId === null)
        continue
      const at = iso(t.at)
      const title = `${this.ruleName(t.ruleId)}：${t.title}`.slice(0, 200)
      const muted = t.mutedBy.length > 0
      if (t.type === 'raised') {
        const drillId = this.deps.drillOf?.({ entityId: t.entityId, domain: t.domain, townCode: t.townCode, at: t.at })
        const alert: Alert = {
          id: t.alertId,
          ruleId: t.ruleId,
          entityId: t.entityId,
          domain: t.domain,
          severity: t.severity,
          status: 'firing',
          title,
          townCode: t.townCode,
          groupKey: t.groupKey,
          value: t.value,
          raisedAt: at,
          updatedAt: at,
          acknowledgedBy: null,
          acknowledgedAt: null,
          resolvedAt: null,
          escalationLevel: t.escalationLevel,
          muted,
          workOrderId: null,
          ...(drillId !== undefined ? { drillId } : {}),
        }
        this.active.set(alert.id, alert)
        raised.push(alert)
      }
      else {
        const held = this.active.get(t.alertId)
        if (!held)
          continue
        const next: Alert = {
          ...held,
          severity: t.severity,
          title,
          value: t.value,
          updatedAt: at,
          escalationLevel: t.escalationLevel,
          muted,
          ...(t.type === 'resolved' ? { status: 'resolved' as const, resolvedAt: at } : {}),
        }
        if (next.status === 'resolved')
          this.active.delete(next.id)
        else
          this.active.set(next.id, next)
        const fresh = raised.findIndex(a => a.id === next.id)
        if (fresh >= 0)
          raised[fresh] = next
        else
          updated.set(next.id, next)
      }
      events.push({ alertId: t.alertId, type, at, by: null, detail: t.value === null ? null : String(Math.round(t.value * 100) / 100) })
      if (t.notify)
        notifications.push({ alertId: t.alertId, type, groupKey: t.groupKey, at: iso(this.realNow) })
    }
    return { raised, updated: [...updated.values()], events, notifications }
  }

  /**
   * Firing alerts whose figure moved, and those a silence now mutes or no
   * longer mutes: their rows and screens follow (figures at most once a
   * minute, silences at once).
   */
  private refreshFigures(change: { updated: Alert[], raised: Alert[] }, now: number): void {
    const engine = this.engine!
    const touched = new Set([...change.updated, ...change.raised].map(a => a.id))
    const figures = this.realNow - this.refreshedAt >= FIGURE_REFRESH_MS
    if (figures)
      this.refreshedAt = this.realNow
    for (const record of engine.active()) {
      const held = record.alertId === null ? undefined : this.active.get(record.alertId)
      if (!held || touched.has(held.id))
        continue
      const muted = mutedBy(this.silences, record, now).length > 0
      const title = `${this.ruleName(record.ruleId)}：${record.title}`.slice(0, 200)
      if (muted !== held.muted || (figures && (title !== held.title || record.value !== held.value))) {
        const next: Alert = { ...held, muted, title, value: record.value, updatedAt: iso(now) }
        this.active.set(next.id, next)
        change.updated.push(next)
      }
    }
  }

  private stateToSave(): { json: string, savedAt: string } {
    this.savedAt = this.realNow
    return { json: JSON.stringify(this.engine!.state()), savedAt: iso(this.realNow) }
  }

  /** Writes the change with the engine's memory, takes over the rows another node raised first, and publishes. */
  private async commit(change: Pick<StepChange, 'raised' | 'updated'> & AlertWrite, changedEngine: boolean, audit: AuditRecord[] = []): Promise<void> {
    const saveState = changedEngine || this.realNow - this.savedAt >= STATE_SAVE_MS
    const empty = change.raised.length === 0 && change.updated.length === 0 && (change.events?.length ?? 0) === 0
    if (empty && !saveState && audit.length === 0)
      return
    const adopted = await this.deps.store.alerts.write({ ...change, ...(saveState && this.engine ? { engineState: this.stateToSave() } : {}), audit })
    const published: Alert[] = []
    for (const a of [...change.raised, ...change.updated]) {
      const held = adopted.get(a.id)
      if (held) {
        // Another node's row for the same rule and entity: that alert is the one.
        this.active.delete(a.id)
        this.active.set(held.id, held)
        this.engine?.adopt(`${a.ruleId}|${a.entityId}`, { id: held.id, acknowledgedBy: held.acknowledgedBy, acknowledgedAt: held.acknowledgedAt === null ? null : Date.parse(held.acknowledgedAt) })
        published.push(held)
      }
      else {
        published.push(a)
      }
    }
    if (published.length > 0)
      this.deps.bus.emit('alerts.updated', { alerts: published, summary: this.summary() })
  }

  private summary(): AlertsSummary {
    let firing = 0
    let acknowledged = 0
    for (const a of this.active.values()) {
      if (a.status === 'firing')
        firing++
      else if (a.status === 'acknowledged')
        acknowledged++
    }
    return { firing, acknowledged }
  }

  /** An operator acknowledges: a no-op when acknowledged already; AlertStateConflict when resolved. */
  acknowledge(id: string, by: string, comment: string | undefined, audit: (before: Alert, after: Alert) => AuditRecord): Promise<Alert> {
    return this.serialised(async () => {
      const held = this.active.get(id)
      if (!held) {
        const stored = await this.deps.store.alerts.get(id)
        if (!stored)
          throw new AlertNotFound(`no alert ${id}`)
        if (stored.status === 'resolved')
          throw new AlertStateConflict(`alert ${id} was resolved at ${stored.resolvedAt ?? '?'}; there is nothing to acknowledge`, stored)
        return stored
      }
      if (held.status === 'acknowledged')
        return held
      const now = this.deps.now()
      const t = this.engine?.acknowledge(id, by, now)
      const at = iso(t?.at ?? now)
      const next: Alert = { ...held, status: 'acknowledged', acknowledgedBy: by, acknowledgedAt: at, updatedAt: at }
      this.active.set(id, next)
      await this.commit({ raised: [], updated: [next], events: [{ alertId: id, type: 'acknowledged', at, by, detail: comment?.slice(0, 500) || null }] }, true, [audit(held, next)])
      return next
    })
  }

  /** A duty officer turns an alert into a work order (a 12345-style order of source `ioc`), linked both ways. */
  makeWorkOrder(id: string, by: string, request: AlertWorkOrderRequest, audit: (before: Alert, after: Alert) => AuditRecord): Promise<Alert> {
    return this.serialised(async () => {
      const held = this.active.get(id) ?? await this.deps.store.alerts.get(id)
      if (!held)
        throw new AlertNotFound(`no alert ${id}`)
      if (held.workOrderId !== null)
        throw new AlertStateConflict(`alert ${id} is already work order ${held.workOrderId}`, held)
      const now = this.deps.now()
      const at = iso(now)
      const ticketNo = `GJ${createHash('sha256').update(held.id).digest('hex').slice(0, 12).toUpperCase()}`
      const town = this.deps.city.towns.find(t => t.code === held.townCode)
      await this.deps.submitWorkOrder({
        ticketNo,
        version: at,
        reportedAt: at,
        nature: 'report',
        topic: TOPIC_OF[held.domain],
        urgency: held.severity === 'critical' || held.severity === 'major' ? 'urgent' : 'normal',
        title: request.title ?? held.title.slice(0, 200),
        description: request.description ?? `由告警转派（${held.title}），值班员 ${by}`,
        ...(town ? { townCode: town.code, location: { lng: town.lng, lat: town.lat } } : {}),
        ...(request.departmentId ? { agency: request.departmentId } : {}),
        alertId: held.id,
        // An order made of a drill alert is part of the drill.
        ...(held.drillId !== undefined ? { drillId: held.drillId } : {}),
      })
      const next: Alert = { ...held, workOrderId: ticketNo, updatedAt: at }
      if (this.active.has(id))
        this.active.set(id, next)
      await this.commit({ raised: [], updated: [next], events: [{ alertId: id, type: 'work-order', at, by, detail: ticketNo }] }, false, [audit(held, next)])
      return next
    })
  }

  /** Saves a new revision of the rules (AlertRulesConflict when stale) and evaluates with it from the next step. */
  saveRules(set: AlertRuleSet, expectedRevision: number, by: string, audit: AuditRecord): Promise<AlertRuleSet> {
    return this.serialised(async () => {
      const saved = await this.deps.store.alerts.saveRules(set, expectedRevision, { at: new Date().toISOString(), by }, audit)
      this.rules = saved
      this.engine?.setRules(saved)
      return saved
    })
  }

  addSilence(input: NewAlertSilence & { startsAt: string, endsAt: string }, by: string, audit: (silence: AlertSilence) => AuditRecord): Promise<AlertSilence> {
    return this.serialised(async () => {
      const now = this.deps.now()
      const silence: AlertSilence = { id: randomUUID(), kind: input.kind, matchers: input.matchers, startsAt: input.startsAt, endsAt: input.endsAt, createdBy: by, comment: input.comment }
      await this.deps.store.alerts.saveSilence(silence, audit(silence))
      await this.reloadSilences(now)
      return silence
    })
  }

  /** Ends a silence now; undefined when there is none of that id still running. */
  endSilence(id: string, audit: (silence: AlertSilence) => AuditRecord): Promise<AlertSilence | undefined> {
    return this.serialised(async () => {
      const now = this.deps.now()
      const held = (await this.deps.store.alerts.silences(iso(now))).find(s => s.id === id)
      if (!held)
        return undefined
      const ended: AlertSilence = { ...held, endsAt: iso(Math.max(now, Date.parse(held.startsAt) + 1)) }
      await this.deps.store.alerts.saveSilence(ended, audit(ended))
      await this.reloadSilences(now)
      return ended
    })
  }

  private async reloadSilences(now: number): Promise<void> {
    this.silences = await this.deps.store.alerts.silences(iso(now))
    this.engine?.setSilences(this.silences)
    // Screens show what a silence mutes at once, not at the next step.
    const change = { raised: [] as Alert[], updated: [] as Alert[] }
    if (this.engine)
      this.refreshFigures(change, now)
    await this.commit(change, false)
  }

  private serialised<T>(action: () => Promise<T>): Promise<T> {
    const run = this.stepping.then(action)
    this.stepping = run.then(() => {}, () => {})
    return run
  }
}
