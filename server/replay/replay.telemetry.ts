import { HOURLY_INDICATORS } from '@shared/air/pollutants'
import type { AirIndicators, AirObservation } from '@shared/schemas/air'
import type { HallObservation } from '@shared/schemas/halls'
import { RATING_LEVELS } from '@shared/schemas/halls'
import type { RollupRow } from '@server/store/repositories'

/**
 * The minute rollups as observations the live states take (server/live/*):
 * each entity's minute as one reading at the minute's start. Speeds and
 * queues are the minute's mean; the halls' day counters (tickets, ratings)
 * its maximum, which is the count at the minute's end.
 */

/** The per-minute history the replay reads beside the segments' speed and the stations' HOURLY_INDICATORS: the halls' queues. */
export const HALL_REPLAY_METRICS = ['waiting', 'avgWaitMin', 'ticketsToday', ...RATING_LEVELS.map(l => `ratings.${l}` as const)] as const

export interface MinuteObservations {
  traffic: { segmentId: string, observedAt: string, speedKmh: number }[]
  air: AirObservation[]
  halls: HallObservation[]
}

/** Significant digits kept of a mean: display precision, and the answer stays small. */
const DIGITS = 4
const shown = (x: number): number => Number(x.toPrecision(DIGITS))

type ByEntity = Map<string, Map<string, RollupRow>>

function byEntity(rows: readonly RollupRow[]): ByEntity {
  const entities: ByEntity = new Map()
  for (const r of rows) {
    const metrics = entities.get(r.entityId) ?? new Map<string, RollupRow>()
    metrics.set(r.metric, r)
    entities.set(r.entityId, metrics)
  }
  return entities
}

function airOf(stationId: string, observedAt: string, metrics: ReadonlyMap<string, RollupRow>): AirObservation | undefined {
  const indicators: AirIndicators = {}
  for (const m of HOURLY_INDICATORS) {
    const row = metrics.get(m)
    if (row)
      indicators[m] = shown(row.mean)
  }
  // History from before the pollutants were kept has the AQI alone: it cannot be rated again, so the station is left out.
  return Object.keys(indicators).length > 0 ? { stationId, observedAt, indicators } : undefined
}

function hallOf(hallId: string, observedAt: string, metrics: ReadonlyMap<string, RollupRow>): HallObservation | undefined {
  const waiting = metrics.get('waiting')
  if (!waiting)
    return undefined
  const max = (metric: string): number => Math.round(metrics.get(metric)?.max ?? 0)
  return {
    hallId,
    observedAt,
    waiting: Math.round(waiting.mean),
    // Not kept in the history: a replayed hall has no window figures.
    windowsOpen: 0,
    windowsBusy: 0,
    ticketsToday: max('ticketsToday'),
    servedToday: 0,
    avgWaitMin: shown(metrics.get('avgWaitMin')?.mean ?? 0),
    maxWaitMin: 0,
    ratingsToday: Object.fromEntries(RATING_LEVELS.map(l => [l, max(`ratings.${l}`)])) as HallObservation['ratingsToday'],
  }
}

/** One minute's rows (every kind) as observations, entities in id order. */
export function observationsOf(minute: string, rows: readonly RollupRow[]): MinuteObservations {
  const out: MinuteObservations = { traffic: [], air: [], halls: [] }
  const sorted = [...rows].sort((a, b) => (a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : 0))
  for (const r of sorted) {
    if (r.kind === 'traffic' && r.metric === 'speedKmh')
      out.traffic.push({ segmentId: r.entityId, observedAt: minute, speedKmh: shown(r.mean) })
  }
  for (const [id, metrics] of byEntity(sorted.filter(r => r.kind === 'air'))) {
    const o = airOf(id, minute, metrics)
    if (o)
      out.air.push(o)
  }
  for (const [id, metrics] of byEntity(sorted.filter(r => r.kind === 'hall'))) {
    const o = hallOf(id, minute, metrics)
    if (o)
      out.halls.push(o)
  }
  return out
}

/** Rows grouped by their minute, minutes in time order. */
export function byMinute(rows: readonly RollupRow[]): Map<number, RollupRow[]> {
  const minutes = new Map<number, RollupRow[]>()
  for (const r of rows) {
    const t = Date.parse(r.start)
    const list = minutes.get(t) ?? []
    list.push(r)
    minutes.set(t, list)
  }
  return new Map([...minutes.entries()].sort(([a], [b]) => a - b))
}
