import type { FeatureCollection, Point } from 'geojson'
import type { ExpressionSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl'
import type { Basemap } from '@shared/geo/basemap'
import type { CityModel } from '@shared/schemas/city'
import { CONGESTION_GRADE_INFO } from '@shared/traffic/congestion'
import { NO_DATA_FILL } from './choropleth'
import type { Project } from './crs'
import { projectGeometry } from './crs'
import type { MapOverlay } from './map-view'

/** Local fonts only: MapLibre draws labels itself when the style has no `glyphs` URL, so no glyph server is needed. */
export const MAP_FONTS = ['Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'sans-serif']

/**
 * What sizes on the map follow: the wall's rem in px (1080p: 16, 4K: 32) and
 * the zoom at which the whole city fits the map (one zoom level more at 4K,
 * where the map is twice as many CSS px wide). Widths and fades are set
 * relative to that zoom, so every wall shows the same picture at its own size.
 */
export interface MapScale {
  rem: number
  z0: number
}

export const SOURCE = {
  boundary: 'boundary',
  townLabels: 'towns',
  townAreas: 'town-areas',
  roads: 'roads',
  stations: 'stations',
  halls: 'halls',
  incidents: 'incidents',
  incidentHeat: 'incident-heat',
  basemap: 'basemap',
} as const

export const LAYER = {
  background: 'background',
  basemap: 'basemap',
  cityFill: 'city-fill',
  townFill: 'town-fill',
  townLine: 'town-line',
  cityGlow: 'city-glow',
  cityLine: 'city-line',
  roadCasing: 'road-casing',
  roads: 'road-lines',
  roadsSevere: 'road-severe',
  incidentHeat: 'incident-heat',
  halls: 'hall-circles',
  stationHalo: 'air-station-halo',
  stations: 'air-stations',
  stationAqi: 'air-station-aqi',
  incidentClusters: 'incident-clusters',
  incidentClusterCount: 'incident-cluster-count',
  incidentPoints: 'incident-points',
  townLabels: 'town-labels',
} as const

/** The style layers each overlay switches; alerts are DOM markers, not layers. */
export const OVERLAY_LAYERS: Readonly<Record<MapOverlay, readonly string[]>> = {
  stations: [LAYER.stationHalo, LAYER.stations, LAYER.stationAqi],
  roads: [LAYER.roadCasing, LAYER.roads, LAYER.roadsSevere],
  halls: [LAYER.halls],
  incidents: [LAYER.incidentHeat, LAYER.incidentClusters, LAYER.incidentClusterCount, LAYER.incidentPoints],
  alerts: [],
}

/** The work orders drawn one by one (or clustered), over the heatmap. */
export const INCIDENT_DETAIL_LAYERS = [LAYER.incidentClusters, LAYER.incidentClusterCount, LAYER.incidentPoints] as const
/** Where those appear when the city-wide view shows only the heatmap: this far in from the fitting zoom. */
export const INCIDENT_DETAIL_ZOOM_IN = 0.75

/** Layers a click can pick, the topmost first. */
export const CLICKABLE_LAYERS = [LAYER.incidentClusters, LAYER.incidentPoints, LAYER.stations, LAYER.halls, LAYER.roads, LAYER.townFill] as const

const TILE = 512

/** Web Mercator x, y in [0, 1] of a position. */
function mercator(lng: number, lat: number): [number, number] {
  const s = Math.sin((lat * Math.PI) / 180)
  return [(lng + 180) / 360, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)]
}

export interface Padding { top: number, right: number, bottom: number, left: number }

/** The zoom at which `bbox` just fits a `width` × `height` CSS px map inside `padding` (CSS px), as MapLibre's fitBounds places it. */
export function fitZoom(bbox: readonly [number, number, number, number], width: number, height: number, padding: Padding): number {
  const [x0, y1] = mercator(bbox[0], bbox[1])
  const [x1, y0] = mercator(bbox[2], bbox[3])
  const zx = Math.log2(Math.max(1, width - padding.left - padding.right) / (TILE * (x1 - x0)))
  const zy = Math.log2(Math.max(1, height - padding.top - padding.bottom) / (TILE * (y1 - y0)))
  return Math.min(zx, zy)
}

/** A segment's congestion grade, 1 (free) … 5 (severe), 0 before its first reading: feature-state, or the property the naive strategy sets. */
export const GRADE: ExpressionSpecification = ['to-number', ['coalesce', ['feature-state', 'grade'], ['get', 'grade'], 0]]
const stateOr = (key: string, fallback: number): ExpressionSpecification => ['to-number', ['coalesce', ['feature-state', key], ['get', key], fallback]]

const ROAD_NO_DATA = '#4b5b70'

/** Road width at the city-wide zoom, in rem, by class (the `w` property); a zoom level in, about twice. */
const ROAD_REM = 0.22
/**
 * GB/T 33171's colours differ mostly in hue; for red–green colour-blind
 * readers the worse grades are also wider, and severe carries a dark dash.
 */
const GRADE_WIDTH: ExpressionSpecification = ['match', GRADE, 4, 1.3, 5, 1.6, 1]

/** A road's width: by class and grade, about doubling each zoom level in; `extraRem` more for a casing. */
function roadWidth(scale: MapScale, factor = 1, extraRem = 0): ExpressionSpecification {
  const at = (zoomIn: number): ExpressionSpecification => ['+', extraRem * scale.rem, ['*', ROAD_REM * scale.rem * factor * 1.8 ** zoomIn, ['get', 'w'], GRADE_WIDTH]]
  return ['interpolate', ['exponential', 1.8], ['zoom'], scale.z0 - 1, at(-1), scale.z0 + 5, at(5)]
}

/** Sizes that grow a little as an operator zooms in, in rem at the city-wide zoom. */
function grow(scale: MapScale, remAtZ0: number, perLevel = 1.15): ExpressionSpecification {
  return ['interpolate', ['linear'], ['zoom'], scale.z0, remAtZ0 * scale.rem, scale.z0 + 4, remAtZ0 * scale.rem * perLevel ** 4]
}

export const HALL_PRESSURE_COLORS = { none: '#bfe3ff', warn: '#ffb020', critical: '#ff4d4f', closed: '#6b7a90' } as const
export const INCIDENT_COLORS = { urgent: '#ff4d4f', normal: '#ffb020', closed: '#6b7a90', overdueRing: '#ffffff' } as const

/** A cluster's colour: red with anything urgent in it, amber with anything open, grey when all is closed. */
const CLUSTER_COLOR: ExpressionSpecification = ['case', ['>', ['get', 'urgent'], 0], INCIDENT_COLORS.urgent, ['>', ['get', 'open'], 0], INCIDENT_COLORS.normal, INCIDENT_COLORS.closed]

/** The map's layers, bottom to top, sized for `scale`. */
export function mapLayers(scale: MapScale, options: { schematic: boolean, basemap: Basemap['type'] | null, townFill?: ExpressionSpecification }): LayerSpecification[] {
  const { rem, z0 } = scale
  const hallWaiting = stateOr('waiting', 0)
  const hallPressure = stateOr('pressure', -1)
  return [
    { id: LAYER.background, type: 'background', paint: { 'background-color': '#040a16' } },
    ...(options.basemap === 'raster'
      ? [{ id: LAYER.basemap, type: 'raster', source: SOURCE.basemap, paint: { 'raster-saturation': -0.6, 'raster-brightness-max': 0.55, 'raster-opacity': 0.9 } } satisfies LayerSpecification]
      : []),
    // Over a basemap the city is tinted, not covered.
    { id: LAYER.cityFill, type: 'fill', source: SOURCE.boundary, paint: { 'fill-color': '#0b2346', 'fill-opacity': options.basemap !== null ? 0.35 : 0.92 } },
    { id: LAYER.townFill, type: 'fill', source: SOURCE.townAreas, paint: { 'fill-color': options.townFill ?? NO_DATA_FILL, 'fill-opacity': 0.42 } },
    {
      id: LAYER.townLine,
      type: 'line',
      source: SOURCE.townAreas,
      paint: {
        'line-color': '#7d9cc8',
        'line-opacity': 0.55,
        'line-width': 0.07 * rem,
        // Schematic borders are dashed: they are no one's surveyed line.
        ...(options.schematic ? { 'line-dasharray': [4, 3] } : {}),
      },
    },
    { id: LAYER.cityGlow, type: 'line', source: SOURCE.boundary, paint: { 'line-color': '#1e90ff', 'line-width': 0.6 * rem, 'line-blur': 0.5 * rem, 'line-opacity': 0.45 } },
    { id: LAYER.cityLine, type: 'line', source: SOURCE.boundary, paint: { 'line-color': '#63c7ff', 'line-width': 0.12 * rem } },
    {
      // A dark edge keeps the roads apart from a town colouring in the same hues.
      id: LAYER.roadCasing,
      type: 'line',
      source: SOURCE.roads,
      layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': ['get', 'w'] },
      paint: { 'line-color': '#03070f', 'line-width': roadWidth(scale, 1, 0.14), 'line-opacity': 0.75 },
    },
    {
      id: LAYER.roads,
      type: 'line',
      source: SOURCE.roads,
      layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': ['get', 'w'] },
      paint: {
        'line-color': ['match', GRADE, ...CONGESTION_GRADE_INFO.flatMap(g => [g.level, g.color]), ROAD_NO_DATA] as ExpressionSpecification,
        'line-width': roadWidth(scale),
        'line-opacity': 0.95,
      },
    },
    {
      id: LAYER.roadsSevere,
      type: 'line',
      source: SOURCE.roads,
      layout: { 'line-cap': 'butt' },
      paint: {
        'line-color': '#1a0306',
        'line-width': roadWidth(scale, 0.45),
        'line-dasharray': [1.2, 1.2],
        'line-opacity': ['case', ['==', GRADE, 5], 1, 0],
      },
    },
    {
      id: LAYER.incidentHeat,
      type: 'heatmap',
      source: SOURCE.incidentHeat,
      maxzoom: z0 + 2.5,
      paint: {
        'heatmap-weight': ['case', ['==', ['get', 'open'], 0], 0, ['==', ['get', 'urgent'], 1], 2, 1],
        'heatmap-radius': ['interpolate', ['linear'], ['zoom'], z0, 1.1 * rem, z0 + 2.5, 2.4 * rem],
        'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], z0, 0.6, z0 + 2.5, 1.2],
        'heatmap-color': ['interpolate', ['linear'], ['heatmap-density'],
          0, 'rgba(120, 60, 200, 0)', 0.2, 'rgba(120, 60, 200, 0.35)', 0.45, 'rgba(190, 90, 220, 0.55)', 0.7, 'rgba(255, 140, 90, 0.7)', 1, 'rgba(255, 220, 120, 0.85)'],
        // The heatmap gives way to clusters and points as an operator zooms in.
        'heatmap-opacity': ['interpolate', ['linear'], ['zoom'], z0 + 0.5, 0.8, z0 + 2.5, 0],
      },
    },
    {
      id: LAYER.halls,
      type: 'circle',
      source: SOURCE.halls,
      paint: {
        // Area, not radius, grows with the queue.
        'circle-radius': ['interpolate', ['linear'], ['sqrt', hallWaiting], 0, 0.35 * rem, 10, 1.5 * rem],
        'circle-color': ['case', ['==', stateOr('open', -1), 1], '#3fb6ff', HALL_PRESSURE_COLORS.closed],
        'circle-opacity': 0.4,
        'circle-stroke-color': ['match', hallPressure, 2, HALL_PRESSURE_COLORS.critical, 1, HALL_PRESSURE_COLORS.warn, 0, HALL_PRESSURE_COLORS.none, HALL_PRESSURE_COLORS.closed],
        'circle-stroke-width': ['match', hallPressure, 2, 0.28 * rem, 1, 0.2 * rem, 0.08 * rem],
      },
    },
    // A dark ring under each station: its disc stands out even on a town of the same AQI colour.
    { id: LAYER.stationHalo, type: 'circle', source: SOURCE.stations, paint: { 'circle-radius': grow(scale, 1.15), 'circle-color': '#040a16', 'circle-opacity': 0.6, 'circle-blur': 0.35 } },
    {
      id: LAYER.stations,
      type: 'circle',
      source: SOURCE.stations,
      paint: { 'circle-radius': grow(scale, 0.9), 'circle-color': ['get', 'color'], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 0.1 * rem, 'circle-stroke-opacity': 0.85 },
    },
    {
      id: LAYER.stationAqi,
      type: 'symbol',
      source: SOURCE.stations,
      layout: {
        'text-field': ['get', 'aqi'],
        'text-font': MAP_FONTS,
        'text-size': grow(scale, 0.85, 1.08),
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': ['get', 'textColor'] },
    },
    {
      id: LAYER.incidentClusters,
      type: 'circle',
      source: SOURCE.incidents,
      filter: ['has', 'point_count'],
      // A dark disc in a coloured ring, so that a count never reads as a station's AQI (a filled disc).
      paint: {
        'circle-radius': ['step', ['get', 'open'], 0.7 * rem, 10, 0.9 * rem, 50, 1.15 * rem],
        'circle-color': '#0b1526',
        'circle-opacity': 0.92,
        'circle-stroke-color': CLUSTER_COLOR,
        'circle-stroke-width': 0.2 * rem,
      },
    },
    {
      id: LAYER.incidentClusterCount,
      type: 'symbol',
      source: SOURCE.incidents,
      filter: ['has', 'point_count'],
      // What is still open; a cluster of closed orders only (grey) says how many there were.
      layout: { 'text-field': ['to-string', ['case', ['>', ['get', 'open'], 0], ['get', 'open'], ['get', 'point_count']]], 'text-font': MAP_FONTS, 'text-size': 0.85 * rem, 'text-allow-overlap': true, 'text-ignore-placement': true },
      paint: { 'text-color': CLUSTER_COLOR },
    },
    {
      id: LAYER.incidentPoints,
      type: 'circle',
      source: SOURCE.incidents,
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-radius': ['case', ['==', ['get', 'open'], 1], 0.42 * rem, 0.3 * rem],
        'circle-color': ['case', ['==', ['get', 'open'], 0], INCIDENT_COLORS.closed, ['==', ['get', 'urgent'], 1], INCIDENT_COLORS.urgent, INCIDENT_COLORS.normal],
        // Past its deadline: a white ring, readable without telling red from amber.
        'circle-stroke-color': ['case', ['==', ['get', 'overdue'], 1], INCIDENT_COLORS.overdueRing, '#0b1526'],
        'circle-stroke-width': ['case', ['==', ['get', 'overdue'], 1], 0.16 * rem, 0.06 * rem],
      },
    },
    {
      id: LAYER.townLabels,
      type: 'symbol',
      source: SOURCE.townLabels,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': MAP_FONTS,
        'text-size': 0.9 * rem,
        'text-anchor': 'top',
        'text-offset': [0, 1.3],
        'text-allow-overlap': false,
        'text-padding': 0.1 * rem,
      },
      paint: { 'text-color': '#c3d5ee', 'text-halo-color': '#040a16', 'text-halo-width': 0.09 * rem },
    },
  ]
}

