import type { HistoryMetric } from '@shared/schemas/history'
import { LAYER } from './city-style'

/** What a click on the map opens. */
export type MapSelection =
  | { kind: 'station', id: string }
  | { kind: 'segment', id: string }
  | { kind: 'hall', id: string }
  | { kind: 'incident', id: string }
  | { kind: 'town', id: string }

/** A clicked feature as MapLibre reports it. */
export interface PickedFeature {
  layer: string
  id: number | string | undefined
  properties: Record<string, unknown>
}

/** Ids the style knows each entity by (the index in the city model) and back. */
export interface EntityIndex {
  segments: readonly { id: string }[]
  towns: readonly { code: string }[]
  halls: readonly { id: string }[]
}

/** What a clicked feature selects; clusters select nothing (a click on one zooms in). */
export function selectionOf(f: PickedFeature, index: EntityIndex): MapSelection | null {
  const byIndex = <T>(list: readonly T[]): T | undefined => (typeof f.id === 'number' ? list[f.id] : undefined)
  switch (f.layer) {
    case LAYER.stations: return typeof f.properties.id === 'string' ? { kind: 'station', id: f.properties.id } : null
    case LAYER.incidentPoints: return typeof f.properties.id === 'string' ? { kind: 'incident', id: f.properties.id } : null
    case LAYER.halls: {
      const hall = byIndex(index.halls)
      return hall ? { kind: 'hall', id: hall.id } : null
    }
    case LAYER.roads: {
      const segment = byIndex(index.segments)
      return segment ? { kind: 'segment', id: segment.id } : null
    }
    case LAYER.townFill: {
      const town = byIndex(index.towns)
      return town ? { kind: 'town', id: town.code } : null
    }
    default: return null
  }
}

/** The history a detail charts: the entity's own telemetry; an incident has none (its times are shown instead). */
export function historyMetric(selection: MapSelection): HistoryMetric | null {
  switch (selection.kind) {
    case 'station': return 'air.aqi'
    case 'segment': return 'traffic.speedKmh'
    case 'hall': return 'hall.waiting'
    case 'town': return 'traffic.tpi'
    case 'incident': return null
  }
}

export const HISTORY_WINDOW_MS = 24 * 3_600_000
/** 10-minute buckets: 144 points, enough for a small chart, one request. */
export const HISTORY_STEP_MIN = 10

/** GET /api/history's query for the day before `end` (the server's clock, not the browser's). */
export function historyQuery(metric: HistoryMetric, entity: string, end: number): string {
  return new URLSearchParams({
    metric,
    entity,
    from: new Date(end - HISTORY_WINDOW_MS).toISOString(),
    // The minute in progress is included.
    to: new Date(end + 60_000).toISOString(),
    resolution: 'minute',
    step: String(HISTORY_STEP_MIN),
  }).toString()
}
