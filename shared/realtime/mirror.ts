import type { Alert } from '../schemas/alerts'
import type { Incident } from '../schemas/incidents'
import type { StreamEventData, StreamName, StreamSnapshot } from './streams'
import { isNotOlder } from '../dispatch/handled'

/**
 * The state a stream's events build up, the same on the server and on every
 * client: a snapshot, then each event folded in, in sequence order. The
 * server answers a subscribe with its mirror's snapshot, so a snapshot taken
 * at sequence n is exactly what n events folded in give. The digest of a
 * mirror is what the periodic checksum compares: two mirrors at the same
 * sequence that disagree have diverged silently.
 */
interface Reducer<S extends StreamName, State> {
  init: (snapshot: StreamSnapshot<S>) => State
  /** Folds one event in; may change `state` in place and returns the state to keep. */
  apply: (state: State, data: StreamEventData<S>) => State
  snapshot: (state: State) => StreamSnapshot<S>
  /** What the digest covers: entities in a fixed order, nothing derived for display only. */
  digestOf: (state: State) => unknown
}

/**
 * A stream's folded state as screens read it, without a copy: the entity
 * tables are the mirror's own Maps. Read-only by contract, and only good
 * until the next event is folded in (read it again after each UI tick).
 */
export interface StreamViews {
  'air': { readonly readings: ReadonlyMap<string, StreamSnapshot<'air'>['readings'][number]>, readonly city: StreamSnapshot<'air'>['city'], readonly trend: StreamSnapshot<'air'>['trend'] }
  'traffic': { readonly segments: ReadonlyMap<string, StreamSnapshot<'traffic'>['segments'][number]>, readonly towns: ReadonlyMap<string, StreamSnapshot<'traffic'>['towns'][number]>, readonly city: StreamSnapshot<'traffic'>['city'] }
  'halls': { readonly halls: ReadonlyMap<string, StreamSnapshot<'halls'>['halls'][number]>, readonly summary: StreamSnapshot<'halls'>['summary'] }
  'incidents': { readonly incidents: ReadonlyMap<string, Incident>, readonly summary: StreamSnapshot<'incidents'>['summary'] }
  'alerts': { readonly alerts: ReadonlyMap<string, Alert>, readonly summary: StreamSnapshot<'alerts'>['summary'] }
  'feed-health': StreamSnapshot<'feed-health'>
  'kpis': StreamSnapshot<'kpis'>
}
export type StreamView<S extends StreamName> = StreamViews[S]

/** A snapshot lists at most this many incidents, newest report first (the summary counts them all). */
export const MIRROR_MAX_INCIDENTS = 500
/** The city AQI trend keeps this much observation time, and at most this many points (server/live/air-state.ts keeps the same). */
const AIR_TREND_WINDOW_MS = 3_600_000
const AIR_TREND_MAX_POINTS = 2000

/** Items by key, in order of first appearance; a newer item replaces the one with its key. */
function upsertAll<T>(held: Map<string, T>, items: readonly T[], key: (item: T) => string): void {
  for (const item of items)
    held.set(key(item), item)
}

function sortedValues<T>(held: Map<string, T>): T[] {
  return [...held.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v)
}

type AirState = { readings: Map<string, StreamSnapshot<'air'>['readings'][number]>, city: StreamSnapshot<'air'>['city'], trend: StreamSnapshot<'air'>['trend'] }

const air: Reducer<'air', AirState> = {
  init: s => ({ readings: new Map(s.readings.map(r => [r.stationId, r])), city: s.city, trend: [...s.trend] }),
  apply: (state, data) => {
    upsertAll(state.readings, data.readings, r => r.stationId)
    state.city = data.city ?? state.city
    for (const point of data.trend) {
      // The same rule as the server's AirState: a point at a time already held replaces it, an older one is ignored.
      const last = state.trend.at(-1)
      if (last && last.t >= point.t) {
        if (last.t === point.t)
          state.trend[state.trend.length - 1] = point
        continue
      }
      state.trend.push(point)
    }
    const newest = state.trend.at(-1)
    if (newest) {
      const horizon = Date.parse(newest.t) - AIR_TREND_WINDOW_MS
      const firstKept = state.trend.findIndex(p => Date.parse(p.t) >= horizon)
      state.trend = state.trend.slice(Math.max(firstKept, state.trend.length - AIR_TREND_MAX_POINTS))
    }
    return state
  },
  snapshot: s => ({ readings: [...s.readings.values()], city: s.city, trend: [...s.trend] }),
  digestOf: s => [sortedValues(s.readings), s.city],
}

type TrafficState = { segments: Map<string, StreamSnapshot<'traffic'>['segments'][number]>, towns: Map<string, StreamSnapshot<'traffic'>['towns'][number]>, city: StreamSnapshot<'traffic'>['city'] }

const traffic: Reducer<'traffic', TrafficState> = {
  init: s => ({ segments: new Map(s.segments.map(r => [r[0], r])), towns: new Map(s.towns.map(t => [t.townCode, t])), city: s.city }),
  apply: (state, data) => {
    upsertAll(state.segments, data.segments, ([segmentId]) => segmentId)
    upsertAll(state.towns, data.towns, t => t.townCode)
    state.city = data.city ?? state.city
    return state
  },
  snapshot: s => ({ segments: [...s.segments.values()], towns: [...s.towns.values()], city: s.city }),
  digestOf: s => [sortedValues(s.segments), sortedValues(s.towns), s.city],
}

type HallsState = { halls: Map<string, StreamSnapshot<'halls'>['halls'][number]>, summary: StreamSnapshot<'halls'>['summary'] }

