import type { FeatureCollection } from 'geojson'
import { describe, expect, it } from 'vitest'
import { basemapOrigins, Basemap } from '@shared/geo/basemap'
import { loadCity } from '@server/city'
import type { StyleSources } from './city-style'
import { cityMapStyle, fitZoom, LAYER, mapLayers, OVERLAY_LAYERS, SOURCE } from './city-style'
import { projectBbox, projectGeometry, projector } from './crs'

const city = loadCity('dongguan')
const empty = (): FeatureCollection => ({ type: 'FeatureCollection', features: [] })
const sources = (): StyleSources => ({ areas: empty(), roads: empty(), stations: empty(), halls: empty(), incidents: empty() })
const scale = { rem: 16, z0: 9.2 }
const style = (basemap: Basemap | null) => cityMapStyle({ city, project: projector(basemap?.crs ?? null), scale, schematic: true, basemap, sources: sources() })

describe('the map style', () => {
  it('is offline: no glyph server, no sprite, no tile unless a basemap is configured', () => {
    const s = style(null)
    expect(s.glyphs).toBeUndefined()
    expect(s.sprite).toBeUndefined()
    expect(Object.values(s.sources).every(src => src.type === 'geojson')).toBe(true)
  })

  it('draws a configured raster basemap under the city, which is then tinted, not covered', () => {
    const tiles = ['https://tiles.city.example/{z}/{x}/{y}.png']
    const basemap = Basemap.parse({ type: 'raster', tiles, crs: 'wgs84' })
    const s = style(basemap)
    expect(s.sources[SOURCE.basemap]).toMatchObject({ type: 'raster', tiles })
    const ids = s.layers.map(l => l.id)
    expect(ids.indexOf(LAYER.basemap)).toBeLessThan(ids.indexOf(LAYER.cityFill))
    expect(s.layers.find(l => l.id === LAYER.cityFill)?.paint).toMatchObject({ 'fill-opacity': 0.35 })
    expect(basemapOrigins(basemap)).toEqual(['https://tiles.city.example'])
    expect(basemapOrigins(Basemap.parse({ type: 'vector', url: '/tiles/style.json', crs: 'gcj02' }))).toEqual([])
  })

  it('switches every overlay\'s layers, and every one of them exists', () => {
    const ids = new Set(mapLayers(scale, { schematic: false, basemap: null }).map(l => l.id))
    for (const layers of Object.values(OVERLAY_LAYERS))
      layers.forEach(id => expect(ids.has(id), id).toBe(true))
  })

  it('fits the city: one zoom level more on a map twice as wide and tall (a 4K wall)', () => {
    const pad = { top: 16, right: 16, bottom: 16, left: 240 }
    const z1080 = fitZoom(city.bbox, 900, 560, pad)
    const z4k = fitZoom(city.bbox, 1800, 1120, { top: 32, right: 32, bottom: 32, left: 480 })
    expect(z4k - z1080).toBeCloseTo(1, 6)
    expect(z1080).toBeGreaterThan(8.5)
    expect(z1080).toBeLessThan(10)
  })
})

describe('a GCJ-02 basemap', () => {
  it('has the city drawn shifted onto it (a few hundred metres in Guangdong), our WGS-84 data left alone', () => {
    const gcj = projector('gcj02')
    const [lng, lat] = [113.752, 23.045]
    const [x, y] = gcj(lng, lat)
    const metres = Math.hypot((x - lng) * 102_000, (y - lat) * 111_000)
    expect(metres).toBeGreaterThan(200)
    expect(metres).toBeLessThan(800)
    const point = { type: 'Point' as const, coordinates: [lng, lat] }
    expect(projectGeometry(point, gcj).coordinates).toEqual([x, y])
    expect(point.coordinates).toEqual([lng, lat])
    expect(projectBbox(city.bbox, projector('wgs84'))).toEqual(city.bbox)
  })
})
