import type { GeoJSONSource, GeoJSONSourceDiff, Map as MapLibreMap } from 'maplibre-gl'
import type { FeatureCollection } from 'geojson'

/**
 * How live layers reach the map. `partial` (the default): feature-state for
 * what only changes colour or size, `updateData` diffs for what changes text
 * or comes and goes. `setData`: every live source rebuilt and replaced on
 * every tick that moved it, the naive way the wall benchmark compares against
 * (`?mapUpdate=setData`).
 */
export type UpdateStrategy = 'partial' | 'setData'

export function updateStrategyFrom(search: string): UpdateStrategy {
  return new URLSearchParams(search).get('mapUpdate') === 'setData' ? 'setData' : 'partial'
}

function source(map: MapLibreMap, id: string): GeoJSONSource | undefined {
  return map.getSource<GeoJSONSource>(id)
}

// Both resolve when the worker has taken the data; a failure there is only logged (the map keeps what it had).
const logFailure = (what: string) => (err: unknown): void => console.error(`[map] ${what} failed`, err)

export function replaceData(map: MapLibreMap, id: string, data: FeatureCollection): void {
  source(map, id)?.setData(data).catch(logFailure(`setData(${id})`))
}

export function applyDiff(map: MapLibreMap, id: string, diff: GeoJSONSourceDiff): void {
  source(map, id)?.updateData(diff).catch(logFailure(`updateData(${id})`))
}

/** A feature's properties as an `updateData` diff sets them. */
export function propertyUpdates(properties: Readonly<Record<string, string | number>>): { key: string, value: string | number }[] {
  return Object.entries(properties).map(([key, value]) => ({ key, value }))
}