const halls: Reducer<'halls', HallsState> = {
  init: s => ({ halls: new Map(s.halls.map(h => [h.hallId, h])), summary: s.summary }),
  apply: (state, data) => {
    upsertAll(state.halls, data.halls, h => h.hallId)
    state.summary = data.summary ?? state.summary
    return state
  },
  snapshot: s => ({ halls: [...s.halls.values()], summary: s.summary }),
  digestOf: s => [sortedValues(s.halls), s.summary],
}

/** Newest report first; ties by id, so every mirror keeps the same ones. */
export function byNewestReport(a: Incident, b: Incident): number {
  return a.reportedAt !== b.reportedAt ? (a.reportedAt < b.reportedAt ? 1 : -1) : (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

type IncidentsState = { incidents: Map<string, Incident>, summary: StreamSnapshot<'incidents'>['summary'] }

const incidents: Reducer<'incidents', IncidentsState> = {
  init: s => ({ incidents: new Map(s.incidents.map(i => [i.id, i])), summary: s.summary }),
  apply: (state, data) => {
    for (const incident of data.incidents) {
      const held = state.incidents.get(incident.id)
      // A replayed or reordered older version (of the report or of its work order) never replaces a newer one.
      if (!held || isNotOlder(held, incident))
        state.incidents.set(incident.id, incident)
    }
    if (state.incidents.size > MIRROR_MAX_INCIDENTS) {
      const kept = [...state.incidents.values()].sort(byNewestReport).slice(0, MIRROR_MAX_INCIDENTS)
      state.incidents = new Map(kept.map(i => [i.id, i]))
    }
    state.summary = data.summary
    return state
  },
  snapshot: s => ({ incidents: [...s.incidents.values()].sort(byNewestReport), summary: s.summary }),
  digestOf: s => [sortedValues(s.incidents).map(i => [i.id, i.version, i.handling?.version ?? 0, i.status]), s.summary],
}

type AlertsState = { alerts: Map<string, Alert>, summary: StreamSnapshot<'alerts'>['summary'] }

const alerts: Reducer<'alerts', AlertsState> = {
  init: s => ({ alerts: new Map(s.alerts.map(a => [a.id, a])), summary: s.summary }),
  apply: (state, data) => {
    for (const alert of data.alerts) {
      const held = state.alerts.get(alert.id)
      if (held && held.updatedAt > alert.updatedAt)
        continue
      // The snapshot lists the alerts still to be dealt with; a resolved one leaves it.
      if (alert.status === 'resolved')
        state.alerts.delete(alert.id)
      else
        state.alerts.set(alert.id, alert)
    }
    state.summary = data.summary
    return state
  },
  snapshot: s => ({ alerts: [...s.alerts.values()], summary: s.summary }),
  digestOf: s => [sortedValues(s.alerts).map(a => [a.id, a.updatedAt, a.status]), s.summary],
}

/** Whole-set streams: every event replaces the state. */
function wholeSet<S extends 'feed-health' | 'kpis'>(): Reducer<S, StreamSnapshot<S>> {
  return {
    init: s => s,
    apply: (_state, data) => data,
    snapshot: s => s,
    digestOf: s => s,
  }
}

/** Each reducer's state must read as its stream's view (the `view()` cast relies on it). */
type ReadsAs<State extends View, View> = State
export type MirrorStatesReadAsViews = [
  ReadsAs<AirState, StreamViews['air']>,
  ReadsAs<TrafficState, StreamViews['traffic']>,
  ReadsAs<HallsState, StreamViews['halls']>,
  ReadsAs<IncidentsState, StreamViews['incidents']>,
  ReadsAs<AlertsState, StreamViews['alerts']>,
]

const REDUCERS: { [S in StreamName]: Reducer<S, never> } = {
  'air': air as unknown as Reducer<'air', never>,
  'traffic': traffic as unknown as Reducer<'traffic', never>,
  'halls': halls as unknown as Reducer<'halls', never>,
  'incidents': incidents as unknown as Reducer<'incidents', never>,
  'alerts': alerts as unknown as Reducer<'alerts', never>,
  'feed-health': wholeSet<'feed-health'>() as unknown as Reducer<'feed-health', never>,
  'kpis': wholeSet<'kpis'>() as unknown as Reducer<'kpis', never>,
}

/** One stream's folded state. */
export class StreamMirror<S extends StreamName> {
  private state: unknown
  private readonly reducer: Reducer<S, unknown>

  constructor(readonly stream: S, snapshot: StreamSnapshot<S>) {
    this.reducer = REDUCERS[stream] as unknown as Reducer<S, unknown>
    this.state = this.reducer.init(snapshot)
  }

  apply(data: StreamEventData<S>): void {
    this.state = this.reducer.apply(this.state, data)
  }

  reset(snapshot: StreamSnapshot<S>): void {
    this.state = this.reducer.init(snapshot)
  }

  snapshot(): StreamSnapshot<S> {
    return this.reducer.snapshot(this.state)
  }

  /** The state itself, for screens (see StreamViews): every reducer's state has the view's shape. */
  view(): StreamView<S> {
    return this.state as StreamView<S>
  }

  digest(): string {
    // null and absent are one thing here: JSON drops an absent field, msgpack sends it as nil.
    return digestText(JSON.stringify(this.reducer.digestOf(this.state), (_key, value: unknown) => (value === null ? undefined : value)))
  }
}

/**
 * A 53-bit hash of a text (cyrb53, public domain), as 14 hex digits: cheap in
 * both the browser and Node, and collisions between two states of one stream
 * are not a practical concern at one comparison every half minute.
 */
export function digestText(text: string): string {
  let h1 = 0xDEADBEEF
  let h2 = 0x41C6CE57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0')
}