/** The towns' names at their centres, without the 街道 / 镇 suffix (shorter, as local maps label them). */
export function townLabelFeatures(city: CityModel, project: Project): FeatureCollection<Point, { name: string }> {
  return {
    type: 'FeatureCollection',
    features: city.towns.map(t => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: project(t.lng, t.lat) },
      properties: { name: t.name.replace(/(?:街道|镇)$/, '') },
    })),
  }
}

/** The style's sources, with their initial data. */
export interface StyleSources {
  areas: FeatureCollection
  roads: FeatureCollection
  stations: FeatureCollection
  halls: FeatureCollection
  incidents: FeatureCollection
}

const geojson = (data: FeatureCollection, extra: Partial<Extract<SourceSpecification, { type: 'geojson' }>> = {}): SourceSpecification => ({ type: 'geojson', data, ...extra })

/**
 * The wall's dark, offline style: the city's own geometry, no glyph server,
 * and tiles only when a basemap is configured (a vector basemap's layers are
 * added once the map has loaded, see basemap.ts).
 */
export function cityMapStyle(input: { city: CityModel, project: Project, scale: MapScale, schematic: boolean, basemap: Basemap | null, townFill?: ExpressionSpecification, sources: StyleSources }): StyleSpecification {
  const { city, project, basemap, sources } = input
  const raster = basemap?.type === 'raster' ? basemap : null
  return {
    version: 8,
    name: 'ioc-dark',
    // In the order MapLibre's worker (one, on a 2-core PC) should load them: small and most looked-at first, the road network last.
    sources: {
      [SOURCE.boundary]: { type: 'geojson', data: { ...city.boundary, geometry: projectGeometry(city.boundary.geometry, project) }, attribution: city.attribution },
      [SOURCE.stations]: geojson(sources.stations),
      [SOURCE.townLabels]: geojson(townLabelFeatures(city, project)),
      [SOURCE.townAreas]: geojson(sources.areas),
      [SOURCE.halls]: geojson(sources.halls),
      [SOURCE.incidents]: geojson(sources.incidents, {
        cluster: true,
        clusterRadius: Math.round(2.6 * input.scale.rem),
        clusterMaxZoom: Math.ceil(input.scale.z0 + 4),
        // Clusters count what is still open, and how much of it is urgent.
        clusterProperties: { open: ['+', ['get', 'open']], urgent: ['+', ['get', 'urgent']] },
      }),
      [SOURCE.incidentHeat]: geojson(sources.incidents),
      // Feature-state needs integer ids: each feature's id is its index in the city model.
      [SOURCE.roads]: geojson(sources.roads),
      ...(raster
        ? { [SOURCE.basemap]: { type: 'raster', tiles: raster.tiles, tileSize: raster.tileSize, maxzoom: raster.maxzoom, attribution: raster.attribution } satisfies SourceSpecification }
        : {}),
    },
    layers: mapLayers(input.scale, { schematic: input.schematic, basemap: basemap?.type ?? null, townFill: input.townFill }),
  }
}
