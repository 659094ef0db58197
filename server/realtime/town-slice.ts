import type { StreamEventData, StreamName, StreamSnapshot } from '@shared/realtime/streams'
import type { CityModel } from '@shared/schemas/city'

/**
 * Which town each entity of the city model is in, for screens that watch one
 * town: a town screen is sent the entities of its town and, as context, the
 * city-wide figures (city AQI, city TPI, summaries with their per-town counts).
 */
export interface TownIndex {
  station: ReadonlyMap<string, string>
  segment: ReadonlyMap<string, string>
  hall: ReadonlyMap<string, string>
  towns: ReadonlySet<string>
}

export function townIndex(city: Pick<CityModel, 'airStations' | 'roads' | 'halls' | 'towns'>): TownIndex {
  return {
    station: new Map(city.airStations.map(s => [s.id, s.townCode])),
    segment: new Map(city.roads.map(r => [r.id, r.townCode])),
    hall: new Map(city.halls.map(h => [h.id, h.townCode])),
    towns: new Set(city.towns.map(t => t.code)),
  }
}

type Slicer<S extends StreamName> = (data: StreamEventData<S> & StreamSnapshot<S>, town: string, index: TownIndex) => StreamEventData<S> & StreamSnapshot<S>

/** Event and snapshot payloads share their entity lists, so one slicer serves both. */
const SLICERS: { [S in StreamName]: Slicer<S> } = {
  'air': (d, town, ix) => ({ ...d, readings: d.readings.filter(r => ix.station.get(r.stationId) === town) }),
  'traffic': (d, town, ix) => ({ ...d, segments: d.segments.filter(([segmentId]) => ix.segment.get(segmentId) === town), towns: d.towns.filter(t => t.townCode === town) }),
  'halls': (d, town, ix) => ({ ...d, halls: d.halls.filter(h => ix.hall.get(h.hallId) === town) }),
  'incidents': (d, town) => ({ ...d, incidents: d.incidents.filter(i => i.townCode === town) }),
  'alerts': (d, town) => ({ ...d, alerts: d.alerts.filter(a => a.townCode === town) }),
  // Feed health and the KPI set are the same for every screen.
  'feed-health': d => d,
  'kpis': d => d,
}

export function sliceEvent<S extends StreamName>(stream: S, data: StreamEventData<S>, town: string, index: TownIndex): StreamEventData<S> {
  return (SLICERS[stream] as unknown as Slicer<S>)(data, town, index)
}

export function sliceSnapshot<S extends StreamName>(stream: S, snapshot: StreamSnapshot<S>, town: string, index: TownIndex): StreamSnapshot<S> {
  return (SLICERS[stream] as unknown as Slicer<S>)(snapshot, town, index)
}
