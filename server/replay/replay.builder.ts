import type { Alert, AlertsSummary } from '@shared/schemas/alerts'
import type { RoadSegment } from '@shared/schemas/city'
import type { Incident } from '@shared/schemas/incidents'
import type { KpiKey, KpiSet } from '@shared/schemas/kpis'
import type { ReplayAnswer, ReplayFrame, ReplayStart } from '@shared/schemas/replay'
import { REPLAY_STEP_MS, REPLAY_STREAMS } from '@shared/schemas/replay'
import type { WorkOrderEvent } from '@shared/schemas/work-orders'
import { AirState } from '@server/live/air-state'
import { HallState } from '@server/live/hall-state'
import { IncidentState, SNAPSHOT_MAX_INCIDENTS } from '@server/live/incident-state'
import type { KpiPast } from '@server/live/kpis'
import { computeKpis } from '@server/live/kpis'
import { TrafficState } from '@server/live/traffic-state'
import type { RollupRow } from '@server/store/repositories'
import { alertAt, incidentAt } from './replay.project'
import type { ReplayEvents, ReplayIncidentVersion } from './replay.reader'
import { byMinute, observationsOf } from './replay.telemetry'

/** Telemetry this long before the window is folded in too, so that the start shows every entity that was reporting. */
export const REPLAY_LOOKBACK_MS = 60 * 60_000
const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** What the city model gives a replay. */
export interface ReplayCity { roads: readonly RoadSegment[], stationsTotal: number, hallsTotal: number }

/** Everything a replay of [from, to) is folded from; `from` and `to` are whole minutes. */
export interface ReplaySource {
  from: number
  to: number
  /** Minute rollups of traffic, air and halls over [from − REPLAY_LOOKBACK_MS, to). */
  telemetry: readonly RollupRow[]
  /** Hour rollups of the KPIs holding from − 7 d … to − 1 d: the day-ago and week-ago comparisons. */
  kpiHours: readonly RollupRow[]
  events: ReplayEvents
  /** The alerts of `events.alertIds`, as they are now. */
  alerts: readonly Alert[]
}

const iso = (t: number): string => new Date(t).toISOString()
const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const list = groups.get(key(item)) ?? []
    list.push(item)
    groups.set(key(item), list)
  }
  return groups
}

/** Each KPI's hour means by hour start, for the comparisons. */
function pastOf(hours: readonly RollupRow[]): (t: number) => KpiPast {
  const byHour = new Map<number, Map<KpiKey, number>>()
  for (const r of hours) {
    const h = Date.parse(r.start)
    const held = byHour.get(h) ?? new Map<KpiKey, number>()
    held.set(r.entityId as KpiKey, r.mean)
    byHour.set(h, held)
  }
  const at = (t: number): ReadonlyMap<KpiKey, number> => byHour.get(Math.floor(t / HOUR_MS) * HOUR_MS) ?? new Map()
  return t => ({ dayAgo: at(t - DAY_MS), weekAgo: at(t - 7 * DAY_MS) })
}

/** What changed at each instant inside (from, to): the incidents and the alerts, by id. */
function changesByInstant(events: ReplayEvents, from: number, to: number): Map<number, { incidents: Set<string>, alerts: Set<string> }> {
  const changes = new Map<number, { incidents: Set<string>, alerts: Set<string> }>()
  const add = (at: string, kind: 'incidents' | 'alerts', id: string): void => {
    const t = Date.parse(at)
    if (!(t > from && t < to))
      return
    const held = changes.get(t) ?? { incidents: new Set<string>(), alerts: new Set<string>() }
    held[kind].add(id)
    changes.set(t, held)
  }
  for (const v of events.versions) add(v.version, 'incidents', v.incidentId)
  for (const e of events.orderEvents) add(e.at, 'incidents', e.orderId)
  for (const e of events.alertEvents) add(e.at, 'alerts', e.alertId)
  return changes
}

/**
 * The replay of [from, to): the wall at `from` and every change after it,
 * folded by the live states themselves (server/live/*: the same rating of
 * speeds, AQI, queues and counts as the live wall) from the minute history
 * and the durable incident, work-order and alert events. Pure and
 * deterministic: the same source gives the same answer, frame for frame.
 */
