import type { LayerSpecification, Map as MapLibreMap, SourceSpecification } from 'maplibre-gl'
import { z } from 'zod'
import type { Basemap } from '@shared/geo/basemap'
import { LAYER } from './city-style'

/** What is read of a vector basemap's style: its sources and layers, each checked by MapLibre as it is added. */
const ForeignStyle = z.object({
  sources: z.record(z.string(), z.looseObject({ type: z.string() })),
  layers: z.array(z.looseObject({ id: z.string(), type: z.string(), source: z.string().optional() })),
})

/** Labels need the style's glyph server, patterns its sprite: neither is loaded (the wall draws its own labels). */
function drawable(layer: z.infer<typeof ForeignStyle>['layers'][number]): boolean {
  if (layer.type === 'symbol' || layer.type === 'background')
    return false
  const paint = (layer as { paint?: Record<string, unknown> }).paint ?? {}
  return !Object.keys(paint).some(k => k.endsWith('-pattern'))
}

/** A source's URLs made absolute against the style's own address (styles often give them relative). */
function absolute(source: Record<string, unknown>, base: string): Record<string, unknown> {
  const out = { ...source }
  if (typeof out.url === 'string')
    out.url = new URL(out.url, base).href
  if (Array.isArray(out.tiles))
    out.tiles = (out.tiles as unknown[]).map(t => (typeof t === 'string' ? decodeURI(new URL(t, base).href) : t))
  return out
}

/**
 * Draws a vector basemap's sources and non-label layers beneath the city's
 * own layers. A style that cannot be fetched or read leaves the map as it is
 * (the wall works without a basemap) and says so in the console.
 */
export async function addVectorBasemap(map: MapLibreMap, basemap: Extract<Basemap, { type: 'vector' }>): Promise<void> {
  const base = new URL(basemap.url, location.href).href
  try {
    const res = await fetch(base, { headers: { Accept: 'application/json' } })
    if (!res.ok)
      throw new Error(`HTTP ${res.status}`)
    const style = ForeignStyle.parse(await res.json())
    const prefix = 'basemap:'
    for (const [id, source] of Object.entries(style.sources)) {
      const spec = absolute(source, base)
      if (basemap.attribution)
        spec.attribution = basemap.attribution
      map.addSource(prefix + id, spec as unknown as SourceSpecification)
    }
    for (const layer of style.layers.filter(drawable)) {
      const spec = { ...layer, id: prefix + layer.id, ...(layer.source ? { source: prefix + layer.source } : {}) }
      map.addLayer(spec as unknown as LayerSpecification, LAYER.cityFill)
    }
  }
  catch (err) {
    console.error(`[map] the basemap style ${basemap.url} could not be used`, err)
  }
}
