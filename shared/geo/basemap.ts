import { z } from 'zod'

/**
 * The coordinate system a basemap's tiles are drawn in. Maps published in
 * China (and most intranet tile servers copied from them) are GCJ-02; our
 * data is WGS-84, so over such tiles the wall shifts its own geometry to match.
 */
export const BasemapCrs = z.enum(['wgs84', 'gcj02'])
export type BasemapCrs = z.infer<typeof BasemapCrs>

/** An http(s) URL or a path on the wall's own origin (a tile server proxied under it). */
const TileUrl = z.string().min(1).max(2000).regex(/^(?:https?:\/\/|\/)/, 'an http(s):// URL or a path starting with /')

const common = {
  crs: BasemapCrs,
  /** The credits line the map shows, as the tile provider requires. */
  attribution: z.string().max(300).default(''),
}

/**
 * An optional basemap under the city's own geometry, for cities with an
 * intranet tile server. Without one the wall fetches no tile at all.
 * Raster: XYZ tile URL templates ({z}/{x}/{y}). Vector: the URL of a MapLibre
 * style whose sources and non-label layers are drawn beneath ours (its labels
 * would need its glyph server; the wall draws its own town labels).
 */
export const Basemap = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('raster'),
    tiles: z.array(TileUrl).min(1).max(8),
    tileSize: z.union([z.literal(256), z.literal(512)]).default(256),
    maxzoom: z.number().int().min(1).max(24).default(18),
    ...common,
  }),
  z.strictObject({
    type: z.literal('vector'),
    url: TileUrl,
    ...common,
  }),
])
export type Basemap = z.infer<typeof Basemap>

/** The origins a basemap loads from, for the page's Content-Security-Policy; none for paths on our own origin. */
export function basemapOrigins(basemap: Basemap | undefined): string[] {
  if (!basemap)
    return []
  const urls = basemap.type === 'raster' ? basemap.tiles : [basemap.url]
  const origins = new Set<string>()
  for (const url of urls) {
    if (/^https?:\/\//.test(url))
      origins.add(new URL(url.replace(/[{}]/g, '')).origin)
  }
  return [...origins]
}
