/**
 * The alert service on every store implementation: an alert is raised once,
 * survives a restart of its node without firing again and resolves once; two
 * nodes that evaluate the same rule make one alert row and send one
 * notification per group; acknowledgement and silences change the row, its
 * events and what is sent.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AlertNotification } from '@shared/schemas/alert-notifications'
import type { Alert, AlertsSummary } from '@shared/schemas/alerts'
import { loadCity } from '@server/city'
import { DomainBus } from '@server/bus'
import { AirState } from '@server/live/air-state'
import { FeedHealthMonitor } from '@server/live/feed-health'
import { HallState } from '@server/live/hall-state'
import { IncidentState } from '@server/live/incident-state'
import { TrafficState } from '@server/live/traffic-state'
import type { AuditRecord, Store } from '@server/store/repositories'
import type { OpenedStore } from '@server/store/store.backends'
import { contractBackends } from '@server/store/store.backends'
import { AlertService, AlertStateConflict } from './alert-service'
import { AlertNotifier } from './notifier'
import { entity, facts, MINUTE_MS, ruleSet, T0 } from './test-support'

const { backends } = await contractBackends()
const city = loadCity('dongguan')
const TOWN = '441900003'

const RULES = ruleSet(
  { id: 'air.aqi-150', name: '站点中度污染', kind: 'threshold', domain: 'air', severity: 'major', entityKind: 'station', metric: 'aqi', op: '>', value: 150, clearValue: 140, forMin: 20, clearForMin: 20 },
  { id: 'air.aqi-200', name: '站点重度污染', kind: 'threshold', domain: 'air', severity: 'critical', entityKind: 'station', metric: 'aqi', op: '>', value: 200, forMin: 0, clearForMin: 5, escalateAfterMin: 10 },
)

const noAudit = (): AuditRecord => ({ at: new Date(T0).toISOString(), actor: null, clientIp: null, action: 'test', outcome: 'ok' })

/** Stations of one town with these AQIs. */
const air = (...aqis: number[]) => facts({ entities: { station: aqis.map((aqi, i) => entity(`st-${i + 1}`, { aqi }, { townCode: TOWN })) } })

interface Node { service: AlertService, published: { alerts: Alert[], summary: AlertsSummary }[], clock: { t: number } }

function node(store: Store, start = T0): Node {
  const bus = new DomainBus()
  const published: Node['published'] = []
  bus.on('alerts.updated', data => published.push(data))
  const clock = { t: start }
  const service = new AlertService({
    store,
    city,
    states: { air: new AirState(0), traffic: new TrafficState([]), halls: new HallState(0), incidents: new IncidentState(() => clock.t) },
    health: new FeedHealthMonitor(),
    bus,
    now: () => clock.t,
    simSpeed: 1,
    evalIntervalMs: 3_600_000,
    submitWorkOrder: () => Promise.resolve(),
    onError: (err) => {
      throw err
    },
  })
  return { service, published, clock }
}

/** Steps the node at each minute offset from T0 with the facts. */
async function stepAt(n: Node, minutes: number, f: ReturnType<typeof facts>): Promise<void> {
  n.clock.t = T0 + minutes * MINUTE_MS
  await n.service.step(f)
}

/** A real HTTP receiver of the webhook, counting what arrives. */
async function receiver(): Promise<{ url: string, received: AlertNotification[], close: () => Promise<void> }> {
  const received: AlertNotification[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      received.push(JSON.parse(body) as AlertNotification)
      res.writeHead(204).end()
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise(resolve => server.close(() => resolve())),
  }
}

const notifier = (store: Store, url: string) => new AlertNotifier({
  store,
  city,
  rules: () => RULES,
  webhook: { url },
  groupWaitMs: 0,
  intervalMs: 3_600_000,
  log: () => {},
  onError: (err) => {
    throw err
  },
  retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10, timeoutMs: 2000 },
})

