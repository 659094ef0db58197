import type { FeatureCollection, Point } from 'geojson'
import type { StyleSpecification } from 'maplibre-gl'
import { levelInfo, levelTextColor } from '@shared/air/levels'
import type { AirStation, StationReading } from '@shared/schemas/air'
import type { CityModel } from '@shared/schemas/city'

/** Local fonts only: MapLibre draws labels itself when the style has no `glyphs` URL. */
export const MAP_FONTS = ['Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'sans-serif']
const NO_DATA_COLOR = '#56657a'

export interface StationProperties {
  id: string
  name: string
  /** The AQI as text, '—' without data. */
  aqi: string
  color: string
  textColor: string
  level: number
}

/** The stations as map features, coloured by their AQI level. */
export function stationFeatures(stations: readonly AirStation[], readings: ReadonlyMap<string, StationReading>): FeatureCollection<Point, StationProperties> {
  return {
    type: 'FeatureCollection',
    features: stations.map((s) => {
      const aqi = readings.get(s.id)?.aqi
      const level = aqi?.level ?? null
      return {
        type: 'Feature',
        id: s.id,
        geometry: { type: 'Point', coordinates: [s.lng, s.lat] },
        properties: {
          id: s.id,
          name: s.name,
          aqi: aqi?.aqi != null ? String(aqi.aqi) : '—',
          color: level ? levelInfo(level).color : NO_DATA_COLOR,
          textColor: level ? levelTextColor(level) : '#ffffff',
          level: level ?? 0,
        },
      }
    }),
  }
}

export function townFeatures(city: CityModel): FeatureCollection<Point, { name: string, approx: boolean }> {
  return {
    type: 'FeatureCollection',
    features: city.towns.map(t => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [t.lng, t.lat] },
      properties: { name: t.name.replace(/(?:街道|镇)$/, ''), approx: t.approx },
    })),
  }
}

/**
 * The dark, offline style of the wall map: no tiles, no glyph server, only
 * the city's own geometry. `rem` is the wall's unit in px, so that symbols
 * scale with the screen.
 */
export function cityMapStyle(city: CityModel, rem: number): StyleSpecification {
  return {
    version: 8,
    name: 'ioc-dark',
    sources: {
      boundary: { type: 'geojson', data: city.boundary, attribution: city.attribution },
      towns: { type: 'geojson', data: townFeatures(city) },
      stations: { type: 'geojson', data: stationFeatures(city.airStations, new Map()), promoteId: 'id' },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#040a16' } },
      { id: 'city-fill', type: 'fill', source: 'boundary', paint: { 'fill-color': '#0b2346', 'fill-opacity': 0.92 } },
      { id: 'city-glow', type: 'line', source: 'boundary', paint: { 'line-color': '#1e90ff', 'line-width': 0.6 * rem, 'line-blur': 0.5 * rem, 'line-opacity': 0.45 } },
      { id: 'city-line', type: 'line', source: 'boundary', paint: { 'line-color': '#63c7ff', 'line-width': 0.12 * rem } },
      { id: 'town-dots', type: 'circle', source: 'towns', paint: { 'circle-radius': 0.18 * rem, 'circle-color': '#7c9cc4', 'circle-opacity': 0.8 } },
      { id: 'air-station-halo', type: 'circle', source: 'stations', paint: { 'circle-radius': 1.1 * rem, 'circle-color': ['get', 'color'], 'circle-opacity': 0.22, 'circle-blur': 0.4 } },
      { id: 'air-stations', type: 'circle', source: 'stations', paint: { 'circle-radius': 0.78 * rem, 'circle-color': ['get', 'color'], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 0.1 * rem, 'circle-stroke-opacity': 0.85 } },
      {
        id: 'air-station-aqi',
        type: 'symbol',
        source: 'stations',
        layout: {
          'text-field': ['get', 'aqi'],
          'text-font': MAP_FONTS,
          'text-size': 0.72 * rem,
          'text-allow-overlap': true,
          'text-ignore-placement': true,
        },
        paint: { 'text-color': ['get', 'textColor'] },
      },
      {
        id: 'town-labels',
        type: 'symbol',
        source: 'towns',
        layout: {
          'text-field': ['get', 'name'],
          'text-font': MAP_FONTS,
          'text-size': 0.8 * rem,
          'text-anchor': 'top',
          'text-offset': [0, 1.5],
          'text-allow-overlap': false,
        },
        paint: { 'text-color': '#9db4d3', 'text-halo-color': '#040a16', 'text-halo-width': 1.2 },
      },
    ],
  }
}
