import type { SceneId } from '@shared/schemas/wall'

/** The wall's scenes (shared/schemas/wall.ts); the map only needs their names. */
export type MapScene = SceneId

/** What the towns can be coloured by. */
export const CHOROPLETH_METRICS = ['aqi', 'tpi', 'waitingPerWindow', 'openIncidents'] as const
export type ChoroplethMetric = (typeof CHOROPLETH_METRICS)[number]

/** The map's switchable overlays. */
export const MAP_OVERLAYS = ['stations', 'roads', 'halls', 'incidents', 'alerts'] as const
export type MapOverlay = (typeof MAP_OVERLAYS)[number]

/** What the map shows: one choropleth metric (or none) and a set of overlays. */
export interface MapView {
  metric: ChoroplethMetric | null
  overlays: ReadonlySet<MapOverlay>
  /**
   * Work orders as clusters already at the city-wide zoom (the incidents
   * scene); otherwise a heatmap there, and clusters once an operator zooms in.
   */
  clustersAtCityZoom: boolean
}

/**
 * Each scene's map. Alerts stay on in every scene: a critical alert is the
 * one thing an operator must see whatever the wall is showing.
 */
export const SCENE_VIEWS: Readonly<Record<MapScene, MapView>> = {
  overview: { metric: 'aqi', overlays: new Set(['stations', 'roads', 'halls', 'incidents', 'alerts']), clustersAtCityZoom: false },
  air: { metric: 'aqi', overlays: new Set(['stations', 'alerts']), clustersAtCityZoom: false },
  traffic: { metric: 'tpi', overlays: new Set(['roads', 'alerts']), clustersAtCityZoom: false },
  halls: { metric: 'waitingPerWindow', overlays: new Set(['halls', 'alerts']), clustersAtCityZoom: false },
  incidents: { metric: 'openIncidents', overlays: new Set(['incidents', 'alerts']), clustersAtCityZoom: true },
}

export function sceneView(scene: MapScene | undefined): MapView {
  return SCENE_VIEWS[scene ?? 'overview']
}

/** The view with one overlay switched on or off. */
export function toggleOverlay(view: MapView, overlay: MapOverlay): MapView {
  const overlays = new Set(view.overlays)
  if (!overlays.delete(overlay))
    overlays.add(overlay)
  return { ...view, overlays }
}

/** The view with another choropleth metric; choosing the current one again turns the choropleth off. */
export function chooseMetric(view: MapView, metric: ChoroplethMetric): MapView {
  return { ...view, metric: view.metric === metric ? null : metric }
}