describe.each(backends.map(b => [b.name, b] as const))('%s store: the alert service', (_name, backend) => {
  let opened: OpenedStore
  let store: Store
  const running: AlertService[] = []
  beforeEach(async () => {
    opened = await backend.open()
    store = opened.store
    await store.alerts.saveRules(RULES, 0, { at: new Date(T0).toISOString(), by: 'test' }, null)
  })
  afterEach(async () => {
    for (const s of running.splice(0))
      await s.stop()
    await opened.dispose()
  })

  const started = async (n: Node): Promise<Node> => {
    await n.service.start()
    running.push(n.service)
    return n
  }

  it('raises an alert once, keeps it through a restart without raising it again, and resolves it once', async () => {
    const a = await started(node(store))
    await stepAt(a, 0, air(160))
    expect(await store.alerts.active()).toEqual([])
    await stepAt(a, 20, air(162))
    const [raised] = await store.alerts.active()
    expect(raised).toMatchObject({ ruleId: 'air.aqi-150', entityId: 'st-1', status: 'firing', townCode: TOWN, groupKey: `town:${TOWN}`, value: 162 })
    expect(raised!.title).toContain('站点中度污染')
    expect(a.published.flatMap(p => p.alerts).map(x => x.id)).toEqual([raised!.id])
    expect(a.service.snapshot().summary).toEqual({ firing: 1, acknowledged: 0 })

    // The node goes; another takes over from what the store holds.
    await a.service.stop()
    const b = await started(node(store, T0 + 21 * MINUTE_MS))
    expect(b.service.snapshot().alerts.map(x => x.id)).toEqual([raised!.id])
    await stepAt(b, 25, air(165))
    await stepAt(b, 30, air(120))
    await stepAt(b, 45, air(120))
    expect((await store.alerts.active()).map(x => x.id)).toEqual([raised!.id])
    await stepAt(b, 50, air(120))
    expect(await store.alerts.active()).toEqual([])
    const all = await store.alerts.list({ status: 'all', limit: 10 })
    expect(all.total).toBe(1)
    expect(all.alerts[0]).toMatchObject({ id: raised!.id, status: 'resolved', resolvedAt: new Date(T0 + 50 * MINUTE_MS).toISOString() })
    expect((await store.alerts.events(raised!.id)).map(e => e.type)).toEqual(['raised', 'resolved'])
    expect(b.published.flatMap(p => p.alerts).filter(x => x.status === 'firing' && x.raisedAt !== raised!.raisedAt)).toEqual([])
  })

  it('makes one alert row and one notification per group when two nodes evaluate the same rules', async () => {
    const hook = await receiver()
    try {
      const a = await started(node(store))
      const b = await started(node(store))
      // The nodes step a few seconds apart: each would name the alert by its own firing time.
      for (const [m, aqis] of [[0, [170, 180]], [20, [171, 181]]] as const) {
        await stepAt(a, m, air(...aqis))
        b.clock.t = T0 + m * MINUTE_MS + 3000
        await b.service.step(air(...aqis))
      }
      const active = await store.alerts.active()
      expect(active.map(x => [x.ruleId, x.entityId]).sort()).toEqual([['air.aqi-150', 'st-1'], ['air.aqi-150', 'st-2']])
      // B took A's rows as its own: what it published, and what it holds, are A's alerts.
      expect(new Set(b.service.snapshot().alerts.map(x => x.id))).toEqual(new Set(active.map(x => x.id)))

      await Promise.all([notifier(store, hook.url).flush(), notifier(store, hook.url).flush()])
      expect(hook.received).toHaveLength(1)
      expect(hook.received[0]).toMatchObject({ v: 1, groupKey: `town:${TOWN}`, status: 'firing' })
      expect(hook.received[0]!.alerts.map(x => x.id).sort()).toEqual(active.map(x => x.id).sort())
      expect(hook.received[0]!.cap).toContain('<msgType>Alert</msgType>')
      // Nothing is sent twice.
      expect(await notifier(store, hook.url).flush()).toBe(0)
    }
    finally {
      await hook.close()
    }
  })

  it('acknowledges once, refuses to acknowledge a resolved alert, and mutes what a silence matches', async () => {
    const a = await started(node(store))
    await stepAt(a, 0, air(210))
    const [critical] = await store.alerts.active()
    expect(critical).toMatchObject({ ruleId: 'air.aqi-200', status: 'firing', muted: false })

    const acked = await a.service.acknowledge(critical!.id, 'duty01', '已通知环保', noAudit)
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'duty01' })
    expect(await a.service.acknowledge(critical!.id, 'duty02', undefined, noAudit)).toMatchObject({ acknowledgedBy: 'duty01' })
    const events = await store.alerts.events(critical!.id)
    expect(events.map(e => [e.type, e.by, e.detail])).toEqual([['raised', null, '210'], ['acknowledged', 'duty01', '已通知环保']])
    // Acknowledged in time: no escalation.
    await stepAt(a, 15, air(210))
    expect((await store.alerts.get(critical!.id))?.escalationLevel).toBe(0)

    await a.service.addSilence({ kind: 'maintenance', matchers: { entityId: 'st-2' }, startsAt: new Date(T0 + 15 * MINUTE_MS).toISOString(), endsAt: new Date(T0 + 120 * MINUTE_MS).toISOString(), comment: '站点校准' }, 'duty01', noAudit)
    await stepAt(a, 16, air(210, 220))
    const second = (await store.alerts.active()).find(x => x.entityId === 'st-2')
    expect(second).toMatchObject({ ruleId: 'air.aqi-200', muted: true })
    const hook = await receiver()
    try {
      await notifier(store, hook.url).flush()
      // The first alert's notification goes; the muted one's never does.
      expect(hook.received.flatMap(n => n.alerts.map(x => x.entityId))).toEqual(['st-1'])
    }
    finally {
      await hook.close()
    }

    await stepAt(a, 17, air(100, 100))
    await stepAt(a, 23, air(100, 100))
    await expect(a.service.acknowledge(critical!.id, 'duty01', undefined, noAudit)).rejects.toBeInstanceOf(AlertStateConflict)
  })
})