export function buildReplay(source: ReplaySource, city: ReplayCity): ReplayAnswer {
  const { from, to } = source
  let clock = from - REPLAY_LOOKBACK_MS
  const air = new AirState(city.stationsTotal)
  const traffic = new TrafficState(city.roads)
  const halls = new HallState(city.hallsTotal)
  const incidents = new IncidentState(() => clock)
  const alerts = new Map<string, Alert>()
  const past = pastOf(source.kpiHours)

  const versions = groupBy(source.events.versions, (v: ReplayIncidentVersion) => v.incidentId)
  const orderEvents = groupBy(source.events.orderEvents, (e: WorkOrderEvent) => e.orderId)
  const alertEvents = groupBy(source.events.alertEvents, e => e.alertId)
  const incidentAtT = (i: Incident, t: number): Incident | undefined => incidentAt(i, versions.get(i.id) ?? [], orderEvents.get(i.id) ?? [], t)
  const alertsSummary = (): AlertsSummary => {
    let firing = 0
    let acknowledged = 0
    for (const a of alerts.values()) {
      if (a.status === 'firing')
        firing++
      else if (a.status === 'acknowledged')
        acknowledged++
    }
    return { firing, acknowledged }
  }
  const kpisAt = (t: number): KpiSet => computeKpis({
    air: { city: air.city(), readings: air.readings() },
    traffic: { city: traffic.city(), towns: traffic.snapshot().towns },
    halls: halls.summary(),
    incidents: incidents.counts(),
    past: past(t),
  }, t)

  const frames: ReplayFrame[] = []
  const minutes = byMinute(source.telemetry)
  const emit = (t: number, frame: Omit<ReplayFrame, 'at'>): void => {
    if (t > from)
      frames.push({ at: iso(t), ...frame } as ReplayFrame)
  }

  /** A minute of telemetry at its start. */
  function minute(t: number): void {
    const o = observationsOf(iso(t), minutes.get(t) ?? [])
    const a = air.apply(o.air)
    if (a.readings.length > 0)
      emit(t, { stream: 'air', data: { readings: a.readings, city: a.city, trend: a.city?.aqi.aqi != null ? [{ t: a.city.observedAt, aqi: a.city.aqi.aqi }] : [] } })
    const tr = traffic.apply(o.traffic)
    if (tr.event.segments.length > 0 || tr.event.towns.length > 0)
      emit(t, { stream: 'traffic', data: tr.event })
    const h = halls.apply(o.halls)
    if (h.halls.length > 0)
      emit(t, { stream: 'halls', data: h })
  }

  /** The items of `all` whose ids are in `ids`, in the order of `all` (the store's), looked up rather than scanned: a window has thousands of instants. */
  const pick = <T extends { id: string }>(all: readonly T[]): (ids: ReadonlySet<string>) => T[] => {
    const at = new Map(all.map((item, i) => [item.id, i]))
    return ids => [...ids].flatMap(id => at.get(id) ?? []).sort((a, b) => a - b).map(i => all[i]!)
  }
  const pickIncidents = pick(source.events.incidents)
  const pickAlerts = pick(source.alerts)

  /** Incidents and alerts as they were at `t` (all of them, or those that changed then): what changed is a frame. */
  function durable(t: number, only?: { incidents: ReadonlySet<string>, alerts: ReadonlySet<string> }): void {
    const changed = incidents.apply((only ? pickIncidents(only.incidents) : source.events.incidents).flatMap(i => incidentAtT(i, t) ?? []))
    if (changed.length > 0)
      emit(t, { stream: 'incidents', data: { incidents: changed, summary: incidents.summary() } })
    const moved: Alert[] = []
    for (const now of only ? pickAlerts(only.alerts) : source.alerts) {
      const a = alertAt(now, alertEvents.get(now.id) ?? [], t)
      const held = alerts.get(now.id)
      if (!a || (held && held.updatedAt === a.updatedAt && held.status === a.status))
        continue
      if (a.status === 'resolved')
        alerts.delete(a.id)
      else
        alerts.set(a.id, a)
      moved.push(a)
    }
    if (moved.length > 0)
      emit(t, { stream: 'alerts', data: { alerts: moved, summary: alertsSummary() } })
  }

  // Before the window: only the state is built, up to and including `from`.
  for (let t = from - REPLAY_LOOKBACK_MS; t <= from; t += REPLAY_STEP_MS) {
    clock = t
    minute(t)
  }
  clock = from
  durable(from)
  const start: ReplayStart = {
    air: air.snapshot(),
    traffic: traffic.snapshot(),
    halls: { halls: halls.snapshot().halls, summary: halls.summary() },
    incidents: { incidents: incidents.list(SNAPSHOT_MAX_INCIDENTS), summary: incidents.summary() },
    alerts: { alerts: [...alerts.values()], summary: alertsSummary() },
    kpis: kpisAt(from),
  }

  // Then every instant of the window that holds a minute's start or a change, in time order.
  const changes = changesByInstant(source.events, from, to)
  const instants = new Set<number>(changes.keys())
  for (let t = from + REPLAY_STEP_MS; t < to; t += REPLAY_STEP_MS)
    instants.add(t)
  const none = { incidents: new Set<string>(), alerts: new Set<string>() }
  for (const t of [...instants].sort((a, b) => a - b)) {
    clock = t
    const isMinute = t % REPLAY_STEP_MS === 0
    if (isMinute)
      minute(t)
    durable(t, changes.get(t) ?? none)
    if (isMinute)
      emit(t, { stream: 'kpis', data: kpisAt(t) })
  }
  return { from: iso(from), to: iso(to), start, frames: sortFrames(frames) }
}

const STREAM_ORDER = new Map<string, number>(REPLAY_STREAMS.map((s, i) => [s, i]))

/** Time order, then the streams' order: already so as built; sorting keeps the promise whatever the fold does. */
function sortFrames(frames: ReplayFrame[]): ReplayFrame[] {
  return frames
    .map((f, i) => ({ f, i, t: Date.parse(f.at) }))
    .sort((a, b) => a.t - b.t || (STREAM_ORDER.get(a.f.stream) ?? 0) - (STREAM_ORDER.get(b.f.stream) ?? 0) || a.i - b.i)
    .map(x => x.f)
}
